/**
 * The server in-process on port 0 with a temp store: domain "acme", repositories "main"
 * (upstream: "shared") and "shared", and a token for alice. Helpers build publish bodies the
 * way npm does and list what is stored, so tests can show a refused write left nothing.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll } from 'vitest';
import { loadConfig } from '../../../src/config/load-config.js';
import { createDomain } from '../../../src/operations/domains.js';
import { createRepository } from '../../../src/operations/repositories.js';
import { getAuthorizationToken } from '../../../src/operations/tokens.js';
import { startServer, type RunningServer } from '../../../src/server/serve.js';
import { openStore, type Store } from '../../../src/store/store.js';
import { buildNpmTarball, type BuiltTarball, type TarballSpec } from '../../helpers/npm-tarball.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { TEST_SERVER_OPTIONS } from '../../helpers/server-options.js';

export interface HarnessOptions {
  allowAnonymousRead?: boolean;
  maxUploadBytes?: number;
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
}

export interface Harness {
  root: string;
  store: Store;
  server: RunningServer;
  token: string;
  /** http://127.0.0.1:PORT/acme/npm/main/ */
  registry: string;
  /** fetch() relative to the registry of `repository` (default main), with alice's token unless `token` is given. */
  request(pathname: string, init?: RequestInit & { token?: string | null; repository?: string }): Promise<NpmResponse>;
  publish(tarball: BuiltTarball, options?: PublishOptions): Promise<NpmResponse>;
  /** Every file under blobs/ and domains/, to compare before and after a refused write. */
  storedFiles(): string[];
}

/** A version manifest as the tests read and edit it; what else it holds is the package.json's. */
export interface NpmVersionJson {
  name?: unknown;
  version?: unknown;
  deprecated?: string;
  dist: { integrity?: unknown; shasum?: unknown; tarball?: string };
  [field: string]: unknown;
}

/**
 * What the registry answers in JSON, as the tests read it: a packument (full or abbreviated, or
 * the write form with `_rev`), or an error with only `error`. Other answers (dist-tags, search)
 * name their type at the call: `response.json<Type>()`.
 */
export interface NpmJson {
  name: string;
  _rev: string;
  'dist-tags': Record<string, string>;
  versions: Record<string, NpmVersionJson>;
  time: Record<string, string>;
  modified?: string;
  error: string;
}

/** A fetch Response whose JSON is typed: NpmJson unless the caller names another type. */
export interface NpmResponse extends Response {
  json<T = NpmJson>(): Promise<T>;
}

/** The body npm publish sends, as the tests tamper with it. */
export interface PublishBody {
  _id: string;
  name: string;
  'dist-tags': Record<string, string>;
  versions: Record<string, NpmVersionJson>;
  _attachments: Record<string, { content_type: string; data: string; length: number }>;
  [field: string]: unknown;
}

export interface PublishOptions {
  tag?: string;
  repository?: string;
  /** Changes the body after it is built, to make it wrong in one way. */
  tamper?: (body: PublishBody) => void;
}

const running: RunningServer[] = [];
afterAll(async () => {
  await Promise.all(running.splice(0).map((server) => server.close(100)));
});

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const root = makeTempDir('artifact-cli-npm-');
  const store = openStore(root);
  await createDomain(store, { domain: 'acme' });
  await createRepository(store, { domain: 'acme', repository: 'shared' });
  await createRepository(store, { domain: 'acme', repository: 'main', upstreams: ['shared'] });
  const { authorizationToken: token } = await getAuthorizationToken(store, { domain: 'acme', principal: 'alice' });
  const config = await loadConfig({ root }, {}, root);
  config.server.port = 0;
  config.server.allowAnonymousRead = options.allowAnonymousRead ?? false;
  if (options.maxUploadBytes) config.server.maxUploadBytes = options.maxUploadBytes;
  const server = await startServer({
    ...TEST_SERVER_OPTIONS,
    store,
    config,
    log: () => undefined,
    headersTimeoutMs: options.headersTimeoutMs,
    requestTimeoutMs: options.requestTimeoutMs,
  });
  running.push(server);
  const registryOf = (repository = 'main') => `${server.url}/acme/npm/${repository}/`;

  const request: Harness['request'] = (pathname, init = {}) => {
    const { token: given, repository, ...rest } = init;
    const headers = new Headers(rest.headers);
    const bearer = given === undefined ? token : given;
    if (bearer !== null && !headers.has('authorization')) headers.set('authorization', `Bearer ${bearer}`);
    return fetch(`${registryOf(repository)}${pathname}`, { ...rest, headers });
  };

  return {
    root,
    store,
    server,
    token,
    registry: registryOf(),
    request,
    publish(tarball, publishOptions = {}) {
      const body = publishBody(tarball, registryOf(publishOptions.repository), publishOptions.tag);
      publishOptions.tamper?.(body);
      const name = String(tarball.manifest.name);
      return request(encodePackageName(name), {
        method: 'PUT',
        headers: { 'content-type': 'application/json', 'npm-command': 'publish' },
        body: JSON.stringify(body),
        repository: publishOptions.repository,
      });
    },
    storedFiles: () => [...listFiles(path.join(root, 'blobs')), ...listFiles(path.join(root, 'domains'))].filter((file) => !file.endsWith('.lock')).sort(),
  };
}

/** The body npm publish sends: manifest, dist-tags and the tarball as base64. */
export function publishBody(tarball: BuiltTarball, registry: string, tag = 'latest'): PublishBody {
  const { name, version } = tarball.manifest as { name: string; version: string };
  const fileName = `${name}-${version}.tgz`;
  return {
    _id: name,
    name,
    description: tarball.manifest.description,
    'dist-tags': { [tag]: version },
    versions: {
      [version]: {
        ...tarball.manifest,
        _id: `${name}@${version}`,
        _nodeVersion: process.versions.node,
        dist: { integrity: tarball.integrity, shasum: tarball.shasum, tarball: `${registry}${name}/-/${fileName}` },
      },
    },
    access: null,
    _attachments: { [fileName]: { content_type: 'application/octet-stream', data: tarball.bytes.toString('base64'), length: tarball.bytes.length } },
  };
}

export function tarballOf(spec: TarballSpec): BuiltTarball {
  return buildNpmTarball(spec);
}

/** `@scope/name` -> `@scope%2fname`, as npm escapes it in URLs. */
export function encodePackageName(name: string): string {
  return name.startsWith('@') ? `@${encodeURIComponent(name.slice(1))}` : encodeURIComponent(name);
}

function listFiles(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => (entry.isDirectory() ? listFiles(path.join(dir, entry.name)) : [path.join(dir, entry.name)]));
}
