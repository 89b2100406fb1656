/**
 * Remembered answers (src/server/response-memo.ts) must never outlive what they were built
 * from: another process's write, a token that expired or was revoked, a new permissions
 * policy, or upstream metadata that went stale. Each case asks the same URL twice, so the
 * second request is the one the memo would answer.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDomain } from '../../src/operations/domains.js';
import { putPermissionsPolicy } from '../../src/operations/permissions-policy.js';
import { getAuthorizationToken } from '../../src/operations/tokens.js';
import { disposePackageVersions } from '../../src/operations/version-status.js';
import { openStore } from '../../src/store/store.js';
import { runCli } from '../helpers/run-cli.js';
import { startHarness, tarballOf } from '../formats/npm/npm-registry-harness.js';
import { startUpstreamHarness } from '../formats/npm/upstream-harness.js';

const ABBREVIATED = { accept: 'application/vnd.npm.install-v1+json' };

async function versionsOf(response: Response): Promise<string[]> {
  expect(response.status).toBe(200);
  return Object.keys(((await response.json()) as { versions: Record<string, unknown> }).versions).sort();
}

/**
 * Stops Date (and nothing else: timers and sockets run as usual) until the test moves it, so a
 * one-second lifetime is measured on the test's clock, not the machine's speed.
 */
