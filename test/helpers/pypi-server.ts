/**
 * An in-process artifact-cli server on a free port with a temporary store, one domain, the
 * repositories a test asks for and a token: the quickest way to talk to the PyPI routes over
 * real HTTP. (End-to-end tests with pip and twine use the same, since the clients are the
 * separate processes there.)
 */
import { afterAll } from 'vitest';
import type { Config } from '../../src/config/config.js';
import { createDomain } from '../../src/operations/domains.js';
import { associateExternalConnection, createRepository } from '../../src/operations/repositories.js';
import { getAuthorizationToken } from '../../src/operations/tokens.js';
import { startServer, type RunningServer } from '../../src/server/serve.js';
import { openStore, type Store } from '../../src/store/store.js';
import { listStoredFiles } from './stored-files.js';
import { makeTempDir } from './temp-dir.js';
import { TEST_SERVER_OPTIONS } from './server-options.js';

export const DOMAIN = 'acme';

export interface RepositorySpec {
  name: string;
  upstreams?: string[];
  /** Give the repository the public:pypi connection. */
  external?: boolean;
}

export interface PypiServerOptions {
  repositories: RepositorySpec[];
  /** URL of the stand-in public index behind public:pypi. */
  publicIndexUrl?: string;
  maxUploadBytes?: number;
  offline?: boolean;
  metadataMaxAgeSeconds?: number;
  /** Serve the store of this (stopped or running) server instead of a new one; repositories are not created. */
  reuse?: PypiTestServer;
}

export interface PypiTestServer {
  root: string;
  store: Store;
  config: Config;
  /** Base URL, no trailing slash. */
  url: string;
  token: string;
  /** The repository's PyPI endpoint, ending in '/'. */
  endpoint(repository: string): string;
  /** The same with the token in it, as `login --tool pip` writes index URLs. */
  indexUrl(repository: string): string;
  /** Every line the server logged. */
  log: string[];
  /** Every file under blobs/ and the repository index folders, for "nothing was stored" checks. */
  snapshot(): Promise<string[]>;
  close(): Promise<void>;
}

const running = new Set<RunningServer>();
afterAll(async () => {
  await Promise.all([...running].map((server) => server.close(1000)));
});

export async function startPypiServer(options: PypiServerOptions): Promise<PypiTestServer> {
  const root = options.reuse?.root ?? makeTempDir('pypi-root-');
  const store = options.reuse?.store ?? openStore(root);
  const config: Config = {
    root,
    server: { host: '127.0.0.1', port: 0, maxUploadBytes: options.maxUploadBytes ?? 64 * 1024 * 1024, allowAnonymousRead: false },
    offline: options.offline ?? false,
    upstream: { metadataMaxAgeSeconds: options.metadataMaxAgeSeconds ?? 300, timeoutMs: 5000, assetOrigins: [] },
    externalConnections: options.publicIndexUrl ? { 'public:pypi': options.publicIndexUrl } : {},
  };
  if (!options.reuse) {
    await createDomain(store, { domain: DOMAIN });
    // Upstreams must exist before a repository lists them: create in reverse dependency order.
    for (const spec of [...options.repositories].reverse()) {
      await createRepository(store, { domain: DOMAIN, repository: spec.name, upstreams: spec.upstreams });
      if (spec.external) await associateExternalConnection(store, DOMAIN, spec.name, 'public:pypi');
    }
  }
  const token = options.reuse?.token ?? (await getAuthorizationToken(store, { domain: DOMAIN, principal: 'tests' })).authorizationToken;
  const log: string[] = [];
  const server = await startServer({ ...TEST_SERVER_OPTIONS, store, config, log: (line) => log.push(line) });
  running.add(server);
  const endpoint = (repository: string) => `${server.url}/${DOMAIN}/pypi/${repository}/`;
  return {
    root,
    store,
    config,
    url: server.url,
    token,
    endpoint,
    indexUrl: (repository) => endpoint(repository).replace('http://', `http://aws:${token}@`) + 'simple/',
    log,
    snapshot: () => listStoredFiles(root, ['blobs', 'domains']),
    async close() {
      running.delete(server);
      await server.close(1000);
    },
  };
}
