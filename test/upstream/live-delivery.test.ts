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

  it('breaks the stream when the work failed after a complete download (the file was not recorded), never ending it whole', async () => {
    const delivery = new LiveDelivery();
    const work = delivery.run(() => {
      const feed = delivery.claim()!;
      feed.begin(3);
      feed.push(Buffer.from('abc'));
      return Promise.reject(new Error('the index could not be written'));
    });
    const live = (await delivery.started)!;
    await expect(work).rejects.toThrow('the index could not be written');
    const seen: Buffer[] = [];
    live.stream.on('data', (chunk: Buffer) => seen.push(chunk));
    await expect(readAll(live.stream)).rejects.toThrow('the index could not be written');
    // The held-back last byte never went out.
    expect(Buffer.concat(seen).toString()).not.toContain('c');
  });

  it("reports the download's own failure, even when given as a string, rather than the work's later one", async () => {
    const delivery = new LiveDelivery();
    const work = delivery.run(() => {
      const feed = delivery.claim()!;
      feed.begin(undefined);
      feed.push(Buffer.from('x'));
      feed.fail('cut off');
      feed.fail(new Error('a second failure'));
      // Pushed after the failure: never sent.
      feed.push(Buffer.from('more'));
      return Promise.reject(new Error('the work failed too'));
    });
    const live = (await delivery.started)!;
    await expect(work).rejects.toThrow('the work failed too');
    const seen: Buffer[] = [];
    live.stream.on('data', (chunk: Buffer) => seen.push(chunk));
    await expect(readAll(live.stream)).rejects.toThrow(/^cut off$/);
    expect(Buffer.concat(seen).length).toBe(0);
  });

  it('passes on chunks of one byte and skips empty ones, still holding the last byte back', async () => {
    const delivery = new LiveDelivery();
    let finish: () => void = () => undefined;
    const work = delivery.run(async () => {
      const feed = delivery.claim()!;
      feed.begin(3);
      for (const chunk of ['a', '', 'b', 'c', '']) feed.push(Buffer.from(chunk));
      await new Promise<void>((resolve) => (finish = resolve));
    });
    const live = (await delivery.started)!;
    const seen: Buffer[] = [];
    live.stream.on('data', (chunk: Buffer) => seen.push(chunk));
    await new Promise((resolve) => setImmediate(resolve));
    expect(Buffer.concat(seen).toString()).toBe('ab');
    const ended = new Promise((resolve) => live.stream.on('end', resolve));
    finish();
    await work;
    await ended;
    expect(Buffer.concat(seen).toString()).toBe('abc');
  });

  it('cuts off a client that reads too slowly rather than buffering past 16 MiB, and the work still succeeds', async () => {
    const delivery = new LiveDelivery();
    let finish: () => void = () => undefined;
    const chunk = Buffer.alloc(1024 * 1024, 0x61);
    const work = delivery.run(async () => {
      const feed = delivery.claim()!;
      feed.begin(undefined);
      // Nobody reads: 16 MiB buffered exactly (one more byte is held back) still fits; more does not.
      for (let i = 0; i < 16; i++) feed.push(chunk);
      feed.push(Buffer.from('a'));
      await new Promise<void>((resolve) => (finish = resolve));
      for (let i = 0; i < 2; i++) feed.push(chunk);
      return 'stored';
    });
    const live = (await delivery.started)!;
    await new Promise((resolve) => setImmediate(resolve));
    expect(live.stream.destroyed).toBe(false);
    finish();
    expect(await work).toBe('stored');
    expect(live.stream.destroyed).toBe(true);
    await expect(readAll(live.stream)).rejects.toThrow('The client reads too slowly to be fed live.');
  });

  it('breaks a stream nobody reads yet without an unheard error (which would bring the server down)', async () => {
    const delivery = new LiveDelivery();
    const work = delivery.run(() => {
      const feed = delivery.claim()!;
      feed.begin(undefined);
      feed.push(Buffer.from('abc'));
      return Promise.reject(new Error('digest mismatch'));
    });
    const live = (await delivery.started)!;
    await expect(work).rejects.toThrow('digest mismatch');
    // Let the destroyed stream emit its error, with no reader attached.
    await new Promise((resolve) => setImmediate(resolve));
    expect(live.stream.destroyed).toBe(true);
    expect(live.stream.errored?.message).toBe('digest mismatch');
  });
});
