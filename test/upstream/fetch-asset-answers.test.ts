/**
 * fetchAssetToStore against a local stand-in registry: what each answer becomes, and that a
 * file whose digest differs from the announced one, or that breaks off, leaves nothing stored.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import type { Config } from '../../src/config/config.js';
import { PayloadTooLargeError, ResourceNotFoundError, UpstreamError } from '../../src/errors.js';
import { openStore, type Store } from '../../src/store/store.js';
import { fetchAssetToStore } from '../../src/upstream/fetch-asset.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const FILE = randomBytes(4096);
const SHA256 = createHash('sha256').update(FILE).digest('hex');
const answers: Record<string, (res: ServerResponse) => void> = {
  '/ok.tgz': (res) => res.writeHead(200).end(FILE),
  '/gone.tgz': (res) => res.writeHead(410).end('gone'),
  '/missing.tgz': (res) => res.writeHead(404).end('no'),
  '/broken.tgz': (res) => res.writeHead(500).end('oops'),
  '/moved.tgz': (res) => res.writeHead(302, { location: '/ok.tgz?moved' }).end(),
  '/loop.tgz': (res) => res.writeHead(307, { location: '/loop.tgz' }).end(),
  '/nowhere.tgz': (res) => res.writeHead(301).end(),
  '/away.tgz': (res) => res.writeHead(302, { location: 'http://127.0.0.2:9/ok.tgz' }).end(),
  '/not-a-url.tgz': (res) => res.writeHead(302, { location: 'http://[oops/ok.tgz' }).end(),
  '/private/file.tgz': (res) => res.writeHead(200).end(FILE),
  // Absolute, without credentials: a relative Location would inherit them from the URL by itself.
  '/private/start.tgz': (res) => res.writeHead(302, { location: `${base}/private/file.tgz` }).end(),
  '/private/own-credentials.tgz': (res) => res.writeHead(302, { location: `${base.replace('//', '//other:pw@')}/private/file.tgz` }).end(),
  '/private/offsite.tgz': (res) => res.writeHead(302, { location: `${elsewhere}/file.tgz` }).end(),
  '/cut.tgz': (res) => {
    res.writeHead(200, { 'content-length': String(FILE.length) });
    res.write(FILE.subarray(0, 1000), () => res.socket?.destroy());
  },
};
// The Authorization header each file was asked for with, by path.
const seen: Record<string, string | undefined> = {};
// Queries only make URLs distinct, so that no download joins another one under way.
const server = createServer((req, res) => {
  const route = (req.url ?? '').split('?')[0];
  const hop = /^\/hop\/(\d+)$/.exec(route);
  if (route === '/private/file.tgz') seen[route] = req.headers.authorization;
  const answer = hop ? hopAnswer(Number(hop[1])) : answers[route];
  if (answer) answer(res);
  else res.writeHead(404).end();
});
// A chain of redirects: /hop/N sends on to /hop/N-1, and /hop/0 is the file.
const hopAnswer = (left: number) => (res: ServerResponse) => (left ? res.writeHead(302, { location: `/hop/${left - 1}` }).end() : res.writeHead(200).end(FILE));
// Another origin, where a redirect may lead when the operator allows it.
const other = createServer((req, res) => {
  seen[`other${req.url ?? ''}`] = req.headers.authorization ?? 'none';
  res.writeHead(200).end(FILE);
});
let base: string;
let elsewhere: string;
// The stand-in is the registry the files come from, so every URL here is on its own origin.
const registry = () => ({ url: `${base}/`, connectionName: 'public:npmjs' });
let store: Store;
let config: Config;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  elsewhere = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
  const root = makeTempDir('artifact-cli-fetch-asset-');
  store = openStore(root);
  config = await loadConfig({ root }, {}, root);
  config.upstream.timeoutMs = 30_000;
});
afterAll(() => {
  for (const each of [server, other]) {
    each.closeAllConnections();
    each.close();
  }
});

const storedBlobs = () => readdirSync(path.join(store.root, 'blobs'), { recursive: true }).filter((name) => /[0-9a-f]{64}$/.test(String(name)));

describe('fetchAssetToStore', () => {
  it('stores a file whose digest matches', async () => {
    const digests = await fetchAssetToStore(store, config, registry(), `${base}/ok.tgz`, { sha256: SHA256 });
    expect(digests.sha256).toBe(SHA256);
    expect(digests.size).toBe(FILE.length);
  });

  it('says the registry has no such file for 404 and 410', async () => {
    for (const file of ['missing', 'gone']) {
      const refused = fetchAssetToStore(store, config, registry(), `${base}/${file}.tgz`, { sha256: SHA256 });
      await expect(refused).rejects.toBeInstanceOf(ResourceNotFoundError);
      await expect(refused).rejects.toThrow(`The upstream registry has no file at ${base}/${file}.tgz.`);
    }
  });

  it('reports any other answer as an upstream failure naming the status', async () => {
    for (const [file, status] of [['broken', 500]] as const) {
      const refused = fetchAssetToStore(store, config, registry(), `${base}/${file}.tgz`, { sha256: SHA256 });
      await expect(refused).rejects.toBeInstanceOf(UpstreamError);
      await expect(refused).rejects.toThrow(`The upstream registry answered ${status} for ${base}/${file}.tgz.`);
    }
  });

  it("follows a redirect on the registry's own origin, and stops a loop or one without a Location", async () => {
    expect((await fetchAssetToStore(store, config, registry(), `${base}/moved.tgz`, { sha256: SHA256 })).sha256).toBe(SHA256);
    await expect(fetchAssetToStore(store, config, registry(), `${base}/loop.tgz`, { sha256: SHA256 })).rejects.toThrow(
      `The upstream registry redirected more than 5 times for ${base}/loop.tgz.`,
    );
    await expect(fetchAssetToStore(store, config, registry(), `${base}/nowhere.tgz`, { sha256: SHA256 })).rejects.toThrow(
      `The upstream registry answered 301 without a Location for ${base}/nowhere.tgz.`,
    );
  });

  it('refuses a redirect to an origin the asset-origin rule does not allow, before reaching it', async () => {
    const refused = fetchAssetToStore(store, config, registry(), `${base}/away.tgz`, { sha256: SHA256 });
    await expect(refused).rejects.toBeInstanceOf(UpstreamError);
    await expect(refused).rejects.toThrow("named a file on http://127.0.0.2:9, which is not the registry's own origin; it was not fetched.");
    // A refused origin that does answer is never asked, and nothing is stored.
    const before = storedBlobs();
    const offsite = fetchAssetToStore(store, config, registry(), `${base}/private/offsite.tgz?refused`, { sha256: SHA256 });
    await expect(offsite).rejects.toThrow(`named a file on ${elsewhere}, which is not the registry's own origin; it was not fetched.`);
    expect(seen['other/file.tgz']).toBeUndefined();
    expect(storedBlobs()).toEqual(before);
  });

  it('follows at most 5 redirects: the file at the end of five is stored, a sixth is refused', async () => {
    expect((await fetchAssetToStore(store, config, registry(), `${base}/hop/5`, { sha256: SHA256 })).sha256).toBe(SHA256);
    await expect(fetchAssetToStore(store, config, registry(), `${base}/hop/6`, { sha256: SHA256 })).rejects.toThrow(
      `The upstream registry redirected more than 5 times for ${base}/hop/6.`,
    );
  });

  it('refuses a redirect to an address that is not a URL', async () => {
    const refused = fetchAssetToStore(store, config, registry(), `${base}/not-a-url.tgz`, { sha256: SHA256 });
    await expect(refused).rejects.toBeInstanceOf(UpstreamError);
    await expect(refused).rejects.toThrow(`The upstream registry redirected ${base}/not-a-url.tgz to an address that is not a URL.`);
  });

  it("sends the URL's credentials on to a redirect on the same origin only", async () => {
    const withCredentials = (route: string) => `${base.replace('//', '//user:secret@')}${route}`;
    const basic = (pair: string) => `Basic ${Buffer.from(pair).toString('base64')}`;
    const allowing = { ...config, upstream: { ...config.upstream, assetOrigins: [elsewhere] } };
    expect((await fetchAssetToStore(store, allowing, registry(), withCredentials('/private/start.tgz'), { sha256: SHA256 })).sha256).toBe(SHA256);
    expect(seen['/private/file.tgz']).toBe(basic('user:secret'));
    // A Location with credentials of its own keeps them.
    await fetchAssetToStore(store, allowing, registry(), withCredentials('/private/own-credentials.tgz'), { sha256: SHA256 });
    expect(seen['/private/file.tgz']).toBe(basic('other:pw'));
    // Another origin, even an allowed one, gets none.
    expect((await fetchAssetToStore(store, allowing, registry(), withCredentials('/private/offsite.tgz'), { sha256: SHA256 })).sha256).toBe(SHA256);
    expect(seen['other/file.tgz']).toBe('none');
  });

  it('stores nothing when the file differs from the announced digest, and echoes neither digest', async () => {
    const before = storedBlobs();
    const wrong = '0'.repeat(64);
    const error = await fetchAssetToStore(store, config, registry(), `${base}/ok.tgz?again`, { sha256: wrong }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UpstreamError);
    // The query is left out of the message (redactUrl), like any credentials in the URL.
    expect((error as UpstreamError).message).toMatch(
      new RegExp(`^The file from ${base}/ok\\.tgz\\S* does not match the digest the registry announced; it was not stored\\.$`),
    );
    // A foreign body's digest would tell the client about bytes only the server could fetch.
    expect(`${(error as UpstreamError).message} ${(error as UpstreamError).hint ?? ''}`).not.toContain(SHA256);
    expect(`${(error as UpstreamError).message} ${(error as UpstreamError).hint ?? ''}`).not.toContain(wrong);
    expect(storedBlobs()).toEqual(before);
  });

  it('stores nothing from a download that breaks off', async () => {
    const before = storedBlobs();
    const error = await fetchAssetToStore(store, config, registry(), `${base}/cut.tgz`, { sha256: SHA256 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).message).toMatch(new RegExp(`^The download of ${base}/cut\\.tgz broke off: .+; nothing was stored\\.$`));
    expect(storedBlobs()).toEqual(before);
  });

  it("keeps the server's upload limit for files from upstream, and says so as it is", async () => {
    const small = { ...config, server: { ...config.server, maxUploadBytes: 100 } };
    await expect(fetchAssetToStore(store, small, registry(), `${base}/ok.tgz?limit`, { sha256: SHA256 })).rejects.toBeInstanceOf(PayloadTooLargeError);
    await expect(fetchAssetToStore(store, config, registry(), `${base}/ok.tgz?own-limit`, { sha256: SHA256, maxBytes: 100 })).rejects.toBeInstanceOf(
      PayloadTooLargeError,
    );
  });

  it('refuses at once when the server is offline', async () => {
    const refused = fetchAssetToStore(store, { ...config, offline: true }, registry(), `${base}/ok.tgz?offline`, {});
    await expect(refused).rejects.toThrow('This file is not stored here and the server is offline.');
    await expect(refused).rejects.toMatchObject({ hint: 'Run `artifact-cli sync` while online to fetch it.' });
  });
});
