/**
 * A stand-in for nuget.org on 127.0.0.1: a service index, a flat container, a registration hive
 * that is always gzipped (as nuget.org's registration5-gz-semver2 is, whatever the client asks)
 * and catalog leaves that hold each package's SHA-512, where nuget.org keeps it. Faults can be
 * switched on per kind of document, so tests never need the internet.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { buildNupkg, type BuiltNupkg, type NupkgSpec } from './nupkg.js';

export type NuGetFault = 'none' | 'error500' | 'down' | 'hang' | 'not-json' | 'wrong-digest' | 'cut-body' | 'wrong-identity';
export type FaultScope = 'index' | 'flat' | 'registration' | 'catalog' | 'package' | 'all';

/** Where the registration tells the SHA-512: in a catalog leaf (nuget.org), inline, or nowhere. */
export type DigestMode = 'catalog' | 'inline' | 'none';

export interface FakeNuGetServer {
  url: string;
  /** The service index URL, what public:nuget-org points at. */
  sourceUrl: string;
  requests: string[];
  add(spec: NupkgSpec, options?: { listed?: boolean }): BuiltNupkg;
  setFault(fault: NuGetFault, scope?: FaultScope): void;
  setDigestMode(mode: DigestMode): void;
  /** Registration pages inlined in the index (nuget.org inlines below 128 versions). */
  setInlinePages(inline: boolean): void;
  /**
   * Holds answers of kind `held` until a request of kind `until` has come in (or answers 504
   * after `timeoutMs`): shows that the server asks for both at once, not one after the other.
   */
  holdUntilAsked(held: FaultScope, until: FaultScope, timeoutMs?: number): void;
  /** Answers held requests now and holds no more. */
  stopHolding(): void;
  close(): Promise<void>;
}

interface Stored {
  id: string;
  version: string;
  listed: boolean;
  nupkg: BuiltNupkg;
  dependencies: NupkgSpec['dependencyGroups'];
}

const PAGE_SIZE = 2;

