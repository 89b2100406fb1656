/**
 * Gems through public:ruby-gems-org (a stand-in on 127.0.0.1) and upstream repositories:
 * served, checked against the announced checksum, retained where CodeArtifact retains them, and
 * still served once the stand-in is gone.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { putPackageOriginConfiguration } from '../../../src/operations/origin-configuration.js';
import { updatePackageGroupOriginConfiguration } from '../../../src/operations/package-groups-origin.js';
import { createPackageGroup } from '../../../src/operations/package-groups.js';
import { updatePackageVersionsStatus } from '../../../src/operations/version-status.js';
import { beforeIndexUpdate } from '../../helpers/before-index-update.js';
import { refusedOnceHolderKept } from '../../helpers/refused-once-holder-kept.js';
import { startFakeRubygems, type FakeRubygems } from '../../helpers/fake-rubygems.js';
import { holdBlobWrites } from '../../helpers/held-blob-writes.js';
import { DOMAIN, getWithToken, pushGem, startRubyServer, type RubyTestServer } from '../../helpers/ruby-server.js';
import { buildGem } from '../../helpers/ruby-gem.js';

let registry: FakeRubygems;
let server: RubyTestServer;

beforeAll(async () => {
  registry = await startFakeRubygems();
  server = await startRubyServer({
    repositories: [
      { name: 'app', upstreams: ['team'] },
      { name: 'team', upstreams: ['store'] },
      { name: 'store', external: true },
    ],
    publicUrl: registry.url,
  });
});

afterAll(async () => {
  await registry.close();
});

describe('through public:ruby-gems-org', () => {
  it("lists the registry's versions in /info and retains a downloaded gem in the connection's repository and the one asked", async () => {
    const gem = registry.add({ name: 'remote-lib', version: '2.0.0', dependencies: { other: [['~>', '1.2']] }, summary: 'From afar' });
    const info = await (await getWithToken(server, `${server.endpoint('app')}info/remote-lib`)).text();
    expect(info).toBe(`---\n2.0.0 other:~> 1.2|checksum:${gem.sha256},ruby:>= 0,rubygems:>= 0\n`);
    const download = await getWithToken(server, `${server.endpoint('app')}gems/remote-lib-2.0.0.gem`);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer())).toEqual(gem.bytes);
    for (const repository of ['store', 'app']) {
      const record = await server.store.index.getPackage({ domain: DOMAIN, repository, format: 'ruby', name: 'remote-lib' });
      expect(record?.versions['2.0.0']).toMatchObject({ status: 'Published', summary: 'From afar', origin: { originType: 'EXTERNAL' } });
    }
    // Retained gems join /versions, which Bundler reads first, with all the registry's versions and
    // the md5 of the /info body that lists them.
    const newer = registry.add({ name: 'remote-lib', version: '2.1.0' });
    const infoNow = await (await getWithToken(server, `${server.endpoint('app')}info/remote-lib`)).text();
    expect(infoNow).toContain(`2.1.0 |checksum:${newer.sha256}`);
    const md5 = createHash('md5').update(infoNow).digest('hex');
    expect(await (await getWithToken(server, `${server.endpoint('app')}versions`)).text()).toContain(`\nremote-lib 2.0.0,2.1.0 ${md5}\n`);
  });

  it("writes and flushes a cold gem's indexes while the gem is flushed, and names the gem only once it is durable", async () => {
    const gem = registry.add({ name: 'flush-order', version: '1.0.0', summary: 'Read from memory' });
    const keys = ['store', 'app'].map((repository) => ({ domain: DOMAIN, repository, format: 'ruby' as const, name: 'flush-order' }));
    const writes = holdBlobWrites(server.store);
    try {
      const download = getWithToken(server, `${server.endpoint('app')}gems/flush-order-1.0.0.gem`);
      await writes.held;
      // Both indexes' writes began beside the gem's flush (its gemspec read from memory), their renames waiting for it...
      await vi.waitFor(() => expect(writes.updates).toEqual(expect.arrayContaining(keys.map((key) => ({ key, renameAfter: true })))), { timeout: 10_000 });
      // ...so neither index on disk names a gem that is not durable yet.
      for (const key of keys) expect(await server.store.index.getPackage(key)).toBeUndefined();
      writes.release();
      const response = await download;
      expect(response.status).toBe(200);
      expect(Buffer.from(await response.arrayBuffer())).toEqual(gem.bytes);
      for (const key of keys) {
        expect((await server.store.index.getPackage(key))?.versions['1.0.0']).toMatchObject({ status: 'Published', summary: 'Read from memory' });
      }
    } finally {
      writes.restore();
    }
  });

  it('names a cold gem in no index when its write fails after the check (a full disk), and answers 507', async () => {
    registry.add({ name: 'write-fails', version: '1.0.0' });
    const keys = ['store', 'app'].map((repository) => ({ domain: DOMAIN, repository, format: 'ruby' as const, name: 'write-fails' }));
    const writes = holdBlobWrites(server.store);
    try {
      const download = getWithToken(server, `${server.endpoint('app')}gems/write-fails-1.0.0.gem`);
      await writes.held;
      await vi.waitFor(() => expect(writes.updates).toEqual(expect.arrayContaining(keys.map((key) => ({ key, renameAfter: true })))), { timeout: 10_000 });
      writes.fail();
      expect((await download).status).toBe(507);
      for (const key of keys) expect(await server.store.index.getPackage(key)).toBeUndefined();
    } finally {
      writes.restore();
    }
  });

  it("lists the registry's gems in /versions and /names before any was fetched, then with the md5 of the /info served here", async () => {
    registry.add({ name: 'never-fetched', version: '1.0.0' });
    registry.add({ name: 'never-fetched', version: '1.1.0', platform: 'java' });
    const versionsNow = async () => (await getWithToken(server, `${server.endpoint('app')}versions`)).text();
    // Bundler skips a gem missing from /versions, so a Gemfile naming it could not resolve.
    expect(await versionsNow()).toMatch(/\nnever-fetched 1\.0\.0,1\.1\.0-java [0-9a-f]{32}\n/);
    expect(await (await getWithToken(server, `${server.endpoint('app')}names`)).text()).toMatch(/\nnever-fetched\n/);
    // Listing fetched and stored nothing of the gem itself.
    expect(registry.requests).not.toContain('GET /info/never-fetched');
    expect(await server.store.index.getPackage({ domain: DOMAIN, repository: 'store', format: 'ruby', name: 'never-fetched' })).toBeUndefined();
    const info = await (await getWithToken(server, `${server.endpoint('app')}info/never-fetched`)).text();
    const md5 = createHash('md5').update(info).digest('hex');
    expect(await versionsNow()).toContain(`\nnever-fetched 1.0.0,1.1.0-java ${md5}\n`);
  });

  it('answers a repeated download of a stored gem without reading an index, and forgets the answer when the version changes', async () => {
    const gem = registry.add({ name: 'memo-gem', version: '1.0.0' });
    const url = `${server.endpoint('app')}gems/memo-gem-1.0.0.gem`;
    // Cold: fetched from the registry and stored here; the next download, from what is stored, is remembered.
    expect((await getWithToken(server, url)).status).toBe(200);
    expect((await getWithToken(server, url)).status).toBe(200);
    const indexReads = vi.spyOn(server.store.index, 'getPackage');
    try {
      const again = await getWithToken(server, url);
      expect(again.status).toBe(200);
      expect(Buffer.from(await again.arrayBuffer())).toEqual(gem.bytes);
      expect(indexReads).not.toHaveBeenCalled();
    } finally {
      indexReads.mockRestore();
    }
    // Archived in app: not downloadable there any more, from the very next request on.
    await updatePackageVersionsStatus(
      server.store,
      { domain: DOMAIN, repository: 'app', format: 'ruby', name: 'memo-gem' },
      { versions: ['1.0.0'], targetStatus: 'Archived' },
    );
    expect((await getWithToken(server, url)).status).toBe(404);
    // A gem pushed to the repository asked: remembered from its first download on.
    const pushed = buildGem({ name: 'memo-pushed', version: '1.0.0' });
    expect((await pushGem(server, 'app', pushed.bytes)).status).toBe(200);
    const pushedUrl = `${server.endpoint('app')}gems/memo-pushed-1.0.0.gem`;
    expect((await getWithToken(server, pushedUrl)).status).toBe(200);
    const reads = vi.spyOn(server.store.index, 'getPackage');
    try {
      const again = await getWithToken(server, pushedUrl);
      expect(Buffer.from(await again.arrayBuffer())).toEqual(pushed.bytes);
      expect(reads).not.toHaveBeenCalled();
    } finally {
      reads.mockRestore();
    }
  });

  it('refuses a file that does not match the checksum the registry announced, storing nothing', async () => {
    registry.add({ name: 'tampered', version: '1.0.0' });
    registry.wrongChecksum = true;
    try {
      const before = await server.snapshot();
      const answer = await getWithToken(server, `${server.endpoint('app')}gems/tampered-1.0.0.gem`);
      expect(answer.status).toBe(502);
      expect(await answer.text()).toMatch(/does not match the digest the registry announced; it was not stored/);
      expect((await server.snapshot()).filter((file) => file.startsWith('blobs/'))).toEqual(before.filter((file) => file.startsWith('blobs/')));
    } finally {
      registry.wrongChecksum = false;
    }
  });

  it("follows the registry's redirect of a gem file only to an origin upstream.assetOrigins allows", async () => {
    const gem = registry.add({ name: 'moved-lib', version: '1.0.0' });
    registry.redirectGems = true;
    try {
      const kept = async () => (await server.snapshot()).filter((file) => !file.includes('/external/'));
      const before = await kept();
      const refused = await getWithToken(server, `${server.endpoint('app')}gems/moved-lib-1.0.0.gem`);
      expect(refused.status).toBe(502);
      const text = await refused.text();
      expect(text).toContain(`named a file on ${registry.fileOrigin}, which is not the registry's own origin; it was not fetched.`);
      expect(text).toContain('upstream.assetOrigins');
      expect(registry.requests).not.toContain('GET /files/moved-lib-1.0.0.gem');
      // Only the registry's info/moved-lib was kept (the metadata cache): no file, no package.
      expect(await kept()).toEqual(before);
      const allowing = await startRubyServer({ repositories: [], reuse: server, publicUrl: registry.url, assetOrigins: [registry.fileOrigin] });
      try {
        const fetched = await getWithToken(allowing, `${allowing.endpoint('app')}gems/moved-lib-1.0.0.gem`);
        expect(fetched.status).toBe(200);
        expect(Buffer.from(await fetched.arrayBuffer())).toEqual(gem.bytes);
        expect(registry.requests).toContain('GET /files/moved-lib-1.0.0.gem');
        expect(await server.store.index.getPackage({ domain: DOMAIN, repository: 'store', format: 'ruby', name: 'moved-lib' })).toBeDefined();
      } finally {
        await allowing.close();
      }
    } finally {
      registry.redirectGems = false;
    }
  });

  it('answers 404 when the holder blocks upstream versions while the gem is on its way, as when the block was set before (the refusal in the body)', async () => {
    registry.add({ name: 'refused-late', version: '1.0.0' });
    const keyIn = (repository: string) => ({ domain: DOMAIN, repository, format: 'ruby' as const, name: 'refused-late' });
    const gemUrl = `${server.endpoint('app')}gems/refused-late-1.0.0.gem`;
    const response = await beforeIndexUpdate(
      server.store,
      keyIn('store'),
      () => putPackageOriginConfiguration(server.store, keyIn('store'), { publish: 'ALLOW', upstream: 'BLOCK' }),
      () => getWithToken(server, gemUrl),
    );
    expect(response.status).toBe(404);
    const body = await response.text();
    expect(body).toMatch(/^Versions of refused-late from upstream are blocked in store by its origin controls \(upstream=BLOCK\)\./);
    expect(body).not.toContain(server.root);
    expect((await server.store.index.getPackage(keyIn('store')))?.versions).toEqual({});
    expect(await server.store.index.getPackage(keyIn('app'))).toBeUndefined();
    // Set before the request, the block hides the gem: the same status.
    expect((await getWithToken(server, gemUrl)).status).toBe(404);
    expect(await server.store.index.getPackage(keyIn('app'))).toBeUndefined();
  });

  it("answers 404 too when the repository asked blocks upstream versions while the gem is on its way (once the holder's copy is kept)", async () => {
    registry.add({ name: 'asked-refuses', version: '1.0.0' });
    const keyIn = (repository: string) => ({ domain: DOMAIN, repository, format: 'ruby' as const, name: 'asked-refuses' });
    const gemUrl = `${server.endpoint('app')}gems/asked-refuses-1.0.0.gem`;
    const response = await refusedOnceHolderKept(
      server.store,
      keyIn('app'),
      'store',
      () => putPackageOriginConfiguration(server.store, keyIn('app'), { publish: 'ALLOW', upstream: 'BLOCK' }),
      () => getWithToken(server, gemUrl),
    );
    expect(response.status).toBe(404);
    expect(await response.text()).toMatch(/blocked in app by its origin controls \(upstream=BLOCK\)/);
    expect(Object.keys((await server.store.index.getPackage(keyIn('store')))?.versions ?? {})).toEqual(['1.0.0']);
    expect((await server.store.index.getPackage(keyIn('app')))?.versions).toEqual({});
    expect((await getWithToken(server, gemUrl)).status).toBe(404);
  });

  it('keeps serving a retained gem after the registry goes away', async () => {
    const gem = registry.add({ name: 'kept-lib', version: '1.0.0' });
    registry.add({ name: 'only-registry-lib', version: '3.0.0' });
    expect((await getWithToken(server, `${server.endpoint('app')}gems/kept-lib-1.0.0.gem`)).status).toBe(200);
    // The gems only the registry lists, as /versions shows them now (from a copy an earlier test
    // may have made, or fetched now when this test runs alone).
    const registryLines = (await (await getWithToken(server, `${server.endpoint('app')}versions`)).text())
      .split('\n')
      .filter((line) => /^[a-z-]+ \S+ [0-9a-f]{32}$/.test(line) && !line.startsWith('kept-lib '));
    expect(registryLines.length).toBeGreaterThan(0);
    await registry.close();
    const info = await getWithToken(server, `${server.endpoint('app')}info/kept-lib`);
    // The registry's list of gems is served from the kept copy too.
    const versions = await (await getWithToken(server, `${server.endpoint('app')}versions`)).text();
    expect(versions).toMatch(/\nkept-lib 1\.0\.0 [0-9a-f]{32}\n/);
    for (const line of registryLines) expect(versions).toContain(`\n${line}\n`);
    expect(await info.text()).toBe(`---\n1.0.0 |checksum:${gem.sha256},ruby:>= 0,rubygems:>= 0\n`);
    const again = await getWithToken(server, `${server.endpoint('app')}gems/kept-lib-1.0.0.gem`);
    expect(Buffer.from(await again.arrayBuffer())).toEqual(gem.bytes);
    expect((await getWithToken(server, `${server.endpoint('app')}quick/Marshal.4.8/kept-lib-1.0.0.gemspec.rz`)).status).toBe(200);
  });
});

describe('through upstream repositories', () => {
  it('serves a gem published in an upstream and retains it in the repository asked', async () => {
    const gem = buildGem({ name: 'team-lib', version: '0.1.0' });
    expect((await pushGem(server, 'team', gem.bytes)).status).toBe(200);
    expect(await (await getWithToken(server, `${server.endpoint('app')}info/team-lib`)).text()).toContain(`checksum:${gem.sha256}`);
    expect((await getWithToken(server, `${server.endpoint('app')}gems/team-lib-0.1.0.gem`)).status).toBe(200);
    const record = await server.store.index.getPackage({ domain: DOMAIN, repository: 'app', format: 'ruby', name: 'team-lib' });
    expect(record?.versions['0.1.0']?.origin.originType).toBe('INTERNAL');
  });

  it('takes nothing from upstreams for a gem whose origin controls block them', async () => {
    const gem = buildGem({ name: 'blocked-lib', version: '1.0.0' });
    expect((await pushGem(server, 'team', gem.bytes)).status).toBe(200);
    await putPackageOriginConfiguration(
      server.store,
      { domain: DOMAIN, repository: 'app', format: 'ruby', name: 'blocked-lib' },
      { publish: 'ALLOW', upstream: 'BLOCK' },
    );
    expect((await getWithToken(server, `${server.endpoint('app')}info/blocked-lib`)).status).toBe(404);
    expect((await getWithToken(server, `${server.endpoint('app')}gems/blocked-lib-1.0.0.gem`)).status).toBe(404);
  });
  it('answers 404 when the repository asked blocks upstream versions while a gem held upstream is being kept here', async () => {
    expect((await pushGem(server, 'team', buildGem({ name: 'team-held', version: '1.0.0' }).bytes)).status).toBe(200);
    const asked = { domain: DOMAIN, repository: 'app', format: 'ruby' as const, name: 'team-held' };
    const gemUrl = `${server.endpoint('app')}gems/team-held-1.0.0.gem`;
    const response = await beforeIndexUpdate(
      server.store,
      asked,
      () => putPackageOriginConfiguration(server.store, asked, { publish: 'ALLOW', upstream: 'BLOCK' }),
      () => getWithToken(server, gemUrl),
    );
    expect(response.status).toBe(404);
    expect(await response.text()).toMatch(/blocked in app by its origin controls \(upstream=BLOCK\)/);
    expect((await server.store.index.getPackage(asked))?.versions).toEqual({});
    expect((await getWithToken(server, gemUrl)).status).toBe(404);
  });
});

describe('package groups', () => {
  it("a group blocking EXTERNAL_UPSTREAM keeps the registry's gems out, and one blocking PUBLISH refuses gem push", async () => {
    // A fresh registry: the one above was closed by the retention test.
    const fresh = await startFakeRubygems();
    try {
      const own = await startRubyServer({
        repositories: [
          { name: 'app', upstreams: ['store'] },
          { name: 'store', external: true },
        ],
        publicUrl: fresh.url,
      });
      fresh.add({ name: 'grouped-remote', version: '1.0.0' });
      await createPackageGroup(own.store, { domain: DOMAIN, packageGroup: '/ruby//grouped~' });
      await updatePackageGroupOriginConfiguration(own.store, {
        domain: DOMAIN,
        packageGroup: '/ruby//grouped~',
        restrictions: { EXTERNAL_UPSTREAM: 'BLOCK', PUBLISH: 'BLOCK' },
      });
      expect((await getWithToken(own, `${own.endpoint('app')}info/grouped-remote`)).status).toBe(404);
      expect((await getWithToken(own, `${own.endpoint('app')}gems/grouped-remote-1.0.0.gem`)).status).toBe(404);
      const before = await own.snapshot();
      const pushed = await pushGem(own, 'app', buildGem({ name: 'grouped-local', version: '1.0.0' }).bytes);
      expect(pushed.status).toBe(403);
      expect(await own.snapshot()).toEqual(before);
      expect(pushed.text).toMatch(/package group/i);
      fresh.add({ name: 'other-remote', version: '1.0.0' });
      expect((await getWithToken(own, `${own.endpoint('app')}info/other-remote`)).status).toBe(200);
      // /versions leaves out what the group keeps out, and lists the registry's other gems.
      const versions = await (await getWithToken(own, `${own.endpoint('app')}versions`)).text();
      expect(versions).not.toContain('grouped-remote');
      expect(versions).toMatch(/\nother-remote 1\.0\.0 [0-9a-f]{32}\n/);
    } finally {
      await fresh.close();
    }
  });
});
