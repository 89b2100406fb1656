/**
 * A server in-process with a three-level chain, app -> team -> store, where store holds the
 * external connection public:npmjs pointed at a stand-in registry on 127.0.0.1.
 */
import { afterAll } from 'vitest';
import { loadConfig } from '../../../src/config/load-config.js';
import { createDomain } from '../../../src/operations/domains.js';
import { associateExternalConnection, createRepository } from '../../../src/operations/repositories.js';
import { getAuthorizationToken } from '../../../src/operations/tokens.js';
import { startServer, type RunningServer } from '../../../src/server/serve.js';
import { openStore, type Store } from '../../../src/store/store.js';
import { startFakeNpmRegistry, type FakeNpmRegistry } from '../../helpers/fake-npm-registry.js';
import type { BuiltTarball } from '../../helpers/npm-tarball.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { encodePackageName, publishBody } from './npm-registry-harness.js';
import { TEST_SERVER_OPTIONS } from '../../helpers/server-options.js';

export interface UpstreamHarness {
  root: string;
  store: Store;
  registry: FakeNpmRegistry;
  server: RunningServer;
  logs: string[];
  token: string;
  get(repository: string, pathname: string, headers?: Record<string, string>): Promise<Response>;
  publish(repository: string, tarball: BuiltTarball): Promise<Response>;
}

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

export async function startUpstreamHarness(options: { timeoutMs?: number; maxAgeSeconds?: number; offline?: boolean } = {}): Promise<UpstreamHarness> {
  const root = makeTempDir('artifact-cli-upstream-');
  const store = openStore(root);
  const registry = await startFakeNpmRegistry();
  await createDomain(store, { domain: 'acme' });
  await createRepository(store, { domain: 'acme', repository: 'store' });
  await associateExternalConnection(store, 'acme', 'store', 'public:npmjs');
  await createRepository(store, { domain: 'acme', repository: 'team', upstreams: ['store'] });
  await createRepository(store, { domain: 'acme', repository: 'app', upstreams: ['team'] });
  const { authorizationToken: token } = await getAuthorizationToken(store, { domain: 'acme' });
  const config = await loadConfig({ root }, {}, root);
  config.server.port = 0;
  config.externalConnections = { 'public:npmjs': `${registry.url}/` };
  config.upstream.timeoutMs = options.timeoutMs ?? 2_000;
  config.upstream.metadataMaxAgeSeconds = options.maxAgeSeconds ?? 0;
  config.offline = options.offline ?? false;
  const logs: string[] = [];
  const server = await startServer({ ...TEST_SERVER_OPTIONS, store, config, log: (line) => logs.push(line) });
  cleanups.push(async () => {
    await server.close(100);
    await registry.close();
  });
  const get = (repository: string, pathname: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/acme/npm/${repository}/${pathname}`, { headers: { authorization: `Bearer ${token}`, ...headers } });
  return {
    root,
    store,
    registry,
    server,
    logs,
    token,
    get,
    publish: (repository, tarball) =>
      fetch(`${server.url}/acme/npm/${repository}/${encodePackageName(String(tarball.manifest.name))}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(publishBody(tarball, `${server.url}/acme/npm/${repository}/`)),
      }),
  };
}
