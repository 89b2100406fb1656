/**
 * An in-process server whose repository "store" (domain "acme") holds one external connection,
 * configured to reach a stand-in registry through an AssetFaultProxy (asset-fault-proxy.ts).
 */
import type { Config } from '../../src/config/config.js';
import { loadConfig } from '../../src/config/load-config.js';
import { createDomain } from '../../src/operations/domains.js';
import { associateExternalConnection, createRepository } from '../../src/operations/repositories.js';
import { getAuthorizationToken } from '../../src/operations/tokens.js';
import { startServer, type RunningServer } from '../../src/server/serve.js';
import { openStore, type Store } from '../../src/store/store.js';
import { startAssetFaultProxy, type AssetFaultProxy } from './asset-fault-proxy.js';
import { TEST_SERVER_OPTIONS } from './server-options.js';
import { makeTempDir } from './temp-dir.js';

export interface FaultProxyServer {
  proxy: AssetFaultProxy;
  store: Store;
  server: RunningServer;
  token: string;
  /** The repository's endpoint for the format, ending in '/'. */
  endpoint: string;
  close(): Promise<void>;
}

/** `maxAgeSeconds`: how long the registry's metadata stays fresh (0, asked every time, unless given). */
export async function startFaultProxyServer(format: string, connection: string, upstreamUrl: string, maxAgeSeconds = 0): Promise<FaultProxyServer> {
  const proxy = await startAssetFaultProxy(upstreamUrl);
  const root = makeTempDir(`artifact-cli-live-${format}-`);
  const store = openStore(root);
  await createDomain(store, { domain: 'acme' });
  await createRepository(store, { domain: 'acme', repository: 'store' });
  await associateExternalConnection(store, 'acme', 'store', connection);
  const { authorizationToken: token } = await getAuthorizationToken(store, { domain: 'acme' });
  const config: Config = await loadConfig({ root }, {}, root);
  config.server.port = 0;
  config.externalConnections = { [connection]: proxy.url };
  config.upstream.metadataMaxAgeSeconds = maxAgeSeconds;
  const server = await startServer({ ...TEST_SERVER_OPTIONS, store, config, log: () => undefined });
  return {
    proxy,
    store,
    server,
    token,
    endpoint: `${server.url}/acme/${format}/store/`,
    async close() {
      await server.close(100);
      await proxy.close();
    },
  };
}
