/**
 * A cold download through an external connection reaches the client while the upstream is
 * still sending it, for every format that fetches files through upstreams; and a file that
 * fails its announced digest or breaks off ends in a broken transfer, with nothing stored.
 * A proxy in front of each format's stand-in registry plays the lying, cut-off and slow upstream.
 * Files up to 256 KiB are checked whole before they are served (a 502 with its reason): these are larger.
 */
import { createHash } from 'node:crypto';
import { request } from 'undici';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { startFaultProxyServer, type FaultProxyServer } from '../helpers/fault-proxy-server.js';
import { STAND_INS, type Offered, type Upstream } from '../helpers/format-stand-ins.js';

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

interface Harness extends FaultProxyServer {
  upstream: Upstream;
  get(path: string): ReturnType<typeof request>;
}

async function startHarness(format: string, connection: string, upstream: Upstream): Promise<Harness> {
  const running = await startFaultProxyServer(format, connection, upstream.url);
  cleanups.push(async () => {
    await running.close();
    await upstream.close();
  });
  return { ...running, upstream, get: (path) => request(`${running.endpoint}${path}`, { headers: { authorization: `Bearer ${running.token}` } }) };
}

async function readAll(body: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks);
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe.each(STAND_INS)('a cold $format download', ({ format, connection, start }) => {
  let h: Harness;
  let counter = 0;
  const offer = () => h.upstream.offer(++counter, '1.0.0');
  const stored = (file: Offered) => h.store.index.getPackage({ domain: 'acme', repository: 'store', ...file.key });

  it('reaches the client before the upstream has sent the whole file', async () => {
    h = await startHarness(format, connection, await start());
    const file = offer();
    h.proxy.setFault('hold');
    const response = await h.get(file.path);
    expect(response.statusCode).toBe(200);
    const received: Buffer[] = [];
    const first = new Promise<void>((resolve) => response.body.once('data', () => resolve()));
    response.body.on('data', (chunk: Buffer) => received.push(chunk));
    const ended = new Promise<void>((resolve, reject) => {
      response.body.on('end', resolve);
      response.body.on('error', reject);
    });
    await h.proxy.holding();
    // The upstream sent half the file and waits; the client already has bytes of it.
    await first;
    expect(Buffer.concat(received).length).toBeGreaterThan(0);
    expect(Buffer.concat(received).length).toBeLessThan(file.bytes.length);
    h.proxy.release();
    await ended;
    expect(Buffer.concat(received).equals(file.bytes)).toBe(true);
    await vi.waitFor(async () => expect(await stored(file)).toBeDefined());
  });

  it.each(['lie', 'cut'] as const)('ends in a broken transfer and stores nothing when the upstream does "%s"', async (fault) => {
    const file = offer();
    h.proxy.setFault(fault);
    const response = await h.get(file.path);
    expect(response.statusCode, response.statusCode === 200 ? '' : await response.body.text()).toBe(200);
    await expect(readAll(response.body)).rejects.toThrow();
    expect(await stored(file)).toBeUndefined();
    for (const lie of h.proxy.lies) expect(await h.store.blobs.size(lie)).toBeUndefined();
    if (fault === 'lie') expect(h.proxy.lies.length).toBeGreaterThan(0);
    // The client's retry, with the upstream behaving again, gets the real file.
    h.proxy.setFault('none');
    const again = await h.get(file.path);
    expect(again.statusCode, again.statusCode === 200 ? '' : await again.body.text()).toBe(200);
    const bytes = await readAll(again.body);
    expect(sha256(bytes)).toBe(sha256(file.bytes));
  });
});
