/**
 * What a client can make the server spend: memory under many concurrent bodies just under each
 * route's limit (a read route that drains its body, a write route that reads it whole, POMs),
 * and event-loop time, seen as the latency of a /health probe sent every 25 ms while many small
 * but costly documents are parsed and while a 60,000-version upstream packument is first read.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordFigures } from './support/figures.js';
import { basicAuth, prepareRoot, startHardeningServer, type HardeningServer, type PreparedRoot } from './support/hardening-server.js';
import { range, round } from './support/load.js';

const MiB = 1024 * 1024;
const MAX_UPLOAD = 48 * MiB;
const AUDIT_LIMIT = 32 * MiB;
const POM_LIMIT = 4 * MiB;
const BIG_VERSIONS = 60_000;
// The longest a /health probe may wait while the server works on what these tests send. Before
// the work was sliced or moved to the worker, the same loads held it for 1 and 6.7 seconds here.
const MAX_PROBE_MS = 1500;
const MAX_PROBE_MS_POMS = 600;

let prepared: PreparedRoot;
let server: HardeningServer;
let bigUpstream: ReturnType<typeof createServer>;

/** A stand-in registry with one package of BIG_VERSIONS versions (about 13 MB of packument). */
function bigPackument(origin: string): string {
  const versions: Record<string, unknown> = {};
  const time: Record<string, string> = {};
  for (const index of range(BIG_VERSIONS)) {
    const version = `1.${Math.floor(index / 100)}.${index % 100}`;
    versions[version] = {
      name: 'big',
      version,
      description: 'a package published on every commit',
      dependencies: { 'left-pad-lite': '^1.0.0' },
      license: 'MIT',
      dist: { tarball: `${origin}/big/-/big-${version}.tgz`, integrity: `sha512-${'A'.repeat(86)}==`, shasum: 'a'.repeat(40) },
    };
    time[version] = '2024-01-01T00:00:00.000Z';
  }
  return JSON.stringify({ _id: 'big', name: 'big', 'dist-tags': { latest: `1.${BIG_VERSIONS / 100 - 1}.99` }, versions, time });
}

