import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { UpstreamError } from '../../src/errors.js';
import { readUpstreamText, redactUrl, upstreamGet } from '../../src/upstream/http-client.js';
import { openStore } from '../../src/store/store.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('upstreamGet', () => {
  // undici 7 died on an internal assertion here: a registry closing each connection after the
  // body while downloads were paused for backpressure took the whole process down.
  it('survives many concurrent downloads from a registry that closes every connection', async () => {
    const payload = Buffer.alloc(1024 * 1024, 7);
    const url = await listen((_req, res) => {
      res.writeHead(200, { connection: 'close', 'content-length': payload.length });
      res.end(payload);
    });
    const store = openStore(makeTempDir('artifact-cli-http-'));
    const results = await Promise.all(
      Array.from({ length: 80 }, async (_, index) => {
        const response = await upstreamGet({ url: `${url}/file?${index}`, timeoutMs: 10_000 });
        return (await store.blobs.put(response.body)).size;
      }),
    );
    expect(results).toEqual(Array(80).fill(payload.length));
  });

  it('times out on a registry that never answers, naming the URL without credentials', async () => {
    const url = await listen(() => undefined);
    const withSecret = url.replace('http://', 'http://aws:s3cret@') + '/pkg?token=s3cret';
    const error = await upstreamGet({ url: withSecret, timeoutMs: 200 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as Error).message).toMatch(/did not answer: it timed out/);
    expect((error as Error).message).not.toContain('s3cret');
    expect(redactUrl(withSecret)).toBe(`${url}/pkg`);
  });

  // The socket's idle timer never fires on a byte every tenth of a second: this used to wait for ever.
  it('gives up on metadata that trickles in slower than 1 KiB a second over the time limit, plain or gzipped', async () => {
    for (const gzip of [false, true]) {
      const url = await listen((_req, res) => {
        res.writeHead(200, gzip ? { 'content-encoding': 'gzip' } : {});
        // A real gzip stream, a byte at a time: it is unpacked as it comes, and never wrong.
        const bytes = gzip ? gzipSync(JSON.stringify({ name: 'pkg', pad: 'x'.repeat(100_000) })) : Buffer.alloc(1000, 0x20);
        let next = 0;
        const timer = setInterval(() => res.write(bytes.subarray(next, ++next)), 100);
        res.on('close', () => clearInterval(timer));
      });
      const started = performance.now();
      const response = await upstreamGet({ url: `${url}/pkg`, timeoutMs: 400 });
      const error = await readUpstreamText(response, 1024 * 1024, `${url}/pkg`).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(UpstreamError);
      expect((error as Error).message).toMatch(/sent its answer too slowly: it sent \d+ bytes in 400 ms, under 1024 bytes a second/);
      expect(performance.now() - started).toBeLessThan(3000);
    }
  });

  it('takes a large answer that keeps moving, however long it takes past the time limit', async () => {
    const url = await listen((_req, res) => {
      res.writeHead(200);
      let sent = 0;
      const timer = setInterval(() => {
        res.write('x'.repeat(2048));
        if (++sent === 12) {
          clearInterval(timer);
          res.end();
        }
      }, 50);
      res.on('close', () => clearInterval(timer));
    });
    const started = performance.now();
    const response = await upstreamGet({ url: `${url}/big`, timeoutMs: 200 });
    expect((await readUpstreamText(response, 1024 * 1024, `${url}/big`)).length).toBe(12 * 2048);
    expect(performance.now() - started).toBeGreaterThan(500);
  });

  it('sends URL credentials as Basic auth, and reports a body cut off midway', async () => {
    let authorization: string | undefined;
    const url = await listen((req, res) => {
      authorization = req.headers.authorization;
      res.writeHead(200, { 'content-length': 1000 });
      res.write('x'.repeat(100));
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const response = await upstreamGet({ url: url.replace('http://', 'http://aws:tok@') + '/meta', timeoutMs: 2_000 });
    expect(authorization).toBe(`Basic ${Buffer.from('aws:tok').toString('base64')}`);
    await expect(readUpstreamText(response, 10_000, url)).rejects.toThrow(/broke off the response/);
  });
});
