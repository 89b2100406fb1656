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

it('keeps its body and gzipped body in memory of their own, not as views into larger buffers', () => {
  // A short string's bytes are a slice of Node's shared 8 KiB pool; zlib's output, of its 16 KiB chunk.
  const text = Buffer.from(JSON.stringify({ text: 'z'.repeat(2000) }));
  expect(text.buffer.byteLength).toBeGreaterThan(text.length);
  const rendered = new RenderedBody('application/json', text);
  expect(rendered.body.equals(text)).toBe(true);
  expect(rendered.body.buffer.byteLength).toBe(rendered.body.length);
  const gzipped = rendered.gzip();
  expect(gunzipSync(gzipped).equals(text)).toBe(true);
  expect(gzipped.buffer.byteLength).toBe(gzipped.length);
});