beforeAll(async () => {
  let text = '';
  bigUpstream = createServer((req, res) => {
    if (req.url === '/big') return void res.writeHead(200, { 'content-type': 'application/json' }).end(text);
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => bigUpstream.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(bigUpstream.address() as AddressInfo).port}`;
  text = bigPackument(origin);
  prepared = await prepareRoot([{ name: 'main' }, { name: 'public', externalConnection: 'public:npmjs' }]);
  server = await startHardeningServer(prepared, { server: { maxUploadBytes: MAX_UPLOAD }, externalConnections: { 'public:npmjs': `${origin}/` } });
});

afterAll(async () => {
  await server?.stop();
  bigUpstream?.closeAllConnections();
  await new Promise((resolve) => bigUpstream?.close(resolve));
});

/**
 * Sends `count` bodies of `bytes` at once, each on a connection of its own; resolves to their
 * statuses and the server's peak RSS, and its growth over the RSS before.
 */
async function concurrentBodies(
  count: number,
  bytes: number,
  url: string,
  init: { method: string; headers: Record<string, string> },
): Promise<{ statuses: number[]; growthMb: number; peakMb: number }> {
  const before = server.memory().rssKb;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, server.memory().rssKb)), 20);
  // One buffer shared by every request: the test's own memory stays out of the figure.
  const body = new Uint8Array(Buffer.alloc(bytes, 0x20));
  const dispatcher = new Agent({ connections: count, pipelining: 0 });
  try {
    const statuses = await Promise.all(
      range(count).map(async () => {
        const response = await undiciFetch(url, { ...init, body, dispatcher });
        await response.arrayBuffer();
        return response.status;
      }),
    );
    return { statuses, growthMb: round((peak - before) / 1024), peakMb: round(peak / 1024) };
  } finally {
    clearInterval(sampler);
    await dispatcher.close();
  }
}

/** Probes /health every 25 ms while `work` runs; resolves to the longest a probe waited. */
async function probeWhile(work: Promise<unknown>): Promise<number> {
  let done = false;
  let worst = 0;
  const probing = (async () => {
    while (!done) {
      const started = performance.now();
      const response = await fetch(`${server.url}/health`);
      await response.arrayBuffer();
      worst = Math.max(worst, performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  })();
  await work;
  done = true;
  await probing;
  return round(worst);
}

const auth = () => ({ authorization: `Bearer ${prepared.token}` });

describe('memory under many concurrent bodies just under each route’s limit', () => {
  it('a read route (npm audit) drains its bodies: 12 × 32 MiB at once leave the server’s memory nearly as it was', async () => {
    const result = await concurrentBodies(12, AUDIT_LIMIT - 1024, `${server.endpoint('npm')}-/npm/v1/security/advisories/bulk`, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
    });
    expect(
      result.statuses.every((status) => status === 200),
      String(result.statuses),
    ).toBe(true);
    recordFigures('memory', { 'audit 12 x 32 MiB: RSS growth (MB)': result.growthMb, 'max RSS (MB)': result.peakMb });
    // Kept, these bodies would be 384 MiB.
    expect(result.growthMb).toBeLessThan(128);
  });

  it('a write route (npm publish) holds at most the body budget: 20 × 47 MiB at once stay well under what they would take kept', async () => {
    const result = await concurrentBodies(20, MAX_UPLOAD - MiB, `${server.endpoint('npm')}bulky`, {
      method: 'PUT',
      headers: { ...auth(), 'content-type': 'application/json' },
    });
    // Spaces are no JSON document: each is read whole, then refused.
    expect(
      result.statuses.every((status) => status === 400 || status === 413),
      String(result.statuses),
    ).toBe(true);
    recordFigures('memory', { 'npm publish 20 x 47 MiB: RSS growth (MB)': result.growthMb, 'max RSS (MB)': result.peakMb });
    // The budget lets 256 MiB (268 MB) be held at a time, each body in one buffer, parsed one
    // at a time and collected once dropped: 215-290 MB here. Without the budget the twenty are
    // read at once (480-690 MB); before the body was read into one buffer and collected, the
    // garbage of decoded text grew the RSS by 740-1,270 MB with the budget and 1.9 GB without.
    expect(result.growthMb).toBeLessThan(400);
  });

  it('POM uploads: 24 × 4 MiB at once', async () => {
    const result = await concurrentBodies(24, POM_LIMIT - 1024, `${server.endpoint('maven')}com/acme/big/1.0/big-1.0.pom`, {
      method: 'PUT',
      headers: { authorization: basicAuth(prepared.token) },
    });
    expect(
      result.statuses.every((status) => status === 400),
      String(result.statuses),
    ).toBe(true);
    recordFigures('memory', { 'POM 24 x 4 MiB: RSS growth (MB)': result.growthMb, 'max RSS (MB)': result.peakMb });
    expect(result.growthMb).toBeLessThan(400);
  });
});

describe('event-loop latency', () => {
  it('stays short while twenty 120 KB POMs of processing instructions are read at once', async () => {
    const pom = (version: string) =>
      `<?xml version="1.0"?><project><modelVersion>4.0.0</modelVersion><groupId>com.acme</groupId><artifactId>pi</artifactId><version>${version}</version>${'<?a b="c" d="e"?>'.repeat(7000)}</project>`;
    expect(pom('1.0').length).toBeLessThan(128 * 1024);
    const uploads = Promise.all(
      range(20).map(async (index) => {
        const response = await fetch(`${server.endpoint('maven')}com/acme/pi/1.${index}/pi-1.${index}.pom`, {
          method: 'PUT',
          headers: { authorization: basicAuth(prepared.token) },
          body: pom(`1.${index}`),
        });
        await response.arrayBuffer();
        return response.status;
      }),
    );
    const worst = await probeWhile(uploads);
    const statuses = await uploads;
    expect(
      statuses.every((status) => status >= 200 && status < 300),
      String(statuses),
    ).toBe(true);
    recordFigures('event loop', { '20 PI-heavy POMs: max /health wait (ms)': worst, 'bound (ms)': MAX_PROBE_MS_POMS });
    expect(worst).toBeLessThan(MAX_PROBE_MS_POMS);
  });

  it('stays short while a 60,000-version upstream packument is first read and cached', async () => {
    const read = (async () => {
      const response = await fetch(`${server.endpoint('npm', 'public')}big`, { headers: { ...auth(), accept: 'application/vnd.npm.install-v1+json' } });
      const document = (await response.json()) as { versions: Record<string, unknown> };
      return { status: response.status, versions: Object.keys(document.versions ?? {}).length };
    })();
    const worst = await probeWhile(read);
    expect(await read).toEqual({ status: 200, versions: BIG_VERSIONS });
    recordFigures('event loop', { '60,000-version packument: max /health wait (ms)': worst, 'bound (ms)': MAX_PROBE_MS });
    expect(worst).toBeLessThan(MAX_PROBE_MS);
  });
});