function stopTheClock() {
  vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
  return { advance: (ms: number) => vi.setSystemTime(Date.now() + ms) };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('remembered answers', () => {
  it('a version another process removes is gone from the very next packument and tarball request', async () => {
    const h = await startHarness();
    for (const version of ['1.0.0', '1.1.0']) expect((await h.publish(tarballOf({ name: 'memo-pkg', version }))).status).toBe(201);
    expect(await versionsOf(await h.request('memo-pkg', { headers: ABBREVIATED }))).toEqual(['1.0.0', '1.1.0']);
    expect((await h.request('memo-pkg/-/memo-pkg-1.0.0.tgz')).status).toBe(200);
    // Asked twice, so the answers are remembered before the other process writes.
    expect(await versionsOf(await h.request('memo-pkg', { headers: ABBREVIATED }))).toEqual(['1.0.0', '1.1.0']);
    expect((await h.request('memo-pkg/-/memo-pkg-1.0.0.tgz')).status).toBe(200);

    const cli = await runCli(
      ['delete-package-versions', '--domain', 'acme', '--repository', 'main', '--format', 'npm', '--package', 'memo-pkg', '--versions', '1.0.0'],
      { root: h.root },
    );
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);

    expect(await versionsOf(await h.request('memo-pkg', { headers: ABBREVIATED }))).toEqual(['1.1.0']);
    expect((await h.request('memo-pkg/-/memo-pkg-1.0.0.tgz')).status).toBe(404);
  });

  it("a write of one package keeps the other packages' remembered answers, and renews its own everywhere", async () => {
    const h = await startHarness();
    for (const name of ['kept-a', 'kept-b']) expect((await h.publish(tarballOf({ name, version: '1.0.0' }))).status).toBe(201);
    const ask = async () => {
      expect(await versionsOf(await h.request('kept-a', { headers: ABBREVIATED }))).toEqual(['1.0.0']);
      expect((await h.request('kept-a/-/kept-a-1.0.0.tgz')).status).toBe(200);
    };
    await ask();
    const indexReads = vi.spyOn(h.store.index, 'getPackage');
    try {
      // Remembered: no index is read for them.
      await ask();
      expect(indexReads).not.toHaveBeenCalled();
      // Another package is published through the server: kept-a's answers stay remembered.
      expect((await h.publish(tarballOf({ name: 'kept-b', version: '1.1.0' }))).status).toBe(201);
      indexReads.mockClear();
      await ask();
      expect(indexReads).not.toHaveBeenCalled();
      expect(await versionsOf(await h.request('kept-b', { headers: ABBREVIATED }))).toEqual(['1.0.0', '1.1.0']);
    } finally {
      indexReads.mockRestore();
    }
    // A package main reads through its upstream: a publish there renews main's remembered answer.
    expect((await h.publish(tarballOf({ name: 'kept-c', version: '1.0.0' }), { repository: 'shared' })).status).toBe(201);
    for (let time = 0; time < 2; time++) expect(await versionsOf(await h.request('kept-c', { headers: ABBREVIATED }))).toEqual(['1.0.0']);
    expect((await h.publish(tarballOf({ name: 'kept-c', version: '2.0.0' }), { repository: 'shared' })).status).toBe(201);
    expect(await versionsOf(await h.request('kept-c', { headers: ABBREVIATED }))).toEqual(['1.0.0', '2.0.0']);
    expect((await h.request('kept-c/-/kept-c-2.0.0.tgz')).status).toBe(200);
  });

  it('a tarball just fetched through the chain is remembered as it is now stored, and forgotten when its package changes', async () => {
    const h = await startUpstreamHarness();
    const published = h.registry.add({ name: 'first-fetch', version: '1.0.0' });
    const tarball = 'first-fetch/-/first-fetch-1.0.0.tgz';
    expect((await h.get('app', tarball)).status).toBe(200);
    const indexReads = vi.spyOn(h.store.index, 'getPackage');
    try {
      const again = await h.get('app', tarball);
      expect(again.status).toBe(200);
      expect(Buffer.from(await again.arrayBuffer())).toEqual(published.bytes);
      expect(indexReads).not.toHaveBeenCalled();
    } finally {
      indexReads.mockRestore();
    }
    // The version disposed of in app by this server: the remembered answer goes with it.
    await disposePackageVersions(h.store, { domain: 'acme', repository: 'app', format: 'npm', name: 'first-fetch' }, { versions: ['1.0.0'] });
    expect((await h.get('app', tarball)).status).toBe(404);
  });

  it('a first download still succeeds when its stored index cannot be read back, and is not remembered', async () => {
    const h = await startUpstreamHarness();
    const published = h.registry.add({ name: 'unreadable', version: '1.0.0' });
    const tarball = 'unreadable/-/unreadable-1.0.0.tgz';
    const read = h.store.index.getPackage.bind(h.store.index);
    // app's index can be read until it holds the version, that is: until the look after storing it.
    const indexReads = vi.spyOn(h.store.index, 'getPackage').mockImplementation(async (key) => {
      const record = await read(key);
      if (key.repository === 'app' && record?.versions['1.0.0']) throw new Error('EIO: i/o error, read');
      return record;
    });
    try {
      const first = await h.get('app', tarball);
      expect(first.status).toBe(200);
      expect(Buffer.from(await first.arrayBuffer())).toEqual(published.bytes);
    } finally {
      indexReads.mockRestore();
    }
    const reads = vi.spyOn(h.store.index, 'getPackage');
    try {
      expect((await h.get('app', tarball)).status).toBe(200);
      expect(reads).toHaveBeenCalled();
    } finally {
      reads.mockRestore();
    }
  });

  it('one keep-alive connection that changes its credentials is judged by the new ones every time', async () => {
    const h = await startHarness();
    expect((await h.publish(tarballOf({ name: 'one-socket', version: '1.0.0' }))).status).toBe(201);
    await createDomain(h.store, { domain: 'elsewhere' });
    const { authorizationToken: otherDomains } = await getAuthorizationToken(h.store, { domain: 'elsewhere' });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const sockets = new Set<unknown>();
    const get = (authorization: string | undefined) =>
      new Promise<number>((resolve, reject) => {
        const request = http.get(`${h.registry}one-socket/-/one-socket-1.0.0.tgz`, { agent, headers: authorization ? { authorization } : {} }, (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
        });
        request.on('socket', (socket) => sockets.add(socket));
        request.on('error', reject);
      });
    const basic = (token: string) => `Basic ${Buffer.from(`aws:${token}`).toString('base64')}`;
    try {
      const statuses = [];
      for (const authorization of [
        `Bearer ${h.token}`,
        `Bearer ${h.token}`,
        `Bearer ${h.token}x`,
        `Bearer ${h.token}`,
        `Bearer ${otherDomains}`,
        undefined,
        basic(h.token),
        basic(`${h.token}x`),
      ]) {
        statuses.push(await get(authorization));
      }
      expect(statuses).toEqual([200, 200, 401, 200, 401, 401, 200, 401]);
      expect(sockets.size).toBe(1);
    } finally {
      agent.destroy();
    }
  });

  it('a remembered answer lets the same credential in without reading tokens or policies again; any other takes the full check', async () => {
    const h = await startHarness();
    expect((await h.publish(tarballOf({ name: 'doorway', version: '1.0.0' }))).status).toBe(201);
    const { authorizationToken: other } = await getAuthorizationToken(h.store, { domain: 'acme' });
    const basic = (token: string) => `Basic ${Buffer.from(`aws:${token}`).toString('base64')}`;
    const ask = (headers: Record<string, string>) => h.request('doorway', { headers, token: null });
    for (let time = 0; time < 2; time++) expect((await ask({ authorization: `Bearer ${h.token}` })).status).toBe(200);
    const tokenReads = vi.spyOn(h.store.index, 'getTokens');
    const policyReads = vi.spyOn(h.store.index, 'getPermissionsPolicy');
    try {
      // The same token, as Bearer or as Basic: the door remembers it.
      for (const authorization of [`Bearer ${h.token}`, basic(h.token), `Bearer ${h.token}`]) expect((await ask({ authorization })).status).toBe(200);
      expect(tokenReads).not.toHaveBeenCalled();
      expect(policyReads).not.toHaveBeenCalled();
      // Another valid token is checked in full, then remembered too.
      expect((await ask({ authorization: `Bearer ${other}` })).status).toBe(200);
      expect(tokenReads).toHaveBeenCalledTimes(1);
      expect(policyReads).toHaveBeenCalled();
      expect((await ask({ authorization: `Bearer ${other}` })).status).toBe(200);
      expect(tokenReads).toHaveBeenCalledTimes(1);
      // A wrong token or none never rides on a remembered answer.
      expect((await ask({ authorization: `Bearer ${h.token}x` })).status).toBe(401);
      expect((await ask({})).status).toBe(401);
      expect((await ask({ 'x-nuget-apikey': 'acat_wrong', authorization: `Bearer ${h.token}` })).status).toBe(200);
      expect((await ask({ 'x-nuget-apikey': 'acat_wrong' })).status).toBe(401);
    } finally {
      tokenReads.mockRestore();
      policyReads.mockRestore();
    }
  });

  it('a token refuses a remembered answer once it has expired', async () => {
    const h = await startHarness();
    expect((await h.publish(tarballOf({ name: 'expiring', version: '1.0.0' }))).status).toBe(201);
    // The server's clock stands still until the test moves it, however slow the machine.
    const clock = stopTheClock();
    // Issued 899 s ago with the shortest lifetime (900 s): valid for one more second.
    const { authorizationToken: shortLived } = await getAuthorizationToken(h.store, {
      domain: 'acme',
      durationSeconds: 900,
      now: new Date(Date.now() - 899_000),
    });
    expect((await h.request('expiring', { token: shortLived })).status).toBe(200);
    expect((await h.request('expiring', { token: shortLived })).status).toBe(200);
    clock.advance(999);
    expect((await h.request('expiring', { token: shortLived })).status).toBe(200);
    clock.advance(1);
    const refused = await h.request('expiring', { token: shortLived });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toContain('Bearer');
    expect((await h.request('expiring')).status).toBe(200);
  });

  it('a token revoked with npm logout is refused on a remembered answer', async () => {
    const h = await startHarness();
    expect((await h.publish(tarballOf({ name: 'revoked', version: '1.0.0' }))).status).toBe(201);
    const { authorizationToken: other } = await getAuthorizationToken(h.store, { domain: 'acme' });
    expect((await h.request('revoked', { token: other })).status).toBe(200);
    expect((await h.request('revoked', { token: other })).status).toBe(200);
    expect((await h.request(`-/user/token/${other}`, { method: 'DELETE', token: other })).status).toBe(200);
    expect((await h.request('revoked', { token: other })).status).toBe(401);
    expect((await h.request('revoked')).status).toBe(200);
  });

  it('a permissions policy put by another process applies to the next request', async () => {
    const h = await startHarness();
    expect((await h.publish(tarballOf({ name: 'guarded', version: '1.0.0' }))).status).toBe(201);
    expect((await h.request('guarded')).status).toBe(200);
    expect((await h.request('guarded')).status).toBe(200);
    // A second store on the same root stands for another process: its own caches and marker.
    const other = openStore(h.root);
    await putPermissionsPolicy(
      other,
      { domain: 'acme', repository: 'main' },
      {
        policyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Deny', Principal: '*', Action: 'codeartifact:ReadFromRepository', Resource: '*' }],
        }),
      },
    );
    expect((await h.request('guarded')).status).toBe(403);
    expect((await h.request('guarded/-/guarded-1.0.0.tgz')).status).toBe(403);
  });

  it('anonymous reads of a remembered answer still need --allow-anonymous-read', async () => {
    const h = await startHarness();
    expect((await h.publish(tarballOf({ name: 'private-pkg', version: '1.0.0' }))).status).toBe(201);
    expect((await h.request('private-pkg')).status).toBe(200);
    expect((await h.request('private-pkg')).status).toBe(200);
    expect((await h.request('private-pkg', { token: null })).status).toBe(401);
    expect((await h.request('private-pkg/-/private-pkg-1.0.0.tgz', { token: null })).status).toBe(401);
  });

  it('a packument from the public registry is reused while its metadata is fresh, and asked again once stale', async () => {
    const h = await startUpstreamHarness({ maxAgeSeconds: 1 });
    h.registry.add({ name: 'fresh-dep', version: '1.0.0' });
    const packumentRequests = () => h.registry.requests.filter((path) => path === '/fresh-dep').length;
    const clock = stopTheClock();
    expect(await versionsOf(await h.get('app', 'fresh-dep'))).toEqual(['1.0.0']);
    expect(await versionsOf(await h.get('app', 'fresh-dep'))).toEqual(['1.0.0']);
    expect(packumentRequests()).toBe(1);

    h.registry.add({ name: 'fresh-dep', version: '1.1.0' });
    clock.advance(999);
    expect(await versionsOf(await h.get('app', 'fresh-dep'))).toEqual(['1.0.0']);
    expect(packumentRequests()).toBe(1);
    clock.advance(1);
    expect(await versionsOf(await h.get('app', 'fresh-dep'))).toEqual(['1.0.0', '1.1.0']);
    expect(packumentRequests()).toBe(2);
  });

  it('a packument served from stored versions while the registry is down is not remembered', async () => {
    const h = await startUpstreamHarness({ maxAgeSeconds: 0, timeoutMs: 500 });
    h.registry.add({ name: 'flaky-dep', version: '1.0.0' });
    // Download once so the version is stored in the chain.
    expect((await h.get('app', 'flaky-dep/-/flaky-dep-1.0.0.tgz')).status).toBe(200);
    h.registry.setFault('error500', 'packument');
    expect(await versionsOf(await h.get('app', 'flaky-dep'))).toEqual(['1.0.0']);
    h.registry.setFault('none');
    h.registry.add({ name: 'flaky-dep', version: '2.0.0' });
    expect(await versionsOf(await h.get('app', 'flaky-dep'))).toEqual(['1.0.0', '2.0.0']);
  });
});

