/**
 * LiveDelivery: the bytes of the request's download reach its stream as they come, all but the
 * last one, which waits for the request's whole work to succeed; a failed download breaks the
 * stream even when the work goes on to succeed.
 */
import { describe, expect, it } from 'vitest';
import { LiveDelivery } from '../../src/upstream/live-delivery.js';

async function readAll(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

describe('LiveDelivery', () => {
  it('holds the last byte back until the work succeeded', async () => {
    const delivery = new LiveDelivery();
    let finish: () => void = () => undefined;
    const work = delivery.run(async () => {
      const feed = delivery.claim()!;
      expect(delivery.claim()).toBeUndefined();
      feed.begin(6);
      feed.push(Buffer.from('abc'));
      feed.push(Buffer.from('def'));
      await new Promise<void>((resolve) => (finish = resolve));
      return 'kept';
    });
    const live = (await delivery.started)!;
    expect(live.size).toBe(6);
    const seen: Buffer[] = [];
    live.stream.on('data', (chunk: Buffer) => seen.push(chunk));
    await new Promise((resolve) => setImmediate(resolve));
    expect(Buffer.concat(seen).toString()).toBe('abcde');
    const ended = new Promise((resolve) => live.stream.on('end', resolve));
    finish();
    expect(await work).toBe('kept');
    await ended;
    expect(Buffer.concat(seen).toString()).toBe('abcdef');
  });

  it('breaks the stream when the download failed, even if the work then succeeds', async () => {
    const delivery = new LiveDelivery();
    const work = delivery.run(() => {
      const feed = delivery.claim()!;
      feed.begin(undefined);
      feed.push(Buffer.from('wrong bytes'));
      feed.fail(new Error('digest mismatch'));
      return Promise.resolve('served another way');
    });
    const live = (await delivery.started)!;
    await work;
    await expect(readAll(live.stream)).rejects.toThrow(/digest mismatch/);
  });

  it('announces no stream when the work ends without a download', async () => {
    const delivery = new LiveDelivery();
    await delivery.run(() => Promise.resolve('stored already'));
    expect(await delivery.started).toBeUndefined();
    // A download starting after the work ended feeds nobody.
    expect(delivery.claim()).toBeUndefined();
  });
});
