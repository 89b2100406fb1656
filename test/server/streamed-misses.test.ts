/**
 * A cold download through an external connection reaches the client while the upstream is
 * still sending it, for every format that fetches files through upstreams; and a file that
 * fails its announced digest or breaks off ends in a broken transfer, with nothing stored.
 * A proxy in front of each format's stand-in registry plays the lying, cut-off and slow upstream.
 * Files up to 256 KiB are checked whole before they are served (a 502 with its reason): these are larger.
 */
import { createHash, randomBytes } from 'node:crypto';
import { request } from 'undici';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { PackageKey } from '../../src/core/model.js';
import { buildCrate } from '../helpers/cargo-crate.js';
import { startFakeCargoIndex } from '../helpers/fake-cargo-index.js';
import { startFakeMavenRepo } from '../helpers/fake-maven-repo.js';
import { startFakeNpmRegistry } from '../helpers/fake-npm-registry.js';
import { startFakeNuGetServer } from '../helpers/fake-nuget-server.js';
import { startFakePypiIndex } from '../helpers/fake-pypi-index.js';
import { startFaultProxyServer, type FaultProxyServer } from '../helpers/fault-proxy-server.js';
import { buildJar } from '../helpers/maven-harness.js';

/** Text that stays larger than the server's live threshold (256 KiB) once compressed. */
const bulk = () => randomBytes(400 * 1024).toString('base64');

/** One file the stand-in offers: where the server serves it, its bytes, and its package's key in repository "store". */
interface Offered {
  path: string;
  bytes: Buffer;
  key: Omit<PackageKey, 'domain' | 'repository'>;
}

interface Upstream {
  /** The URL the connection is configured with (the stand-in's; the proxy takes its place). */
  url: string;
  offer(n: number): Offered;
  close(): Promise<void>;
}

const FORMATS: Array<{ format: string; connection: string; start(): Promise<Upstream> }> = [
  {
    format: 'npm',
    connection: 'public:npmjs',
    async start() {
      const registry = await startFakeNpmRegistry();
      // Off npm's usual place, so the early download of the usual URL finds nothing and the file comes by the ordinary one.
      registry.moveTarballs();
      return {
        url: `${registry.url}/`,
        offer(n) {
          const name = `live-${n}`;
          const { bytes } = registry.add({ name, version: '1.0.0', files: { 'data.txt': bulk() } });
          return { path: `${name}/-/${name}-1.0.0.tgz`, bytes, key: { format: 'npm', name } };
        },
        close: () => registry.close(),
      };
    },
  },
  {
    format: 'pypi',
    connection: 'public:pypi',
    async start() {
      const index = await startFakePypiIndex();
      return {
        url: index.url,
        offer(n) {
          const dist = index.add({ name: `live-${n}`, version: '1.0', files: { [`live_${n}/data.txt`]: bulk() } });
          return { path: `simple/live-${n}/1.0/${dist.fileName}`, bytes: dist.bytes, key: { format: 'pypi', name: `live-${n}` } };
        },
        close: () => index.close(),
      };
    },
  },
  {
    format: 'nuget',
    connection: 'public:nuget-org',
    async start() {
      const feed = await startFakeNuGetServer();
      return {
        url: feed.sourceUrl,
        offer(n) {
          const { bytes } = feed.add({ id: `Live.P${n}`, version: '1.0.0', readme: bulk() });
          return { path: `v3/package/live.p${n}/1.0.0/live.p${n}.1.0.0.nupkg`, bytes, key: { format: 'nuget', name: `live.p${n}` } };
        },
        close: () => feed.close(),
      };
    },
  },
  {
    format: 'maven',
    connection: 'public:maven-central',
    async start() {
      const central = await startFakeMavenRepo(undefined);
      return {
        url: central.url,
        offer(n) {
          const bytes = buildJar({ [`lib${n}.txt`]: bulk() });
          central.addFile(`org/live/lib${n}/1.0/lib${n}-1.0.jar`, bytes);
          return { path: `org/live/lib${n}/1.0/lib${n}-1.0.jar`, bytes, key: { format: 'maven', namespace: 'org.live', name: `lib${n}` } };
        },
        close: () => central.close(),
      };
    },
  },
  {
    format: 'cargo',
    connection: 'public:crates-io',
    async start() {
      const index = await startFakeCargoIndex();
      return {
        url: index.url,
        offer(n) {
          const { bytes } = index.add(`live-${n}`, '1.0.0', { bytes: buildCrate(`live-${n}`, '1.0.0', { body: `// ${bulk()}\n` }) });
          return { path: `api/v1/crates/live-${n}/1.0.0/download`, bytes, key: { format: 'cargo', name: `live-${n}` } };
        },
        close: () => index.close(),
      };
    },
  },
];

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

describe.each(FORMATS)('a cold $format download', ({ format, connection, start }) => {
  let h: Harness;
  let counter = 0;
  const offer = () => h.upstream.offer(++counter);
  const stored = (file: Offered) => h.store.index.getPackage({ domain: 'acme', repository: 'store', ...file.key } as PackageKey);

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
    expect(response.statusCode).toBe(200);
    await expect(readAll(response.body)).rejects.toThrow();
    expect(await stored(file)).toBeUndefined();
    for (const lie of h.proxy.lies) expect(await h.store.blobs.size(lie)).toBeUndefined();
    if (fault === 'lie') expect(h.proxy.lies.length).toBeGreaterThan(0);
    // The client's retry, with the upstream behaving again, gets the real file.
    h.proxy.setFault('none');
    const again = await h.get(file.path);
    expect(again.statusCode).toBe(200);
    const bytes = await readAll(again.body);
    expect(sha256(bytes)).toBe(sha256(file.bytes));
  });
});
