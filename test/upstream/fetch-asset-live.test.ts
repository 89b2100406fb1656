/**
 * fetchAssetToStore feeding the asking request live (live-delivery.ts): a large file goes out as
 * it arrives, at once when its Content-Length says it is large, else once 256 KiB came; a small
 * one is checked whole first. A file that fails its digest check never reaches the client
 * whole. An early download of the same URL is used instead of asking again.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import type { Config } from '../../src/config/config.js';
import { UpstreamError } from '../../src/errors.js';
import { openStore, type Store } from '../../src/store/store.js';
import { fetchAssetToStore } from '../../src/upstream/fetch-asset.js';
import { LiveDelivery } from '../../src/upstream/live-delivery.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const LIVE_MIN = 256 * 1024;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const files = {
  large: randomBytes(LIVE_MIN + 1),
  limit: randomBytes(LIVE_MIN),
  small: randomBytes(1000),
};
const requested: string[] = [];

/** Answers /<file>.bin with a Content-Length, /<file>.chunked without one (in 64 KiB pieces). */
function answer(res: ServerResponse, name: string): void {
  const [file, kind] = name.split('.') as [keyof typeof files, string];
  const bytes = files[file];
  if (!bytes) return void res.writeHead(404).end();
  if (kind === 'bin') return void res.writeHead(200, { 'content-length': String(bytes.length) }).end(bytes);
  res.writeHead(200);
  for (let at = 0; at < bytes.length; at += 64 * 1024) res.write(bytes.subarray(at, at + 64 * 1024));
  res.end();
}
/** Sends `head` bytes of `bytes` at once, then a byte every 50 ms: a registry that crawls. */
function trickle(res: ServerResponse, bytes: Buffer, head: number): void {
  res.writeHead(200, { 'content-length': String(bytes.length) });
  res.write(bytes.subarray(0, head));
  let next = head;
  const timer = setInterval(() => res.write(bytes.subarray(next, ++next)), 50);
  res.on('close', () => clearInterval(timer));
}

const server = createServer((req, res) => {
  const name = (req.url ?? '').split('?')[0].slice(1);
  requested.push(name);
  if (name === 'trickle-small.bin') return trickle(res, files.small, 10);
  if (name === 'trickle-large.bin') return trickle(res, files.large, 1000);
  answer(res, name);
});
let base: string;
const registry = () => ({ url: `${base}/`, connectionName: 'public:npmjs' });
let store: Store;
let config: Config;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const root = makeTempDir('artifact-cli-fetch-live-');
  store = openStore(root);
  config = await loadConfig({ root }, {}, root);
  config.upstream.timeoutMs = 30_000;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const storedBlobs = () => readdirSync(path.join(store.root, 'blobs'), { recursive: true }).filter((name) => /[0-9a-f]{64}$/.test(String(name)));

