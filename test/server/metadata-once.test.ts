/**
 * A registry's metadata is fetched once per freshness period per package, for every format:
 * concurrent cold downloads of versions of one package share one fetch, and a later download
 * within the period asks nothing again. A proxy in front of each stand-in counts the requests.
 */
import { request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { startFaultProxyServer, type FaultProxyServer } from '../helpers/fault-proxy-server.js';
import { STAND_INS, type Offered, type Upstream } from '../helpers/format-stand-ins.js';

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function download(h: FaultProxyServer, file: Offered): Promise<void> {
  const response = await request(`${h.endpoint}${file.path}`, { headers: { authorization: `Bearer ${h.token}` } });
  const bytes = Buffer.from(await response.body.arrayBuffer());
  expect(response.statusCode).toBe(200);
  expect(bytes.equals(file.bytes)).toBe(true);
}

/** Paths asked for more than once. */
function repeated(requests: string[]): string[] {
  return [...new Set(requests.filter((path, index) => requests.indexOf(path) !== index))];
}

describe.each(STAND_INS)('$format metadata from the registry', ({ format, connection, start }) => {
  it('is fetched once for concurrent cold downloads and not again while fresh', async () => {
    const upstream: Upstream = await start();
    const h = await startFaultProxyServer(format, connection, upstream.url, 300);
    cleanups.push(async () => {
      await h.close();
      await upstream.close();
    });
    const [first, second, third] = ['1.0.0', '1.1.0', '1.2.0'].map((version) => upstream.offer(1, version));
    // Four clients at once: three want one version, one another.
    await Promise.all([download(h, first), download(h, first), download(h, first), download(h, second)]);
    expect(repeated(h.proxy.requests)).toEqual([]);
    const before = new Set(h.proxy.requests);
    await download(h, third);
    // The third version needs its own file (and, where the registry keeps one, its own checksum
    // or catalog leaf), but nothing fetched before.
    expect(repeated(h.proxy.requests)).toEqual([]);
    expect(h.proxy.requests.filter((path) => before.has(path))).toHaveLength(before.size);
  });
});
