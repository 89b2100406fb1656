/**
 * A real server in this process on port 0, over a temp root holding domain "acme" with
 * repository "main" and a token: for tests that need the server's own plumbing (body limits,
 * the request log) rather than a format's harness. The caller closes it.
 */
import type { Config } from '../../src/config/config.js';
import { loadConfig } from '../../src/config/load-config.js';
import { createDomain } from '../../src/operations/domains.js';
import { createRepository } from '../../src/operations/repositories.js';
import { getAuthorizationToken } from '../../src/operations/tokens.js';
import { startServer, type RunningServer } from '../../src/server/serve.js';
import { openStore, type Store } from '../../src/store/store.js';
import { makeTempDir } from './temp-dir.js';
import { TEST_SERVER_OPTIONS } from './server-options.js';

export interface InProcessServer {
  root: string;
  store: Store;
  token: string;
  server: RunningServer;
}

export async function startInProcessServer(options: {
  tempPrefix: string;
  configure?: (config: Config) => void;
  log?: (line: string) => void;
}): Promise<InProcessServer> {
  const root = makeTempDir(options.tempPrefix);
  const store = openStore(root);
  await createDomain(store, { domain: 'acme' });
  await createRepository(store, { domain: 'acme', repository: 'main' });
  const { authorizationToken: token } = await getAuthorizationToken(store, { domain: 'acme' });
  const config = await loadConfig({ root }, {}, root);
  config.server.port = 0;
  options.configure?.(config);
  const server = await startServer({ ...TEST_SERVER_OPTIONS, store, config, log: options.log ?? (() => undefined) });
  return { root, store, token, server };
}
