/**
 * An upstream registry decides where its files are, and a hostile one names hosts only the
 * server can reach. Files (and NuGet's documents) are fetched only from the registry's own
 * origin or one upstream.assetOrigins lists, redirects only to such an origin; a digest mismatch never
 * tells the client the digest of what was fetched; and downloads of one URL are shared only by
 * requests expecting the same digest.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/config.js';
import { loadConfig } from '../../src/config/load-config.js';
import { ValidationError } from '../../src/errors.js';
import { createDomain } from '../../src/operations/domains.js';
import { associateExternalConnection, createRepository } from '../../src/operations/repositories.js';
import { getAuthorizationToken } from '../../src/operations/tokens.js';
import { startServer, type RunningServer } from '../../src/server/serve.js';
import { openStore } from '../../src/store/store.js';
import { isAllowedAssetUrl } from '../../src/upstream/asset-origins.js';
import { defaultAssetOrigins } from '../../src/upstream/external-urls.js';
import { buildNpmTarball } from '../helpers/npm-tarball.js';
import { TEST_SERVER_OPTIONS } from '../helpers/server-options.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const SECRET = Buffer.from('internal only: the body of a service the upstream merely names\n');
const sha512Hex = (bytes: Buffer) => createHash('sha512').update(bytes).digest('hex');
const sri = (bytes: Buffer) => `sha512-${createHash('sha512').update(bytes).digest('base64')}`;

interface Listener {
  server: Server;
  url: string;
  hits: string[];
}

async function listen(handle: (req: IncomingMessage, res: ServerResponse, url: string) => void): Promise<Listener> {
  const hits: string[] = [];
  const listener = { hits } as Listener;
  listener.server = createServer((req, res) => {
    hits.push(req.url ?? '');
    handle(req, res, listener.url);
  });
  await new Promise<void>((resolve) => listener.server.listen(0, '127.0.0.1', resolve));
  listener.url = `http://127.0.0.1:${(listener.server.address() as AddressInfo).port}`;
  return listener;
}

let internal: Listener;
let hostile: Listener;
let server: RunningServer;
const tokens = new Map<RunningServer, string>();
const heldShared: (() => void)[] = [];
let sharedOpen = false;
const releaseShared = () => {
  // Requests that come after this (a loaded machine) are answered at once.
  sharedOpen = true;
  heldShared.splice(0).forEach((send) => send());
};
let sharedRequests = 0;
const sharedArrived: (() => void)[] = [];
const good = buildNpmTarball({ name: 'shared-a', version: '1.0.0' });

function packument(name: string, tarball: string, integrity: string): object {
  return { name, 'dist-tags': { latest: '1.0.0' }, versions: { '1.0.0': { name, version: '1.0.0', dist: { tarball, integrity } } } };
}

function hostileRoutes(req: IncomingMessage, res: ServerResponse, own: string): void {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  const json = (body: unknown): void => void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  const npm: Record<string, () => object> = {
    '/offsite': () => packument('offsite', `${internal.url}/secret.tgz`, sri(SECRET)),
    '/localhost-spelling': () => packument('localhost-spelling', `${internal.url.replace('127.0.0.1', 'localhost')}/secret.tgz`, sri(SECRET)),
    '/redirected': () => packument('redirected', `${own}/moved.tgz`, sri(SECRET)),
    '/mismatch': () => packument('mismatch', `${own}/other.tgz`, sri(Buffer.from('what the registry announced'))),
    '/shared-a': () => packument('shared-a', `${own}/shared.tgz`, good.integrity),
    '/shared-b': () => packument('shared-b', `${own}/shared.tgz`, sri(Buffer.from('another package entirely'))),
  };
  if (npm[path]) return json(npm[path]());
  if (path === '/moved.tgz') return void res.writeHead(302, { location: `${internal.url}/secret.tgz` }).end();
  if (path === '/other.tgz') return void res.writeHead(200).end(Buffer.from('the bytes the registry really sends'));
  if (path === '/shared.tgz') {
    sharedRequests += 1;
    sharedArrived.splice(0).forEach((arrived) => arrived());
    if (sharedOpen) return void res.writeHead(200).end(good.bytes);
    heldShared.push(() => res.writeHead(200).end(good.bytes));
    return;
  }
  if (path === '/simple/evilpy/') {
    return void res.writeHead(200, { 'content-type': 'application/vnd.pypi.simple.v1+json' }).end(
      JSON.stringify({
        meta: { 'api-version': '1.1' },
        name: 'evilpy',
        files: [
          { filename: 'evilpy-1.0.tar.gz', url: `${internal.url}/evilpy-1.0.tar.gz`, hashes: { sha256: createHash('sha256').update(SECRET).digest('hex') } },
        ],
      }),
    );
  }
  if (path === '/v3/index.json') {
    return json({
      version: '3.0.0',
      resources: [
        { '@id': `${internal.url}/flat/`, '@type': 'PackageBaseAddress/3.0.0' },
        { '@id': `${internal.url}/registration/`, '@type': 'RegistrationsBaseUrl/3.6.0' },
      ],
    });
  }
  res.writeHead(404).end();
}

async function startProxyServer(settings: Partial<Config['upstream']> = {}): Promise<RunningServer> {
  const root = makeTempDir('artifact-cli-asset-origins-');
  const store = openStore(root);
  await createDomain(store, { domain: 'acme' });
  for (const [repository, connection] of [
    ['npm-store', 'public:npmjs'],
    ['pypi-store', 'public:pypi'],
    ['nuget-store', 'public:nuget-org'],
  ]) {
    await createRepository(store, { domain: 'acme', repository });
    await associateExternalConnection(store, 'acme', repository, connection);
  }
  const token = (await getAuthorizationToken(store, { domain: 'acme' })).authorizationToken;
  const config = await loadConfig({ root }, {}, root);
  config.server.port = 0;
  config.upstream = { ...config.upstream, timeoutMs: 5000, metadataMaxAgeSeconds: 0, ...settings };
  config.externalConnections = { 'public:npmjs': `${hostile.url}/`, 'public:pypi': `${hostile.url}/`, 'public:nuget-org': `${hostile.url}/v3/index.json` };
  const running = await startServer({ ...TEST_SERVER_OPTIONS, store, config, log: () => undefined });
  tokens.set(running, token);
  return running;
}

const get = (running: RunningServer, path: string) => fetch(`${running.url}/acme/${path}`, { headers: { authorization: `Bearer ${tokens.get(running)}` } });

beforeAll(async () => {
  internal = await listen((_req, res) => res.writeHead(200).end(SECRET));
  hostile = await listen(hostileRoutes);
  server = await startProxyServer();
});

afterAll(async () => {
  releaseShared();
  await server?.close(100);
  await Promise.all([internal, hostile].map((listener) => new Promise((resolve) => listener?.server.close(resolve))));
});

describe('files are fetched only from the registry that described them', () => {
  it.each([
    ['an npm tarball on another loopback port', 'npm/npm-store/offsite/-/offsite-1.0.0.tgz'],
    ['an npm tarball on the same port spelled localhost', 'npm/npm-store/localhost-spelling/-/localhost-spelling-1.0.0.tgz'],
    ['an npm tarball the registry redirects to loopback', 'npm/npm-store/redirected/-/redirected-1.0.0.tgz'],
    ['a PyPI file on another loopback port', 'pypi/pypi-store/simple/evilpy/1.0/evilpy-1.0.tar.gz'],
    ['a NuGet package under a PackageBaseAddress on another port', 'nuget/nuget-store/v3/package/evil/1.0.0/evil.1.0.0.nupkg'],
    ['a NuGet version list under a PackageBaseAddress on another port', 'nuget/nuget-store/v3/package/evil/index.json'],
  ])('refuses %s without reaching it', async (_label, path) => {
    const before = internal.hits.length;
    const response = await get(server, path);
    const body = await response.text();
    expect(response.status, body).toBeGreaterThanOrEqual(400);
    expect(response.status).not.toBe(200);
    expect(body).not.toContain(SECRET.toString().trim());
    expect(body).not.toContain(sha512Hex(SECRET));
    expect(internal.hits.length - before).toBe(0);
  });

  it('says why in one line, naming the refused origin and the setting that allows it', async () => {
    const response = await get(server, 'npm/npm-store/offsite/-/offsite-1.0.0.tgz');
    expect(response.status).toBe(502);
    const text = await response.text();
    expect(text).toContain(internal.url);
    expect(text).toContain('upstream.assetOrigins');
  });

  it('fetches from an origin the operator allows in upstream.assetOrigins', async () => {
    const allowing = await startProxyServer({ assetOrigins: [internal.url] });
    try {
      const response = await get(allowing, 'npm/npm-store/offsite/-/offsite-1.0.0.tgz');
      expect(response.status).toBe(200);
      expect(Buffer.from(await response.arrayBuffer()).equals(SECRET)).toBe(true);
    } finally {
      await allowing.close(100);
    }
  });

  it('does not tell the client the digest of bytes that did not match', async () => {
    const response = await get(server, 'npm/npm-store/mismatch/-/mismatch-1.0.0.tgz');
    expect(response.status).toBe(502);
    const text = await response.text();
    expect(text).toMatch(/does not match the digest/);
    expect(text).not.toContain(sha512Hex(Buffer.from('the bytes the registry really sends')));
    expect(text).not.toContain(createHash('sha512').update('the bytes the registry really sends').digest('base64'));
  });
});

describe('one URL announced with two digests', () => {
  it('checks each package against its own digest, even while the download is shared', async () => {
    const arrived = () => new Promise<void>((resolve) => sharedArrived.push(resolve));
    const first = arrived();
    const a = get(server, 'npm/npm-store/shared-a/-/shared-a-1.0.0.tgz');
    await first;
    const second = arrived();
    const b = get(server, 'npm/npm-store/shared-b/-/shared-b-1.0.0.tgz');
    // b either asks for the file itself (the fix) or joins a's download (the flaw); let both go
    // once b's request is there, or after a moment in which it would have joined.
    await Promise.race([second, new Promise((resolve) => setTimeout(resolve, 1000))]);
    releaseShared();
    const [answerA, answerB] = await Promise.all([a, b]);
    expect(answerA.status).toBe(200);
    expect(Buffer.from(await answerA.arrayBuffer()).equals(good.bytes)).toBe(true);
    expect(answerB.status).toBe(502);
    expect(await answerB.text()).toMatch(/does not match the digest/);
    expect(sharedRequests).toBeGreaterThanOrEqual(1);
  });
});

describe('isAllowedAssetUrl', () => {
  const config = (assetOrigins: string[] = [], externalConnections: Record<string, string> = {}) =>
    ({ upstream: { metadataMaxAgeSeconds: 0, timeoutMs: 1000, assetOrigins }, externalConnections }) as unknown as Config;
  const source = { url: 'http://127.0.0.1:4000/registry/', connectionName: 'public:npmjs' };

  it('allows the registry origin only, by scheme, host and port', () => {
    expect(isAllowedAssetUrl(config(), source, 'http://127.0.0.1:4000/other/path.tgz')).toBe(true);
    expect(isAllowedAssetUrl(config(), source, 'http://127.0.0.1:4001/path.tgz')).toBe(false);
    expect(isAllowedAssetUrl(config(), source, 'https://127.0.0.1:4000/path.tgz')).toBe(false);
    expect(isAllowedAssetUrl(config(), source, 'http://localhost:4000/path.tgz')).toBe(false);
    expect(isAllowedAssetUrl(config(), source, 'http://user:pw@127.0.0.1:4000/path.tgz')).toBe(true);
    expect(isAllowedAssetUrl(config(), source, 'file:///etc/passwd')).toBe(false);
    expect(isAllowedAssetUrl(config(), source, 'not a url')).toBe(false);
  });

  it('adds the origins the operator lists', () => {
    expect(isAllowedAssetUrl(config(['http://127.0.0.1:4001']), source, 'http://127.0.0.1:4001/path.tgz')).toBe(true);
  });

  it("keeps a public connection's own file host only while its address is the default", () => {
    const pypi = { url: 'https://index.example/', connectionName: 'public:pypi' };
    const known = `${defaultAssetOrigins('public:pypi')[0]}/packages/x.tar.gz`;
    expect(isAllowedAssetUrl(config(), pypi, known)).toBe(true);
    expect(isAllowedAssetUrl(config([], { 'public:pypi': 'https://index.example/' }), pypi, known)).toBe(false);
  });

  it("keeps the public cargo index's crate host the same way, and no other connection gets it", () => {
    const crates = { url: 'https://index.example/', connectionName: 'public:crates-io' };
    expect(defaultAssetOrigins('public:crates-io')).toHaveLength(1);
    const crate = `${defaultAssetOrigins('public:crates-io')[0]}/crates/serde/serde-1.0.0.crate`;
    expect(isAllowedAssetUrl(config(), crates, crate)).toBe(true);
    expect(isAllowedAssetUrl(config([], { 'public:crates-io': 'https://index.example/' }), crates, crate)).toBe(false);
    expect(isAllowedAssetUrl(config(), { url: 'https://index.example/', connectionName: 'public:npmjs' }, crate)).toBe(false);
  });
});

describe('upstream.assetOrigins setting', () => {
  it('takes a list from the file or a comma-separated one from the environment, as origins', async () => {
    const root = makeTempDir('artifact-cli-asset-origins-config-');
    const config = await loadConfig({ root }, { ARTIFACT_CLI_UPSTREAM_ASSET_ORIGINS: 'https://files.example.org, http://127.0.0.1:8080/' }, root);
    expect(config.upstream.assetOrigins).toEqual(['https://files.example.org', 'http://127.0.0.1:8080']);
    expect((await loadConfig({ root }, {}, root)).upstream.assetOrigins).toEqual([]);
  });

  it.each([
    'https://files.example.org/packages/',
    'ftp://files.example.org',
    'https://user:pw@files.example.org',
    'files.example.org',
    'https://files.example.org?x=1',
  ])('refuses %j with a ValidationError naming the setting', async (value) => {
    const root = makeTempDir('artifact-cli-asset-origins-config-');
    const loading = loadConfig({ root }, { ARTIFACT_CLI_UPSTREAM_ASSET_ORIGINS: value }, root);
    await expect(loading).rejects.toBeInstanceOf(ValidationError);
    await expect(loadConfig({ root }, { ARTIFACT_CLI_UPSTREAM_ASSET_ORIGINS: value }, root)).rejects.toThrow(/upstream\.assetOrigins/);
  });
});
