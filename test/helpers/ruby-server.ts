/**
 * An in-process artifact-cli server for the Ruby format tests: a temporary store, domain "acme",
 * the repositories a test asks for (optionally with public:ruby-gems-org pointed at a stand-in)
 * and a token, plus small helpers to push and read over real HTTP.
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

export interface RubyRepositorySpec {
  name: string;
  upstreams?: string[];
  /** Give the repository the public:ruby-gems-org connection. */
  external?: boolean;
}

export interface RubyTestServer {
  root: string;
  store: Store;
  url: string;
  token: string;
  /** The repository's Ruby source URL, ending in '/'. */
  endpoint(repository: string): string;
  log: string[];
  snapshot(): Promise<string[]>;
  close(): Promise<void>;
}

const running = new Set<RunningServer>();
afterAll(async () => {
  await Promise.all([...running].map((server) => server.close(1000)));
});

export async function startRubyServer(options: { repositories: RubyRepositorySpec[]; publicUrl?: string; reuse?: RubyTestServer; maxUploadBytes?: number; assetOrigins?: string[] }): Promise<RubyTestServer> {
  const root = options.reuse?.root ?? makeTempDir('ruby-root-');
  const store = options.reuse?.store ?? openStore(root);
  const config: Config = {
    root,
    server: { host: '127.0.0.1', port: 0, maxUploadBytes: options.maxUploadBytes ?? 16 * 1024 * 1024, allowAnonymousRead: false },
    offline: false,
    upstream: { metadataMaxAgeSeconds: 0, timeoutMs: 5000, assetOrigins: options.assetOrigins },
    externalConnections: options.publicUrl ? { 'public:ruby-gems-org': options.publicUrl } : {},
  };
  if (!options.reuse) {
    await createDomain(store, { domain: DOMAIN });
    for (const spec of [...options.repositories].reverse()) {
      await createRepository(store, { domain: DOMAIN, repository: spec.name, upstreams: spec.upstreams });
      if (spec.external) await associateExternalConnection(store, DOMAIN, spec.name, 'public:ruby-gems-org');
    }
  }
  const token = options.reuse?.token ?? (await getAuthorizationToken(store, { domain: DOMAIN, principal: 'tests' })).authorizationToken;
  const log: string[] = [];
  const server = await startServer({ ...TEST_SERVER_OPTIONS, store, config, log: (line) => log.push(line) });
  running.add(server);
  return {
    root,
    store,
    url: server.url,
    token,
    endpoint: (repository) => `${server.url}/${DOMAIN}/ruby/${repository}/`,
    log,
    snapshot: () => listStoredFiles(root, ['blobs', 'domains']),
    async close() {
      running.delete(server);
      await server.close(1000);
    },
  };
}

/** `gem push`'s request: the raw .gem with the key as the whole Authorization header. */
export async function pushGem(server: RubyTestServer, repository: string, bytes: Buffer, key = server.token): Promise<{ status: number; text: string }> {
  const response = await fetch(`${server.endpoint(repository)}api/v1/gems`, {
    method: 'POST',
    headers: { authorization: key, 'content-type': 'application/octet-stream' },
    body: new Uint8Array(bytes),
  });
  return { status: response.status, text: await response.text() };
}

export async function getWithToken(server: RubyTestServer, url: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { headers: { authorization: `Basic ${Buffer.from(`aws:${server.token}`).toString('base64')}`, ...headers } });
}
