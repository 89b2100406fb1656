import { expect, it } from 'vitest';
import { startInProcessServer } from '../helpers/in-process-server.js';

it('masks a token in the request path (npm logout) in the request log', async () => {
  const log: string[] = [];
  const { token, server } = await startInProcessServer({ tempPrefix: 'artifact-cli-request-log-', log: (line) => log.push(line) });
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
