/**
 * Well-formed but hostile upstreams, for each format: metadata that names files on another
 * loopback port or under another spelling of the same host, file answers that redirect to
 * loopback, NuGet documents that point their pages and catalog entries elsewhere, and one URL
 * announced with two digests. A listener the upstream merely names is never reached, no answer
 * carries what such a listener holds (nor its digest), and each package is checked against its
 * own digest even while two share a download (docs/upstreams.md).
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildNpmTarball } from '../helpers/npm-tarball.js';
import { recordFigures } from './support/figures.js';
import { basicAuth, prepareRoot, startHardeningServer, type HardeningServer } from './support/hardening-server.js';

const SECRET = Buffer.from('bystander: what only the server can reach\n');
const digest = (algorithm: string, bytes: Buffer | string, encoding: 'hex' | 'base64' = 'hex') => createHash(algorithm).update(bytes).digest(encoding);
const TWIN = buildNpmTarball({ name: 'twin-a', version: '1.0.0' });
const TWIN_FILE = Buffer.from('the one file two projects name\n');

interface Listener {
  server: Server;
  origin: string;
  hits: string[];
}

async function listen(handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<Listener> {
  const listener = { hits: [] as string[] } as Listener;
  listener.server = createServer((req, res) => {
    listener.hits.push(req.url ?? '');
    handle(req, res);
  });
  await new Promise<void>((resolve) => listener.server.listen(0, '127.0.0.1', resolve));
  listener.origin = `http://127.0.0.1:${(listener.server.address() as AddressInfo).port}`;
  return listener;
}

let bystander: Listener;
let hostile: Listener;
let server: HardeningServer;
let cases = 0;

/** Answers to one file held until the test lets them go, to make two requests meet in one download. */
const held = { answers: [] as (() => void)[], arrivals: [] as (() => void)[], requests: 0, open: false };
const holdAnswer = (send: () => void) => {
  held.requests += 1;
  // Once let go, requests that come late (a loaded machine) are answered at once.
  if (held.open) return send();
  held.answers.push(send);
  held.arrivals.splice(0).forEach((arrived) => arrived());
};
const releaseHeld = () => {
  held.open = true;
  held.answers.splice(0).forEach((send) => send());
};
const nextArrival = () => new Promise<void>((resolve) => held.arrivals.push(resolve));

function npmPackument(name: string, tarball: string, integrity: string): object {
  return { name, 'dist-tags': { latest: '1.0.0' }, versions: { '1.0.0': { name, version: '1.0.0', dist: { tarball, integrity } } } };
}

function pypiPage(project: string, url: string, sha256: string): object {
  return { meta: { 'api-version': '1.1' }, name: project, files: [{ filename: `${project}-1.0.tar.gz`, url, hashes: { sha256 } }] };
}

function nugetLeaf(id: string, catalogId?: string): object {
  return {
    '@id': `${hostile.origin}/nuget/reg/${id}/1.0.0.json`,
    catalogEntry: { '@id': catalogId ?? `${hostile.origin}/nuget/reg/${id}/1.0.0.json`, id, version: '1.0.0' },
  };
}