describe("the door's own failures", () => {
  it('a request whose look for changes fails gets a 500 without the server path, and the next one is served', async () => {
    const h = await startHarness();
    expect((await h.publish(tarballOf({ name: 'marker-trouble', version: '1.0.0' }))).status).toBe(201);
    expect((await h.request('marker-trouble')).status).toBe(200);
    const sample = vi.spyOn(h.store.changes, 'sampleThisTurn').mockImplementationOnce(() => {
      throw new Error(`EIO: cannot read ${h.root}/changes`);
    });
    try {
      const failed = await h.request('marker-trouble');
      expect(failed.status).toBe(500);
      const body = await failed.text();
      expect(body).toContain('Unexpected failure: EIO: cannot read');
      expect(body).not.toContain(h.root);
    } finally {
      sample.mockRestore();
    }
    expect((await h.request('marker-trouble')).status).toBe(200);
  });

  it('a policy that cannot be read answers 500 with no reason phrase of its own: the error text stays off the status line', async () => {
    const h = await startHarness();
    expect((await h.publish(tarballOf({ name: 'policy-trouble', version: '1.0.0' }))).status).toBe(201);
    const reads = vi.spyOn(h.store.index, 'getPermissionsPolicy').mockRejectedValueOnce(new Error(`EACCES: ${h.root}/acme/policy.json`));
    try {
      const failed = await h.request('policy-trouble');
      expect(failed.status).toBe(500);
      expect(failed.statusText).toBe('Internal Server Error');
      expect(await failed.text()).not.toContain(h.root);
    } finally {
      reads.mockRestore();
    }
    expect((await h.request('policy-trouble')).status).toBe(200);
  });
  it('a remembered download whose file has gone from the store answers 404, not a hang', async () => {
    const h = await startHarness();
    // Random bytes over 256 KiB: the tarball does not compress below the size kept in memory.
    const big = tarballOf({ name: 'big-file', version: '1.0.0', files: { 'data.txt': randomBytes(300 * 1024).toString('base64') } });
    expect((await h.publish(big)).status).toBe(201);
    const tarball = 'big-file/-/big-file-1.0.0.tgz';
    for (let time = 0; time < 2; time++) expect((await h.request(tarball)).status).toBe(200);
    const sizes = vi.spyOn(h.store.blobs, 'size').mockResolvedValue(undefined);
    try {
      const gone = await h.request(tarball);
      expect(gone.status).toBe(404);
      expect((await gone.json<{ error: string }>()).error).toContain('The file of this asset is missing from the store.');
      expect(sizes).toHaveBeenCalled();
    } finally {
      sizes.mockRestore();
    }
  });
});
