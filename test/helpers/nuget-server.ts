/**
 * An in-process artifact-cli server on a free port with a temporary store, one domain, the
 * repositories a test asks for and a token: the quick way to exercise the NuGet routes over
 * real HTTP. (The e2e tests spawn `artifact-cli serve` instead.)
 */
import { afterAll } from 'vitest';
import type { Config } from '../../src/config/config.js';
import { createDomain } from '../../src/operations/domains.js';
import { associateExternalConnection, createRepository } from '../../src/operations/repositories.js';
import { getAuthorizationToken } from '../../src/operations/tokens.js';
import { startServer, type RunningServer } from '../../src/server/serve.js';
import { openStore, type Store } from '../../src/store/store.js';
import { NuGetClient } from './nuget-client.js';
import { listStoredFiles } from './stored-files.js';
import { makeTempDir } from './temp-dir.js';
import { TEST_SERVER_OPTIONS } from './server-options.js';

export const DOMAIN = 'acme';

export interface RepositorySpec {
  name: string;
  upstreams?: string[];
  /** Give the repository the public:nuget-org connection. */
  external?: boolean;
}

export interface NuGetServerOptions {
  repositories: RepositorySpec[];
  /** Service index URL of the stand-in public source behind public:nuget-org. */
  publicSourceUrl?: string;
  maxUploadBytes?: number;
  offline?: boolean;
  metadataMaxAgeSeconds?: number;
  allowAnonymousRead?: boolean;
}

export interface NuGetTestServer {
  root: string;
  store: Store;
  config: Config;
  url: string;
  token: string;
  /** The repository's service index URL, what a NuGet source points at. */
  source(repository: string): string;
  /** A replaying client for the repository, with the token as the source's password. */
  client(repository: string, options?: { anonymous?: boolean }): NuGetClient;
  log: string[];
  /** Every file under blobs/ and domains/, for "nothing was stored" checks. */
  snapshot(): Promise<string[]>;
  close(): Promise<void>;
}

const running = new Set<RunningServer>();
afterAll(async () => {
  await Promise.all([...running].map((server) => server.close(1000)));
});

export async function startNuGetServer(options: NuGetServerOptions): Promise<NuGetTestServer> {
  const root = makeTempDir('nuget-root-');
  const store = openStore(root);
  const config: Config = {
    root,
    server: { host: '127.0.0.1', port: 0, maxUploadBytes: options.maxUploadBytes ?? 64 * 1024 * 1024, allowAnonymousRead: options.allowAnonymousRead ?? false },
    offline: options.offline ?? false,
    upstream: { metadataMaxAgeSeconds: options.metadataMaxAgeSeconds ?? 300, timeoutMs: 3000, assetOrigins: [] },
    externalConnections: options.publicSourceUrl ? { 'public:nuget-org': options.publicSourceUrl } : {},
  };
  await createDomain(store, { domain: DOMAIN });
  // Upstreams must exist before a repository lists them: create in reverse order.
  for (const spec of [...options.repositories].reverse()) {
    await createRepository(store, { domain: DOMAIN, repository: spec.name, upstreams: spec.upstreams });
    if (spec.external) await associateExternalConnection(store, DOMAIN, spec.name, 'public:nuget-org');
  }
  const token = (await getAuthorizationToken(store, { domain: DOMAIN, principal: 'tests' })).authorizationToken;
  const log: string[] = [];
  const server = await startServer({ ...TEST_SERVER_OPTIONS, store, config, log: (line) => log.push(line) });
  running.add(server);
  const source = (repository: string) => `${server.url}/${DOMAIN}/nuget/${repository}/v3/index.json`;
  return {
    root,
    store,
    config,
    url: server.url,
    token,
    source,
    client: (repository, clientOptions = {}) => new NuGetClient(source(repository), clientOptions.anonymous ? undefined : { username: 'aws', password: token }),
    log,
    snapshot: () => listStoredFiles(root, ['blobs', 'domains']),
    async close() {
      running.delete(server);
      await server.close(1000);
    },
  };
}