function hostileRoutes(req: IncomingMessage, res: ServerResponse): void {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  const own = hostile.origin;
  const json = (body: unknown, type = 'application/json'): void => void res.writeHead(200, { 'content-type': type }).end(JSON.stringify(body));
  const redirect = (): void => void res.writeHead(302, { location: `${bystander.origin}/secret` }).end();
  const secretSri = `sha512-${digest('sha512', SECRET, 'base64')}`;
  const npm: Record<string, object> = {
    '/npm/offsite': npmPackument('offsite', `${bystander.origin}/offsite.tgz`, secretSri),
    '/npm/spelled-localhost': npmPackument('spelled-localhost', `${bystander.origin.replace('127.0.0.1', 'localhost')}/x.tgz`, secretSri),
    '/npm/redirected': npmPackument('redirected', `${own}/npm/moved.tgz`, secretSri),
    '/npm/twin-a': npmPackument('twin-a', `${own}/npm/twin.tgz`, TWIN.integrity),
    '/npm/twin-b': npmPackument('twin-b', `${own}/npm/twin.tgz`, `sha512-${digest('sha512', 'not the twin', 'base64')}`),
  };
  if (npm[path]) return json(npm[path]);
  if (path === '/npm/moved.tgz' || path === '/pypi/files/moved.tar.gz' || path === '/nuget/flat/redirected/1.0.0/redirected.1.0.0.nupkg') return redirect();
  if (path === '/npm/twin.tgz') return holdAnswer(() => void res.writeHead(200).end(TWIN.bytes));
  if (path === '/pypi/files/twin.tar.gz') return holdAnswer(() => void res.writeHead(200).end(TWIN_FILE));

  const simple = /^\/pypi\/simple\/([^/]+)\/$/.exec(path)?.[1];
  const pypi: Record<string, object> = {
    offsite: pypiPage('offsite', `${bystander.origin}/offsite-1.0.tar.gz`, digest('sha256', SECRET)),
    redirected: pypiPage('redirected', `${own}/pypi/files/moved.tar.gz`, digest('sha256', SECRET)),
    'twin-a': pypiPage('twin-a', `${own}/pypi/files/twin.tar.gz`, digest('sha256', TWIN_FILE)),
    'twin-b': pypiPage('twin-b', `${own}/pypi/files/twin.tar.gz`, digest('sha256', 'not the twin')),
  };
  if (simple && pypi[simple]) return json(pypi[simple], 'application/vnd.pypi.simple.v1+json');

  if (path === '/nuget/v3/index.json') {
    return json({
      version: '3.0.0',
      resources: [
        { '@id': `${own}/nuget/flat/`, '@type': 'PackageBaseAddress/3.0.0' },
        { '@id': `${own}/nuget/reg/`, '@type': 'RegistrationsBaseUrl/3.6.0' },
      ],
    });
  }
  const flat = /^\/nuget\/flat\/([^/]+)\/index\.json$/.exec(path)?.[1];
  if (flat) return json({ versions: ['1.0.0'] });
  const registration = /^\/nuget\/reg\/([^/]+)\/index\.json$/.exec(path)?.[1];
  if (registration === 'offsite-page') return json({ count: 1, items: [{ '@id': `${bystander.origin}/page.json`, count: 1, lower: '1.0.0', upper: '1.0.0' }] });
  if (registration === 'offsite-catalog')
    return json({
      count: 1,
      items: [{ '@id': `${own}/nuget/reg/offsite-catalog/page.json`, count: 1, items: [nugetLeaf('offsite-catalog', `${bystander.origin}/catalog.json`)] }],
    });
  if (registration) return json({ count: 1, items: [{ '@id': `${own}/nuget/reg/${registration}/page.json`, count: 1, items: [nugetLeaf(registration)] }] });

  if (path === '/maven/com/evil/redirected/1.0/redirected-1.0.jar.sha1') return void res.writeHead(200).end(digest('sha1', SECRET));
  if (path === '/maven/com/evil/redirected/1.0/redirected-1.0.jar') return redirect();
  if (path === '/maven/com/evil/checksum/1.0/checksum-1.0.jar.sha1') return redirect();
  res.writeHead(404).end();
}

beforeAll(async () => {
  bystander = await listen((_req, res) => res.writeHead(200).end(SECRET));
  hostile = await listen(hostileRoutes);
  const stores = [
    { name: 'npm-store', externalConnection: 'public:npmjs' },
    { name: 'pypi-store', externalConnection: 'public:pypi' },
    { name: 'nuget-store', externalConnection: 'public:nuget-org' },
    { name: 'maven-store', externalConnection: 'public:maven-central' },
  ];
  const prepared = await prepareRoot(stores);
  const externalConnections = {
    'public:npmjs': `${hostile.origin}/npm/`,
    'public:pypi': `${hostile.origin}/pypi/`,
    'public:nuget-org': `${hostile.origin}/nuget/v3/index.json`,
    'public:maven-central': `${hostile.origin}/maven/`,
  };
  server = await startHardeningServer(prepared, { externalConnections, upstream: { timeoutMs: 5000, metadataMaxAgeSeconds: 0 } });
});

