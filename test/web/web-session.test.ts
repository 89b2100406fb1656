/**
 * A web session lives no longer than its token: it ends when the token expires, and when the
 * token is removed from the domain's file. In-process server, so the tests can change the
 * domain's token file directly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readlinkSync } from 'node:fs';
import { publishGenericAsset } from '../../src/operations/generic-publish.js';
import { getAuthorizationToken, hashToken } from '../../src/operations/tokens.js';
import { startInProcessServer, type InProcessServer } from '../helpers/in-process-server.js';

let running: InProcessServer;
const logged: string[] = [];

beforeAll(async () => {
  running = await startInProcessServer({ tempPrefix: 'artifact-cli-web-session-', log: (line) => logged.push(line) });
});

afterAll(async () => {
  await running?.server.close();
});

async function signIn(token: string): Promise<{ cookie: string; setCookie: string }> {
  const url = running.server.url;
  const response = await fetch(`${url}/-/ui/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: url },
    body: new URLSearchParams({ domain: 'acme', token }).toString(),
    redirect: 'manual',
  });
  expect(response.status).toBe(303);
  const setCookie = response.headers.get('set-cookie') ?? '';
  return { cookie: setCookie.split(';')[0], setCookie };
}

function domainPage(cookie: string): Promise<Response> {
  return fetch(`${running.server.url}/-/ui/domains/acme`, { headers: { cookie, accept: 'text/html' } });
}

describe('web sessions', () => {
  it('end when the token expires, and the cookie says when that is', async () => {
    const { authorizationToken, expiration } = await getAuthorizationToken(running.store, { domain: 'acme', durationSeconds: 900 });
    const { cookie, setCookie } = await signIn(authorizationToken);
    expect(setCookie).toContain(`Expires=${new Date(expiration).toUTCString()}`);
    expect(Math.abs(Number(/Max-Age=(\d+)/.exec(setCookie)?.[1]) - 900)).toBeLessThan(60);
    expect((await domainPage(cookie)).status).toBe(200);
    // The token's time runs out (written into its record rather than waited for).
    const hash = hashToken(authorizationToken);
    await running.store.index.updateTokens('acme', (current) => ({
      tokens: current.tokens.map((entry) => (entry.hash === hash ? { ...entry, expiration: new Date(Date.now() - 1000).toISOString() } : entry)),
    }));
    expect((await domainPage(cookie)).status).toBe(401);
  });

  it('end when the token is removed from the domain', async () => {
    const { authorizationToken } = await getAuthorizationToken(running.store, { domain: 'acme' });
    const { cookie } = await signIn(authorizationToken);
    expect((await domainPage(cookie)).status).toBe(200);
    const hash = hashToken(authorizationToken);
    await running.store.index.updateTokens('acme', (current) => ({ tokens: current.tokens.filter((entry) => entry.hash !== hash) }));
    expect((await domainPage(cookie)).status).toBe(401);
    expect(logged.join('\n')).not.toContain(authorizationToken);
  });

  it('let go of a download the browser abandons halfway', async () => {
    const bytes = randomBytes(32 * 1024 * 1024);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    await publishGenericAsset(running.store, {
      domain: 'acme',
      repository: 'main',
      namespace: 'big',
      package: 'blob',
      version: '1.0',
      assetName: 'big.bin',
      assetSha256: sha256,
      content: bytes,
    });
    const { cookie } = await signIn((await getAuthorizationToken(running.store, { domain: 'acme' })).authorizationToken);
    const blobPath = running.store.blobs.pathOf(sha256);
    // This process's open files: the server runs in it, so its read of the blob shows here.
    const openOnBlob = () =>
      readdirSync('/proc/self/fd').filter((fd) => {
        try {
          return readlinkSync(`/proc/self/fd/${fd}`) === blobPath;
        } catch {
          return false;
        }
      }).length;
    const controller = new AbortController();
    const response = await fetch(`${running.server.url}/-/ui/domains/acme/repositories/main/download/generic/blob?namespace=big&version=1.0&asset=big.bin`, {
      headers: { cookie },
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    await reader.read();
    expect(openOnBlob()).toBe(1);
    controller.abort();
    await expect.poll(openOnBlob, { timeout: 10_000 }).toBe(0);
  });
});