export async function startFakeNuGetServer(): Promise<FakeNuGetServer> {
  const packages = new Map<string, Stored[]>();
  const requests: string[] = [];
  let fault: NuGetFault = 'none';
  let faultScope: FaultScope = 'all';
  let digestMode: DigestMode = 'catalog';
  let inlinePages = true;
  let hold: { held: FaultScope; until: FaultScope; timeoutMs: number; asked: boolean } | undefined;
  let waiting: (() => void)[] = [];
  let url = '';

  const lower = (text: string) => text.toLowerCase();
  const flatBase = () => `${url}/v3-flatcontainer/`;
  const registrationBase = () => `${url}/v3/registration5-gz-semver2/`;
  const catalogUrl = (stored: Stored) => `${url}/v3/catalog0/data/2024.01.01/${lower(stored.id)}.${lower(stored.version)}.json`;

  const catalogEntry = (stored: Stored) => ({
    '@id': digestMode === 'none' ? `${registrationBase()}${lower(stored.id)}/${lower(stored.version)}.json` : catalogUrl(stored),
    '@type': 'PackageDetails',
    id: stored.id,
    version: stored.version,
    authors: 'Public Author',
    description: `${stored.id} from the public source`,
    listed: stored.listed,
    published: stored.listed ? '2024-01-01T00:00:00+00:00' : '1900-01-01T00:00:00+00:00',
    packageContent: `${flatBase()}${lower(stored.id)}/${lower(stored.version)}/${lower(stored.id)}.${lower(stored.version)}.nupkg`,
    dependencyGroups: (stored.dependencies ?? []).map((group) => ({
      targetFramework: group.targetFramework,
      dependencies: group.dependencies.map((dependency) => ({ id: dependency.id, range: dependency.version ? `[${dependency.version}, )` : undefined })),
    })),
    ...(digestMode === 'inline' ? { packageHash: stored.nupkg.sha512Base64, packageHashAlgorithm: 'SHA512' } : {}),
  });

  const leaf = (stored: Stored) => ({
    '@id': `${registrationBase()}${lower(stored.id)}/${lower(stored.version)}.json`,
    catalogEntry: catalogEntry(stored),
    packageContent: catalogEntry(stored).packageContent,
  });

  const registration = (id: string) => {
    const versions = packages.get(id) ?? [];
    const index = `${registrationBase()}${id}/index.json`;
    const pages = [];
    for (let start = 0; start < versions.length; start += PAGE_SIZE) {
      const slice = versions.slice(start, start + PAGE_SIZE);
      const [first, last] = [lower(slice[0].version), lower(slice[slice.length - 1].version)];
      const pageUrl = `${registrationBase()}${id}/page/${first}/${last}.json`;
      pages.push({ '@id': pageUrl, count: slice.length, lower: first, upper: last, parent: index, items: slice.map(leaf) });
    }
    return { index, pages };
  };

  const applies = (scope: FaultScope) => fault !== 'none' && (faultScope === 'all' || faultScope === scope);

  const json = (req: IncomingMessage, res: ServerResponse, value: unknown, gzip = false) => {
    const body = Buffer.from(JSON.stringify(value));
    if (gzip) return void res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' }).end(gzipSync(body));
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  };
  const notFound = (res: ServerResponse) => void res.writeHead(404, { 'content-type': 'application/xml' }).end('<Error><Code>BlobNotFound</Code></Error>');

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push(pathname);
    const scope: FaultScope =
      pathname === '/v3/index.json'
        ? 'index'
        : pathname.endsWith('.nupkg')
          ? 'package'
          : pathname.startsWith('/v3-flatcontainer/')
            ? 'flat'
            : pathname.startsWith('/v3/catalog0/')
              ? 'catalog'
              : 'registration';
    if (hold && scope === hold.until) {
      hold.asked = true;
      for (const release of waiting.splice(0)) release();
    }
    if (hold && scope === hold.held && !hold.asked) {
      const { timeoutMs } = hold;
      const timer = setTimeout(() => {
        waiting = waiting.filter((release) => release !== answer);
        res.writeHead(504, { 'content-type': 'text/plain' }).end('held too long');
      }, timeoutMs);
      const answer = () => {
        clearTimeout(timer);
        answerRequest(req, res, pathname, scope);
      };
      waiting.push(answer);
      return;
    }
    answerRequest(req, res, pathname, scope);
  };

  const answerRequest = (req: IncomingMessage, res: ServerResponse, pathname: string, scope: FaultScope) => {
    if (applies(scope)) {
      if (fault === 'down') return void req.socket.destroy();
      if (fault === 'hang') return;
      if (fault === 'error500') return void res.writeHead(500, { 'content-type': 'text/plain' }).end('boom');
      if (fault === 'not-json' && scope !== 'package') return void res.writeHead(200, { 'content-type': 'application/json' }).end('<html>maintenance</html>');
    }
    if (pathname === '/v3/index.json') {
      return json(req, res, {
        version: '3.0.0',
        resources: [
          { '@id': flatBase(), '@type': 'PackageBaseAddress/3.0.0' },
          { '@id': `${url}/v3/registration5-semver1/`, '@type': 'RegistrationsBaseUrl' },
          { '@id': registrationBase(), '@type': 'RegistrationsBaseUrl/3.6.0' },
          { '@id': `${url}/query`, '@type': 'SearchQueryService/3.5.0' },
        ],
      });
    }
    let match = /^\/v3-flatcontainer\/([^/]+)\/index\.json$/.exec(pathname);
    if (match) {
      const versions = packages.get(match[1]);
      return versions ? json(req, res, { versions: versions.map((stored) => lower(stored.version)) }) : notFound(res);
    }
    match = /^\/v3-flatcontainer\/([^/]+)\/([^/]+)\/[^/]+\.nupkg$/.exec(pathname);
    if (match) {
      const stored = packages.get(match[1])?.find((candidate) => lower(candidate.version) === match?.[2]);
      if (!stored) return notFound(res);
      let bytes = stored.nupkg.bytes;
      if (applies('package') && fault === 'wrong-digest') bytes = Buffer.concat([bytes, Buffer.from('tampered')]);
      if (applies('package') && fault === 'wrong-identity') bytes = buildNupkg({ id: 'Evil.Package', version: '6.6.6' }).bytes;
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length });
      if (applies('package') && fault === 'cut-body') {
        res.write(bytes.subarray(0, Math.floor(bytes.length / 2)));
        setTimeout(() => req.socket.destroy(), 20);
        return;
      }
      return void res.end(bytes);
    }
    match = /^\/v3\/registration5-gz-semver2\/([^/]+)\/index\.json$/.exec(pathname);
    if (match) {
      if (!packages.has(match[1])) return notFound(res);
      const { pages } = registration(match[1]);
      const items = pages.map((page) => (inlinePages ? page : { '@id': page['@id'], count: page.count, lower: page.lower, upper: page.upper }));
      return json(req, res, { count: items.length, items }, true);
    }
    match = /^\/v3\/registration5-gz-semver2\/([^/]+)\/page\/.+\.json$/.exec(pathname);
    if (match) {
      const page = registration(match[1]).pages.find((candidate) => candidate['@id'] === `${url}${pathname}`);
      return page ? json(req, res, page, true) : notFound(res);
    }
    match = /^\/v3\/catalog0\/data\/[^/]+\/(.+)\.json$/.exec(pathname);
    if (match) {
      const stored = [...packages.values()].flat().find((candidate) => `${lower(candidate.id)}.${lower(candidate.version)}` === match?.[1]);
      if (!stored || digestMode !== 'catalog') return notFound(res);
      return json(req, res, { ...catalogEntry(stored), packageHash: stored.nupkg.sha512Base64, packageHashAlgorithm: 'SHA512' });
    }
    notFound(res);
  };

  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    sourceUrl: `${url}/v3/index.json`,
    requests,
    add(spec, options = {}) {
      const nupkg = buildNupkg({ authors: 'Public Author', description: `${spec.id} from the public source`, ...spec });
      const id = lower(spec.id);
      const list = packages.get(id) ?? [];
      list.push({ id: spec.id, version: spec.version, listed: options.listed ?? true, nupkg, dependencies: spec.dependencyGroups });
      packages.set(id, list);
      return nupkg;
    },
    setFault(next, scope = 'all') {
      fault = next;
      faultScope = scope;
    },
    setDigestMode(mode) {
      digestMode = mode;
    },
    setInlinePages(inline) {
      inlinePages = inline;
    },
    holdUntilAsked(held, until, timeoutMs = 5_000) {
      hold = { held, until, timeoutMs, asked: false };
    },
    stopHolding() {
      hold = undefined;
      for (const release of waiting.splice(0)) release();
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