async function readAll(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** Fetches `name` for a request with a live delivery; what the client saw live, if anything. */
async function fetchLive(name: string, expected: { sha256: string }) {
  const delivery = new LiveDelivery();
  const work = delivery.run(() => fetchAssetToStore(store, config, registry(), `${base}/${name}?${Math.random()}`, expected, undefined, delivery));
  const live = await delivery.started;
  const received = live ? readAll(live.stream) : undefined;
  const outcome = await work.then(
    (digests) => ({ stored: digests.sha256 }),
    (error: unknown) => ({ error }),
  );
  return { live, received: await received?.catch((error: unknown) => ({ broken: error })), outcome };
}

describe('fetchAssetToStore with a live delivery', () => {
  it('feeds a file larger than 256 KiB live when its Content-Length says so, and stores it', async () => {
    const { live, received, outcome } = await fetchLive('large.bin', { sha256: sha256(files.large) });
    expect(live?.size).toBe(files.large.length);
    expect(Buffer.isBuffer(received) && received.equals(files.large)).toBe(true);
    expect(outcome).toEqual({ stored: sha256(files.large) });
  });

  it('feeds a file without a Content-Length live once more than 256 KiB came, the first bytes included', async () => {
    const { live, received, outcome } = await fetchLive('large.chunked', { sha256: sha256(files.large) });
    expect(live).toBeDefined();
    expect(live?.size).toBeUndefined();
    expect(Buffer.isBuffer(received) && received.equals(files.large)).toBe(true);
    expect(outcome).toEqual({ stored: sha256(files.large) });
  });

  it.each(['limit.bin', 'limit.chunked', 'small.bin', 'small.chunked'])('checks %s (256 KiB or less) whole before anything goes out', async (name) => {
    const bytes = files[name.split('.')[0] as keyof typeof files];
    const { live, outcome } = await fetchLive(name, { sha256: sha256(bytes) });
    expect(live).toBeUndefined();
    expect(outcome).toEqual({ stored: sha256(bytes) });
  });

  it.each(['large.bin', 'large.chunked'])('breaks the live transfer of %s when its digest differs, and stores nothing', async (name) => {
    const before = storedBlobs();
    const { live, received, outcome } = await fetchLive(name, { sha256: '0'.repeat(64) });
    expect(live).toBeDefined();
    expect((received as { broken?: unknown }).broken).toBeInstanceOf(UpstreamError);
    expect('error' in outcome && outcome.error).toBeInstanceOf(UpstreamError);
    expect(String((outcome as { error: Error }).error.message)).toMatch(/does not match the digest the registry announced/);
    expect(storedBlobs()).toEqual(before);
  });

  it.each(['large.bin', 'large.chunked'])('feeds only the first large download of a request live; a second one (%s) is stored all the same', async (name) => {
    const delivery = new LiveDelivery();
    const fetch = () => fetchAssetToStore(store, config, registry(), `${base}/${name}?${Math.random()}`, { sha256: sha256(files.large) }, undefined, delivery);
    const work = delivery.run(async () => [await fetch(), await fetch()]);
    const live = await delivery.started;
    const received = live ? readAll(live.stream) : undefined;
    const both = await work;
    expect(both.map((digests) => digests.sha256)).toEqual([sha256(files.large), sha256(files.large)]);
    // The live transfer carries the first file once, not the second on top.
    expect(((await received) ?? Buffer.alloc(0)).equals(files.large)).toBe(true);
  });
});

describe('fetchAssetToStore from a registry that crawls', () => {
  it.each([
    ['trickle-small.bin', files.small, false],
    ['trickle-large.bin', files.large, true],
  ] as const)('gives %s up once it moves under 1 KiB a second over the time limit, and stores nothing', async (name, bytes, fedLive) => {
    const timeoutMs = config.upstream.timeoutMs;
    config.upstream.timeoutMs = 300;
    try {
      const before = storedBlobs();
      const started = performance.now();
      const { live, received, outcome } = await fetchLive(name, { sha256: sha256(bytes) });
      expect(performance.now() - started).toBeLessThan(3000);
      expect(live !== undefined).toBe(fedLive);
      if (fedLive) expect((received as { broken?: unknown }).broken).toBeInstanceOf(UpstreamError);
      expect('error' in outcome && outcome.error).toBeInstanceOf(UpstreamError);
      expect(String((outcome as { error: Error }).error.message)).toMatch(/bytes in 300 ms, under 1024 bytes a second/);
      expect(storedBlobs()).toEqual(before);
    } finally {
      config.upstream.timeoutMs = timeoutMs;
    }
  });
});

describe('fetchAssetToStore with an early download', () => {
  it('uses the early download of the same URL instead of asking the registry again', async () => {
    const url = `${base}/small.bin?early`;
    const before = requested.length;
    const early = { url, bytes: Promise.resolve(files.small), takeLarge: () => undefined, release: () => undefined };
    const digests = await fetchAssetToStore(store, config, registry(), url, { sha256: sha256(files.small) }, early);
    expect(digests.sha256).toBe(sha256(files.small));
    expect(requested.length).toBe(before);
  });

  it('asks the registry when the early download was of another URL, or got nothing', async () => {
    const other = { url: `${base}/other.bin`, bytes: Promise.resolve(Buffer.from('not this file')), takeLarge: () => undefined, release: () => undefined };
    const before = requested.length;
    await expect(fetchAssetToStore(store, config, registry(), `${base}/small.bin?late`, { sha256: sha256(files.small) }, other)).resolves.toMatchObject({
      sha256: sha256(files.small),
    });
    const failed = { url: `${base}/small.bin?failed`, bytes: Promise.resolve(undefined), takeLarge: () => undefined, release: () => undefined };
    await expect(fetchAssetToStore(store, config, registry(), failed.url, { sha256: sha256(files.small) }, failed)).resolves.toMatchObject({
      sha256: sha256(files.small),
    });
    expect(requested.length).toBe(before + 2);
  });

  it("checks the early download's bytes against the digest too", async () => {
    const url = `${base}/small.bin?early-wrong`;
    const early = { url, bytes: Promise.resolve(Buffer.from('tampered')), takeLarge: () => undefined, release: () => undefined };
    await expect(fetchAssetToStore(store, config, registry(), url, { sha256: sha256(files.small) }, early)).rejects.toThrow(/does not match the digest/);
  });
});

describe('fetchAssetToStore sharing downloads', () => {
  it('shares one download between callers expecting the same digest, whatever its letter case', async () => {
    const url = `${base}/small.bin?shared`;
    const before = requested.length;
    const digest = sha256(files.small);
    const both = await Promise.all([
      fetchAssetToStore(store, config, registry(), url, { sha256: digest }),
      fetchAssetToStore(store, config, registry(), url, { sha256: digest.toUpperCase() }),
    ]);
    expect(both.map((digests) => digests.sha256)).toEqual([digest, digest]);
    expect(requested.length).toBe(before + 1);
  });
});
