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
  const server = createServer((req, res) => void sendBlob(req, res, store.blobs, { sha256: digests.sha256, contentType: 'application/octet-stream', fileName }));
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
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="paquet-_n_-_.zip"; filename*=UTF-8''${encodeURIComponent('paquet-ünï-✓.zip')}`);
  });

  it('answers a byte range and a matching ETag', async () => {
    const ranged = await serveBlob('a.bin', { range: 'bytes=2-4' });
    expect(ranged.response.status).toBe(206);
    expect(ranged.body).toBe('234');
    const cached = await serveBlob('a.bin', { 'if-none-match': `"${ranged.digests.sha256}"` });
    expect(cached.response.status).toBe(304);
  });
});