afterAll(async () => {
  releaseHeld();
  recordFigures('hostile asset URLs', { cases, 'bystander requests': bystander?.hits.length ?? -1 });
  await server?.stop();
  await Promise.all([bystander, hostile].map((listener) => new Promise((resolve) => (listener ? listener.server.close(resolve) : resolve(undefined)))));
});

function get(format: string, path: string): Promise<Response> {
  cases += 1;
  return fetch(`${server.endpoint(format, `${format}-store`)}${path}`, { headers: { authorization: basicAuth(server.prepared.token) } });
}

describe('hostile but well-formed upstreams', () => {
  it.each([
    ['npm', 'a tarball on another loopback port', 'offsite/-/offsite-1.0.0.tgz'],
    ['npm', 'a tarball on the same listener spelled localhost', 'spelled-localhost/-/spelled-localhost-1.0.0.tgz'],
    ['npm', 'a tarball answer that redirects to loopback', 'redirected/-/redirected-1.0.0.tgz'],
    ['pypi', 'a file on another loopback port', 'simple/offsite/1.0/offsite-1.0.tar.gz'],
    ['pypi', 'a file answer that redirects to loopback', 'simple/redirected/1.0/redirected-1.0.tar.gz'],
    ['nuget', 'a registration page on another loopback port', 'v3/package/offsite-page/1.0.0/offsite-page.1.0.0.nupkg'],
    ['nuget', 'a catalog entry on another loopback port', 'v3/package/offsite-catalog/1.0.0/offsite-catalog.1.0.0.nupkg'],
    ['nuget', 'a package answer that redirects to loopback', 'v3/package/redirected/1.0.0/redirected.1.0.0.nupkg'],
    ['maven', 'a file answer that redirects to loopback', 'com/evil/redirected/1.0/redirected-1.0.jar'],
    ['maven', 'a checksum answer that redirects to loopback', 'com/evil/checksum/1.0/checksum-1.0.jar'],
  ])('%s: %s is not followed, and the listener it names is never reached', async (format, _what, path) => {
    const before = bystander.hits.length;
    const response = await get(format, path);
    const body = Buffer.from(await response.arrayBuffer()).toString('latin1');
    expect(response.status, body).not.toBe(200);
    expect(response.status).toBeLessThan(600);
    expect(body).not.toContain(SECRET.toString('latin1').trim());
    for (const algorithm of ['sha512', 'sha256', 'sha1']) {
      expect(body).not.toContain(digest(algorithm, SECRET));
      expect(body).not.toContain(digest(algorithm, SECRET, 'base64'));
    }
    expect(bystander.hits.length - before, `the bystander was asked for ${bystander.hits.slice(before).join(', ')}`).toBe(0);
  });

  it.each([
    ['npm', 'twin-a/-/twin-a-1.0.0.tgz', 'twin-b/-/twin-b-1.0.0.tgz', TWIN.bytes],
    ['pypi', 'simple/twin-a/1.0/twin-a-1.0.tar.gz', 'simple/twin-b/1.0/twin-b-1.0.tar.gz', TWIN_FILE],
  ])('%s: one URL announced with two digests gives each package its own check, even while downloads meet', async (format, first, second, bytes) => {
    held.open = false;
    const arrived = nextArrival();
    const a = get(format, first);
    await arrived;
    const again = nextArrival();
    const b = get(format, second);
    // The second request either asks for the file itself or would have joined the first's
    // download by now; then both answers go out.
    await Promise.race([again, new Promise((resolve) => setTimeout(resolve, 1000))]);
    releaseHeld();
    const [answerA, answerB] = await Promise.all([a, b]);
    expect(answerA.status).toBe(200);
    expect(Buffer.from(await answerA.arrayBuffer()).equals(bytes)).toBe(true);
    expect(answerB.status).toBe(502);
    expect(await answerB.text()).toMatch(/does not match the digest/);
    releaseHeld();
  });

  it('never reached the bystander at all', () => {
    expect(bystander.hits).toEqual([]);
  });
});
