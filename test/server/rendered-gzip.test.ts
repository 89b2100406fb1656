import { gunzipSync } from 'node:zlib';
import { expect, it } from 'vitest';
import { RenderedBody } from '../../src/server/respond.js';

it('gzips a big rendered body on the thread pool, not inline: plain until the compressed form is ready', async () => {
  const big = new RenderedBody('application/json', Buffer.from(JSON.stringify({ text: 'x'.repeat(4 * 1024 * 1024) })));
  expect(big.gzipReady()).toBe(false);
  // Asked again while compressing: still not ready, and no second compression starts.
  expect(big.gzipReady()).toBe(false);
  const ready = await new Promise<boolean>((resolve) => {
    const poll = () => (big.gzipReady() ? resolve(true) : setTimeout(poll, 10));
    poll();
  });
  expect(ready).toBe(true);
  expect(gunzipSync(big.gzip()).equals(big.body)).toBe(true);

  const small = new RenderedBody('application/json', Buffer.from(JSON.stringify({ text: 'y'.repeat(10_000) })));
  expect(small.gzipReady()).toBe(true);
  expect(gunzipSync(small.gzip()).equals(small.body)).toBe(true);
});
