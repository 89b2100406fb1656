import { expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { createDomain } from '../../src/operations/domains.js';
import { createRepository } from '../../src/operations/repositories.js';
import { getAuthorizationToken } from '../../src/operations/tokens.js';
import { startServer } from '../../src/server/serve.js';
import { openStore } from '../../src/store/store.js';
import { makeTempDir } from '../helpers/temp-dir.js';

it('masks a token in the request path (npm logout) in the request log', async () => {
  const root = makeTempDir('artifact-cli-request-log-');
  const store = openStore(root);
  await createDomain(store, { domain: 'acme' });
  await createRepository(store, { domain: 'acme', repository: 'main' });
  const { authorizationToken: token } = await getAuthorizationToken(store, { domain: 'acme' });
  const config = await loadConfig({ root }, {}, root);
  config.server.port = 0;
  const log: string[] = [];
  const server = await startServer({ store, config, log: (line) => log.push(line) });
  try {
    const response = await fetch(`${server.url}/acme/npm/main/-/user/token/${token}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    await response.text();
  } finally {
    await server.close(100);
  }
  expect(log).toEqual([expect.stringMatching(/^DELETE \/acme\/npm\/main\/-\/user\/token\/acat_\*\*\* 200 /)]);
  expect(log.join('\n')).not.toContain(token.slice(5));
});
