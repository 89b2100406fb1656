import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { sendBlob } from '../../src/server/respond.js';
import { openStore } from '../../src/store/store.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const servers: ReturnType<typeof createServer>[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

async function serveBlob(fileName: string, headers: Record<string, string> = {}) {
  const store = openStore(makeTempDir());
  const digests = await store.blobs.put(Buffer.from('0123456789'));
  const server = createServer(
    (req, res) => void sendBlob(req, res, store.blobs, { sha256: digests.sha256, contentType: 'application/octet-stream', fileName }),
  );
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, { headers });
  return { response, body: await response.text(), digests };
}

describe('sendBlob', () => {
  it('names files outside Latin-1 without failing, in both header forms', async () => {
    const { response, body } = await serveBlob('paquet-ünï-✓.zip');
    expect(response.status).toBe(200);
    expect(body).toBe('0123456789');
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="paquet-_n_-_.zip"; filename*=UTF-8''${encodeURIComponent('paquet-ünï-✓.zip')}`,
    );
  });

  it('answers a byte range and a matching ETag', async () => {
    const ranged = await serveBlob('a.bin', { range: 'bytes=2-4' });
    expect(ranged.response.status).toBe(206);
    expect(ranged.body).toBe('234');
    const cached = await serveBlob('a.bin', { 'if-none-match': `"${ranged.digests.sha256}"` });
    expect(cached.response.status).toBe(304);
  });
});

describe('sendBlob of blobs asked again', () => {
  it('answers small and large blobs whole, ranged and HEAD alike on the first and the later downloads', async () => {
    const store = openStore(makeTempDir());
    const small = Buffer.alloc(10 * 1024, 'small ');
    const large = Buffer.alloc(300 * 1024, 'large ');
    const blobs = { small: await store.blobs.put(small), large: await store.blobs.put(large) };
    const server = createServer((req, res) => {
      const which = req.url === '/large' ? blobs.large : blobs.small;
      void sendBlob(req, res, store.blobs, { sha256: which.sha256, contentType: 'application/octet-stream' });
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    for (const [name, bytes] of [
      ['small', small],
      ['large', large],
    ] as const) {
      for (let round = 0; round < 3; round++) {
        const whole = await fetch(`${base}/${name}`);
        expect(Buffer.from(await whole.arrayBuffer()).equals(bytes)).toBe(true);
        expect(whole.headers.get('content-length')).toBe(String(bytes.length));
        const ranged = await fetch(`${base}/${name}`, { headers: { range: 'bytes=5-9' } });
        expect(ranged.status).toBe(206);
        expect(await ranged.text()).toBe(bytes.subarray(5, 10).toString());
        expect(ranged.headers.get('content-range')).toBe(`bytes 5-9/${bytes.length}`);
        expect(ranged.headers.get('content-length')).toBe('5');
        const head = await fetch(`${base}/${name}`, { method: 'HEAD' });
        expect(head.headers.get('content-length')).toBe(String(bytes.length));
      }
    }
  });
});
