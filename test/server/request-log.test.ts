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

const percentEncodeEvery = (text: string) => [...text].map((char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`).join('');

it.each([
  ['fully percent-encoded', (token: string) => percentEncodeEvery(token)],
  ['encoded in part', (token: string) => `%61cat%5F${token.slice(5, 20)}%${token.charCodeAt(20).toString(16)}${token.slice(21)}`],
  ['encoded twice', (token: string) => percentEncodeEvery(percentEncodeEvery(token))],
])('masks a token in the request path when it is %s', async (_label, encode) => {
  const log: string[] = [];
  const { token, server } = await startInProcessServer({ tempPrefix: 'artifact-cli-request-log-', log: (line) => log.push(line) });
  try {
    const response = await fetch(`${server.url}/acme/npm/main/-/user/token/${encode(token)}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${token}` },
    });
    await response.text();
  } finally {
    await server.close(100);
  }
  expect(log).toEqual([expect.stringMatching(/^DELETE \/acme\/npm\/main\/-\/user\/token\/acat_\*\*\* \d+ /)]);
  const secret = token.slice(5);
  const joined = log.join('\n');
  expect(joined).not.toContain(secret);
  expect(joined).not.toContain(percentEncodeEvery(secret).slice(0, 30));
  expect(joined).not.toContain(secret.slice(0, 12));
});
