/**
 * An in-process artifact-cli server on a free port for one format's tests: a temporary store
 * (or a stopped server's, to see what it kept), domain "acme", the repositories a test asks for
 * (optionally with the format's public connection pointed at a stand-in) and a token. Closed
 * after the test file whatever happens. nuget-server.ts, pypi-server.ts and ruby-server.ts add
 * their format's bits.
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
  /** Give the repository the format's public connection. */
  external?: boolean;
}

export interface FormatServerOptions {
  /** The URL path segment of the format ('pypi', 'ruby'). */
  format: string;
  /** Its public connection ('public:pypi'), pointed at `publicUrl` when that is given. */
  connection: string;
  repositories: RepositorySpec[];
  publicUrl?: string;
  maxUploadBytes: number;
  metadataMaxAgeSeconds: number;
  offline?: boolean;
  assetOrigins?: string[];
  allowAnonymousRead?: boolean;
  /** Upstream request deadline; 5 s unless given. */
  timeoutMs?: number;
  /** Serve the store of this (stopped or running) server instead of a new one; repositories are not created. */
  reuse?: FormatTestServer;
}

export interface FormatTestServer {
  root: string;
  store: Store;
  config: Config;
  /** Base URL, no trailing slash. */
  url: string;
  token: string;
  /** The repository's endpoint for the format, ending in '/'. */
  endpoint(repository: string): string;
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

export async function startFormatServer(options: FormatServerOptions): Promise<FormatTestServer> {
  const root = options.reuse?.root ?? makeTempDir(`${options.format}-root-`);
  const store = options.reuse?.store ?? openStore(root);
  const config: Config = {
    root,
    server: { host: '127.0.0.1', port: 0, maxUploadBytes: options.maxUploadBytes, allowAnonymousRead: options.allowAnonymousRead ?? false },
    offline: options.offline ?? false,
    upstream: { metadataMaxAgeSeconds: options.metadataMaxAgeSeconds, timeoutMs: options.timeoutMs ?? 5000, assetOrigins: options.assetOrigins ?? [] },
    externalConnections: options.publicUrl ? { [options.connection]: options.publicUrl } : {},
  };
  if (!options.reuse) {
    await createDomain(store, { domain: DOMAIN });
    // Upstreams must exist before a repository lists them: create in reverse dependency order.
    for (const spec of [...options.repositories].reverse()) {
      await createRepository(store, { domain: DOMAIN, repository: spec.name, upstreams: spec.upstreams });
      if (spec.external) await associateExternalConnection(store, DOMAIN, spec.name, options.connection);
    }
  }
  const token = options.reuse?.token ?? (await getAuthorizationToken(store, { domain: DOMAIN, principal: 'tests' })).authorizationToken;
  const log: string[] = [];
  const server = await startServer({ ...TEST_SERVER_OPTIONS, store, config, log: (line) => log.push(line) });
  running.add(server);
  return {
    root,
    store,
    config,
    url: server.url,
    token,
    endpoint: (repository) => `${server.url}/${DOMAIN}/${options.format}/${repository}/`,
    log,
    snapshot: () => listStoredFiles(root, ['blobs', 'domains']),
    async close() {
      running.delete(server);
      await server.close(1000);
    },
  };
}
