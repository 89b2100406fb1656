import { createHash, randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PackageRecord } from '../../../src/core/model.js';
import { putPackageOriginConfiguration } from '../../../src/operations/origin-configuration.js';
import { createPackageGroup } from '../../../src/operations/package-groups.js';
import { updatePackageGroupOriginConfiguration } from '../../../src/operations/package-groups-origin.js';
import { deletePackageVersions } from '../../../src/operations/version-status.js';
import { ResponseMemo } from '../../../src/server/response-memo.js';
import { startFakeNuGetServer, type FakeNuGetServer } from '../../helpers/fake-nuget-server.js';
import { buildNupkg } from '../../helpers/nupkg.js';
import { beforeIndexUpdate } from '../../helpers/before-index-update.js';
import { refusedOnceHolderKept } from '../../helpers/refused-once-holder-kept.js';
import { holdBlobWrites } from '../../helpers/held-blob-writes.js';
import { RESOURCE_TYPES, urlsIn } from '../../helpers/nuget-client.js';
import { DOMAIN, startNuGetServer, type NuGetServerOptions, type NuGetTestServer } from '../../helpers/nuget-server.js';
import { objectContaining } from '../../helpers/matchers.js';
import { parseJson } from '../../helpers/json.js';

// app -> team -> store, and store holds public:nuget-org (the topology CodeArtifact recommends).
const CHAIN: NuGetServerOptions['repositories'] = [
  { name: 'app', upstreams: ['team'] },
  { name: 'team', upstreams: ['store'] },
  { name: 'store', external: true },
];

let fake: FakeNuGetServer;
let counter = 0;

beforeAll(async () => {
  fake = await startFakeNuGetServer();
});

afterAll(async () => {
  await fake.close();
});

beforeEach(() => {
  fake.setFault('none');
  fake.setDigestMode('catalog');
  fake.setInlinePages(true);
  fake.stopHolding();
});

afterEach(() => {
  vi.useRealTimers();
});

/** A fresh package id per test, so tests share the stand-in without seeing each other's packages. */
function uniqueId(base: string): string {
  counter += 1;
  return `${base}${counter}`;
}

async function start(options: Partial<NuGetServerOptions> = {}): Promise<NuGetTestServer> {
  return startNuGetServer({ repositories: CHAIN, publicSourceUrl: fake.sourceUrl, ...options });
}

/** Stops Date (timers and sockets run as usual) until the test moves it, so lifetimes are measured on the test's clock. */
function stopTheClock(): { advance(ms: number): void } {
  vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
  return { advance: (ms) => vi.setSystemTime(Date.now() + ms) };
}

async function record(server: NuGetTestServer, repository: string, name: string): Promise<PackageRecord | undefined> {
  return server.store.index.getPackage({ domain: DOMAIN, repository, format: 'nuget', name });
}

describe('upstream repositories', () => {
  it('offers versions stored upstream and retains a downloaded one in the asked repository', async () => {
    const server = await start();
    const built = buildNupkg({ id: 'Team.Lib', version: '1.0.0' });
    expect((await server.client('team').push(built.bytes)).status).toBe(201);

    const app = server.client('app');
    expect(await app.versions('Team.Lib')).toEqual(['1.0.0']);
    expect(await record(server, 'app', 'team.lib')).toBeUndefined();
    const download = await app.download('Team.Lib', '1.0.0');
    expect(download.body.equals(built.bytes)).toBe(true);
    const retained = await record(server, 'app', 'team.lib');
    expect(retained?.versions['1.0.0'].origin).toEqual({ domainEntryPoint: { repositoryName: 'team' }, originType: 'INTERNAL' });
    expect(retained?.originConfiguration.restrictions).toEqual({ publish: 'BLOCK', upstream: 'ALLOW' });
  });

  it('says that delete unlists only what the repository itself holds, not "not in its upstreams"', async () => {
    const server = await start();
    expect((await server.client('team').push(buildNupkg({ id: 'Held.Upstream', version: '1.0.0' }).bytes)).status).toBe(201);
    const response = await server.client('app').delete('Held.Upstream', '1.0.0', server.token);
    expect(response.status).toBe(404);
    expect(response.statusMessage).toMatch(/held\.upstream 1\.0\.0 is not stored in repository app; unlisting and relisting change only/);
    expect((await record(server, 'team', 'held.upstream'))?.versions['1.0.0'].status).toBe('Published');
  });

  it('refuses to push a version an upstream repository already has (409)', async () => {
    const server = await start();
    const built = buildNupkg({ id: 'Shared.Lib', version: '1.0.0' });
    expect((await server.client('team').push(built.bytes)).status).toBe(201);
    const response = await server.client('app').push(built.bytes);
    expect(response.status).toBe(409);
    expect(response.statusMessage).toMatch(/upstream repository team/);
  });
});

describe('the public:nuget-org connection', () => {
  it('restores a package and its dependency from the public source, checked against the catalog digest', async () => {
    const core = uniqueId('Public.Core');
    const top = uniqueId('Public.Top');
    const coreBuilt = fake.add({ id: core, version: '2.0.0' });
    const topBuilt = fake.add({ id: top, version: '1.0.0', dependencyGroups: [{ targetFramework: 'net8.0', dependencies: [{ id: core, version: '2.0.0' }] }] });
    const server = await start();
    const app = server.client('app');
    const restored = await app.restore([{ id: top, range: '1.0.0' }]);
    expect(restored.get(top.toLowerCase())?.bytes.equals(topBuilt.bytes)).toBe(true);
    expect(restored.get(core.toLowerCase())?.bytes.equals(coreBuilt.bytes)).toBe(true);
    // The digest lives in nuget.org's catalog leaf; it was read before the bytes were kept.
    expect(fake.requests.some((path) => path.startsWith('/v3/catalog0/') && path.includes(top.toLowerCase()))).toBe(true);

    for (const repository of ['app', 'store']) {
      const kept = await record(server, repository, top.toLowerCase());
      expect(kept?.versions['1.0.0']).toMatchObject({
        status: 'Published',
        origin: { domainEntryPoint: { externalConnectionName: 'public:nuget-org' }, originType: 'EXTERNAL' },
        dependencies: [{ dependencyType: 'net8.0', package: core.toLowerCase(), versionRequirement: '[2.0.0, )' }],
        formatMetadata: objectContaining({ id: top }),
      });
      expect(kept?.versions['1.0.0'].assets[0].hashes['SHA-512']).toBe(createHash('sha512').update(topBuilt.bytes).digest('hex'));
    }
    // Not in the repositories in between (docs/reference/upstreams.md).
    expect(await record(server, 'team', top.toLowerCase())).toBeUndefined();

    // Kept: restored again with the public source gone.
    fake.setFault('down');
    const again = await server.client('app').download(top, '1.0.0');
    expect(again.status).toBe(200);
  });

  it('shows the public registration through this feed, with every URL answering here', async () => {
    const id = uniqueId('Public.Meta');
    fake.add({ id, version: '1.0.0' });
    fake.add({ id, version: '1.1.0', dependencyGroups: [{ targetFramework: 'net8.0', dependencies: [{ id: 'Some.Dep', version: '3.0.0' }] }] });
    fake.add({ id, version: '1.2.0' }, { listed: false });
    fake.setInlinePages(false);
    const server = await start();
    const app = server.client('app');
    const { index, leaves } = (await app.registration(id))!;
    expect(leaves.map((leaf) => [leaf.catalogEntry.version, leaf.catalogEntry.listed])).toEqual([
      ['1.0.0', true],
      ['1.1.0', true],
      ['1.2.0', false],
    ]);
    expect(leaves[1].catalogEntry.dependencyGroups).toEqual([
      { '@type': 'PackageDependencyGroup', targetFramework: 'net8.0', dependencies: [{ '@type': 'PackageDependency', id: 'Some.Dep', range: '[3.0.0, )' }] },
    ]);
    // The unlisted version is still in the flat container; search shows only what is stored here.
    expect(await app.versions(id)).toEqual(['1.0.0', '1.1.0', '1.2.0']);
    expect(parseJson<{ totalHits: number }>((await app.search(id)).body).totalHits).toBe(0);
    const own = `${server.url}/${DOMAIN}/nuget/app/`;
    for (const url of urlsIn({ index, leaves })) {
      expect(url.startsWith(own), url).toBe(true);
      expect((await app.send('GET', url)).status, url).toBe(200);
    }
  });

  it('asks for the nupkg while the catalog entry that announces its digest is on its way, and checks it', async () => {
    const id = uniqueId('Parallel.Fetch');
    const built = fake.add({ id, version: '1.0.0' });
    const server = await start();
    const app = server.client('app');
    expect(await app.versions(id)).toEqual(['1.0.0']);
    // The catalog entry answers only once the nupkg was asked for: one after the other, it never would.
    fake.holdUntilAsked('catalog', 'package');
    const download = await app.download(id, '1.0.0');
    expect(download.status).toBe(200);
    expect(download.body.equals(built.bytes)).toBe(true);
    expect((await record(server, 'store', id.toLowerCase()))?.versions['1.0.0'].assets[0].hashes['SHA-512']).toBe(
      createHash('sha512').update(built.bytes).digest('hex'),
    );
  });

  it("writes and flushes a cold package's indexes while the nupkg is flushed, and names the nupkg only once it is durable", async () => {
    const id = uniqueId('Flush.Order');
    const built = fake.add({ id, version: '1.0.0' });
    const server = await start();
    const keys = ['store', 'app'].map((repository) => ({ domain: DOMAIN, repository, format: 'nuget' as const, name: id.toLowerCase() }));
    const writes = holdBlobWrites(server.store);
    try {
      const download = server.client('app').download(id, '1.0.0');
      await writes.held;
      // Both indexes' writes began beside the nupkg's flush (its nuspec read from memory), their renames waiting for it...
      await vi.waitFor(() => expect(writes.updates).toEqual(expect.arrayContaining(keys.map((key) => ({ key, renameAfter: true })))), { timeout: 10_000 });
      // ...so neither index on disk names a nupkg that is not durable yet.
      for (const key of keys) expect(await record(server, key.repository, key.name)).toBeUndefined();
      writes.release();
      const response = await download;
      expect(response.status).toBe(200);
      expect(response.body.equals(built.bytes)).toBe(true);
      for (const key of keys) {
        expect((await record(server, key.repository, key.name))?.versions['1.0.0'].assets[0].hashes['SHA-512']).toBe(
          createHash('sha512').update(built.bytes).digest('hex'),
        );
      }
    } finally {
      writes.restore();
    }
  });

  it('names a cold package in no index when its write fails after the check (a full disk), and answers 507', async () => {
    const id = uniqueId('Write.Fails');
    fake.add({ id, version: '1.0.0' });
    const server = await start();
    const keys = ['store', 'app'].map((repository) => ({ domain: DOMAIN, repository, format: 'nuget' as const, name: id.toLowerCase() }));
    const writes = holdBlobWrites(server.store);
    try {
      const download = server.client('app').download(id, '1.0.0');
      await writes.held;
      await vi.waitFor(() => expect(writes.updates).toEqual(expect.arrayContaining(keys.map((key) => ({ key, renameAfter: true })))), { timeout: 10_000 });
      writes.fail();
      expect((await download).status).toBe(507);
      for (const key of keys) expect(await record(server, key.repository, key.name)).toBeUndefined();
    } finally {
      writes.restore();
    }
  });

  it('checks a digest announced in the registration entry itself', async () => {
    fake.setDigestMode('inline');
    const id = uniqueId('Inline.Digest');
    fake.add({ id, version: '1.0.0' });
    const server = await start();
    expect((await server.client('app').download(id, '1.0.0')).status).toBe(200);
    expect(fake.requests.some((path) => path.startsWith('/v3/catalog0/') && path.includes(id.toLowerCase()))).toBe(false);
  });

  it('keeps the first bytes of a source that announces no digest, after checking their identity', async () => {
    fake.setDigestMode('none');
    const id = uniqueId('No.Digest');
    const built = fake.add({ id, version: '1.0.0' });
    const server = await start();
    const download = await server.client('app').download(id, '1.0.0');
    expect(download.body.equals(built.bytes)).toBe(true);
    expect((await record(server, 'store', id.toLowerCase()))?.versions['1.0.0'].assets[0].hashes['SHA-256']).toBe(built.sha256);
  });

  it.each([
    ['bytes that do not match the announced digest', 'wrong-digest', 'catalog'],
    ['a download that breaks off', 'cut-body', 'catalog'],
    ['a package that is not the one asked for', 'wrong-identity', 'none'],
  ] as const)('refuses %s with 502 and keeps nothing', async (_what, fault, digestMode) => {
    fake.setDigestMode(digestMode);
    const id = uniqueId('Faulty.Package');
    fake.add({ id, version: '1.0.0' });
    const server = await start();
    const app = server.client('app');
    expect(await app.versions(id)).toEqual(['1.0.0']);
    fake.setFault(fault, 'package');
    const response = await app.download(id, '1.0.0');
    expect(response.status).toBe(502);
    expect(response.statusMessage).toMatch(/public:nuget-org|digest|broke off/);
    for (const repository of ['app', 'team', 'store']) expect(await record(server, repository, id.toLowerCase())).toBeUndefined();

    fake.setFault('none');
    expect((await app.download(id, '1.0.0')).status).toBe(200);
  });

  it('serves the stored versions alone when the public source is down, and 502 when it has nothing else', async () => {
    const server = await start();
    // Published in team, yet open to upstream versions, so reads of it still ask the public source.
    await putPackageOriginConfiguration(
      server.store,
      { domain: DOMAIN, repository: 'team', format: 'nuget', name: 'only.local' },
      { publish: 'ALLOW', upstream: 'ALLOW' },
    );
    expect((await server.client('team').push(buildNupkg({ id: 'Only.Local', version: '1.0.0' }).bytes)).status).toBe(201);
    const id = uniqueId('Only.Public');
    fake.add({ id, version: '1.0.0' });
    fake.setFault('error500', 'flat');
    const app = server.client('app');
    expect(await app.versions('Only.Local')).toEqual(['1.0.0']);
    expect(server.log.join('\n')).toMatch(/public:nuget-org is unavailable for only\.local/);
    const response = await app.send('GET', `${await app.resource(RESOURCE_TYPES.packageBase)}${id.toLowerCase()}/index.json`);
    expect(response.status).toBe(502);
  });

  it('serves cached public metadata when the source fails later', async () => {
    const id = uniqueId('Cached.Meta');
    fake.add({ id, version: '1.0.0' });
    const server = await start({ metadataMaxAgeSeconds: 0 });
    const app = server.client('app');
    expect(await app.versions(id)).toEqual(['1.0.0']);
    fake.setFault('error500', 'all');
    expect(await app.versions(id)).toEqual(['1.0.0']);
    expect(server.log.join('\n')).toMatch(/serving cached metadata/);
  });

  it('offline, answers 404 for what was never fetched', async () => {
    const id = uniqueId('Offline.Package');
    fake.add({ id, version: '1.0.0' });
    const server = await start({ offline: true });
    const requestsBefore = fake.requests.length;
    expect(await server.client('app').versions(id)).toBeUndefined();
    expect(fake.requests.length).toBe(requestsBefore);
  });

  it('hides public versions of a package published here (origin controls)', async () => {
    const id = uniqueId('Claimed.Name');
    fake.add({ id, version: '1.0.0' });
    const server = await start();
    const app = server.client('app');
    expect((await app.push(buildNupkg({ id, version: '9.0.0' }).bytes)).status).toBe(201);
    expect(await app.versions(id)).toEqual(['9.0.0']);
    expect((await app.download(id, '1.0.0')).status).toBe(404);
    expect((await app.registration(id))!.leaves.map((leaf) => leaf.catalogEntry.version)).toEqual(['9.0.0']);
  });

  it('hides public versions when the repository holding the connection blocks them', async () => {
    const id = uniqueId('Blocked.Upstream');
    fake.add({ id, version: '1.0.0' });
    const server = await start();
    await putPackageOriginConfiguration(
      server.store,
      { domain: DOMAIN, repository: 'store', format: 'nuget', name: id.toLowerCase() },
      { publish: 'ALLOW', upstream: 'BLOCK' },
    );
    const app = server.client('app');
    expect(await app.versions(id)).toBeUndefined();
    expect((await app.download(id, '1.0.0')).status).toBe(404);
  });

  it('answers 404 when the holder blocks upstream versions while the nupkg is on its way, as when the block was set before (the reason phrase says why)', async () => {
    const id = uniqueId('Refused.Late');
    fake.add({ id, version: '1.0.0' });
    const server = await start();
    const keyIn = (repository: string) => ({ domain: DOMAIN, repository, format: 'nuget' as const, name: id.toLowerCase() });
    const app = server.client('app');
    const response = await beforeIndexUpdate(
      server.store,
      keyIn('store'),
      () => putPackageOriginConfiguration(server.store, keyIn('store'), { publish: 'ALLOW', upstream: 'BLOCK' }),
      () => app.download(id, '1.0.0'),
    );
    // 404 is "not on this source" to a restore, which goes on with its other sources; a 403 would fail it (NU1301).
    expect(response.status).toBe(404);
    expect(response.statusMessage).toBe(`Versions of ${id.toLowerCase()} from upstream are blocked in store by its origin controls (upstream=BLOCK).`);
    expect(response.body.toString()).not.toContain(server.root);
    expect((await record(server, 'store', id.toLowerCase()))?.versions).toEqual({});
    expect(await record(server, 'app', id.toLowerCase())).toBeUndefined();
    // Set before the request, the block hides the version: the same status.
    expect(await app.versions(id)).toBeUndefined();
    expect((await app.download(id, '1.0.0')).status).toBe(404);
    expect(await record(server, 'app', id.toLowerCase())).toBeUndefined();
  });

  it("answers 404 too when the repository asked blocks upstream versions while the nupkg is on its way (once the holder's copy is kept)", async () => {
    const id = uniqueId('Asked.Refuses');
    fake.add({ id, version: '1.0.0' });
    const server = await start();
    const keyIn = (repository: string) => ({ domain: DOMAIN, repository, format: 'nuget' as const, name: id.toLowerCase() });
    const response = await refusedOnceHolderKept(
      server.store,
      keyIn('app'),
      'store',
      () => putPackageOriginConfiguration(server.store, keyIn('app'), { publish: 'ALLOW', upstream: 'BLOCK' }),
      () => server.client('app').download(id, '1.0.0'),
    );
    expect(response.status).toBe(404);
    expect(response.statusMessage).toMatch(/blocked in app by its origin controls \(upstream=BLOCK\)/);
    expect(Object.keys((await record(server, 'store', id.toLowerCase()))?.versions ?? {})).toEqual(['1.0.0']);
    expect((await record(server, 'app', id.toLowerCase()))?.versions).toEqual({});
    expect((await server.client('app').download(id, '1.0.0')).status).toBe(404);
  });

  it('answers 404 when the repository asked blocks upstream versions while a version held upstream is being kept here', async () => {
    const server = await start();
    const id = uniqueId('Team.Held');
    expect((await server.client('team').push(buildNupkg({ id, version: '1.0.0' }).bytes)).status).toBe(201);
    const asked = { domain: DOMAIN, repository: 'app', format: 'nuget' as const, name: id.toLowerCase() };
    const response = await beforeIndexUpdate(
      server.store,
      asked,
      () => putPackageOriginConfiguration(server.store, asked, { publish: 'ALLOW', upstream: 'BLOCK' }),
      () => server.client('app').download(id, '1.0.0'),
    );
    expect(response.status).toBe(404);
    expect(response.statusMessage).toMatch(/blocked in app by its origin controls \(upstream=BLOCK\)/);
    expect((await record(server, 'app', id.toLowerCase()))?.versions).toEqual({});
    expect((await server.client('app').download(id, '1.0.0')).status).toBe(404);
  });

  it('answers 404 when a package group blocks upstream repositories for the repository asked while a version held upstream is being kept there', async () => {
    const server = await start();
    const id = uniqueId('Group.Late');
    expect((await server.client('team').push(buildNupkg({ id, version: '1.0.0' }).bytes)).status).toBe(201);
    const asked = { domain: DOMAIN, repository: 'app', format: 'nuget' as const, name: id.toLowerCase() };
    const group = `/nuget//${id.toLowerCase()}$`;
    const response = await beforeIndexUpdate(
      server.store,
      asked,
      async () => {
        await createPackageGroup(server.store, { domain: DOMAIN, packageGroup: group });
        await updatePackageGroupOriginConfiguration(server.store, { domain: DOMAIN, packageGroup: group, restrictions: { INTERNAL_UPSTREAM: 'BLOCK' } });
      },
      () => server.client('app').download(id, '1.0.0'),
    );
    expect(response.status).toBe(404);
    expect(response.statusMessage).toMatch(/into repository app is blocked by package group .* \(INTERNAL_UPSTREAM=BLOCK\)/);
    expect((await record(server, 'app', id.toLowerCase()))?.versions ?? {}).toEqual({});
    expect((await server.client('app').download(id, '1.0.0')).status).toBe(404);
  });

  it('hides public versions behind a repository in between that published the package', async () => {
    const id = uniqueId('Claimed.Between');
    fake.add({ id, version: '1.0.0' });
    const server = await start();
    expect((await server.client('team').push(buildNupkg({ id, version: '5.0.0' }).bytes)).status).toBe(201);
    const app = server.client('app');
    expect(await app.versions(id)).toEqual(['5.0.0']);
    expect((await app.download(id, '1.0.0')).status).toBe(404);
  });

  it('merges stored and public versions in NuGet order', async () => {
    const id = uniqueId('Merged.Versions');
    fake.add({ id, version: '1.0.0' });
    fake.add({ id, version: '2.0.0' });
    const server = await start({ metadataMaxAgeSeconds: 0 });
    const app = server.client('app');
    await app.download(id, '2.0.0');
    fake.add({ id, version: '1.5.0-beta' });
    expect(await server.client('team').versions(id)).toEqual(['1.0.0', '1.5.0-beta', '2.0.0']);
  });
});

describe('remembered answers (src/server/response-memo.ts)', () => {
  it('answers a repeated versions list and nupkg without reading an index, and forgets them when the package changes', async () => {
    const id = uniqueId('Memo.Restore');
    const built = fake.add({ id, version: '1.0.0' });
    const server = await start();
    const app = server.client('app');
    // The first download stores the version in app: the answer is remembered as it is now stored.
    expect(await app.versions(id)).toEqual(['1.0.0']);
    expect((await app.download(id, '1.0.0')).status).toBe(200);
    expect(await app.versions(id)).toEqual(['1.0.0']);
    const indexReads = vi.spyOn(server.store.index, 'getPackage');
    try {
      expect(await app.versions(id)).toEqual(['1.0.0']);
      const again = await app.download(id, '1.0.0');
      expect(again.status).toBe(200);
      expect(again.body.equals(built.bytes)).toBe(true);
      expect(indexReads).not.toHaveBeenCalled();
    } finally {
      indexReads.mockRestore();
    }
    // Removed in app and store: the very next requests see it.
    for (const repository of ['app', 'store'])
      await deletePackageVersions(server.store, { domain: DOMAIN, repository, format: 'nuget', name: id.toLowerCase() }, { versions: ['1.0.0'] });
    fake.setFault('error500', 'package');
    expect((await app.download(id, '1.0.0')).status).toBe(502);
  });

  it('keeps a versions list asked for before the first download of a version it lists, until its documents go stale', async () => {
    const id = uniqueId('Memo.Renewed');
    fake.add({ id, version: '1.0.0' });
    fake.add({ id, version: '2.0.0' });
    const server = await start({ metadataMaxAgeSeconds: 2 });
    const app = server.client('app');
    const listRequests = () => fake.requests.filter((path) => path === `/v3-flatcontainer/${id.toLowerCase()}/index.json`).length;
    const clock = stopTheClock();
    // As a restore asks: the list, then the version it picked. The download stores 1.0.0 in app
    // and store, which ends the remembered list; it is worked out again right then.
    expect(await app.versions(id)).toEqual(['1.0.0', '2.0.0']);
    clock.advance(1_000);
    expect((await app.download(id, '1.0.0')).status).toBe(200);
    const indexReads = vi.spyOn(server.store.index, 'getPackage');
    try {
      expect(await app.versions(id)).toEqual(['1.0.0', '2.0.0']);
      expect(indexReads).not.toHaveBeenCalled();
    } finally {
      indexReads.mockRestore();
    }
    // Renewed from the same documents, it goes stale with them, not two seconds after the download.
    fake.add({ id, version: '3.0.0' });
    clock.advance(999);
    expect(await app.versions(id)).toEqual(['1.0.0', '2.0.0']);
    clock.advance(1);
    expect(await app.versions(id)).toEqual(['1.0.0', '2.0.0', '3.0.0']);
    expect(listRequests()).toBe(2);
  });

  it('keeps it through a first download large enough to reach the client as it arrives', async () => {
    const id = uniqueId('Memo.RenewedLive');
    // Random bytes do not compress: the nupkg is over the 256 KiB from which downloads are streamed.
    const built = fake.add({ id, version: '1.0.0', extraEntries: { 'content/data.bin': randomBytes(600 * 1024) } });
    const server = await start();
    const app = server.client('app');
    expect(await app.versions(id)).toEqual(['1.0.0']);
    const renewals = vi.spyOn(ResponseMemo.prototype, 'renew');
    const indexReads = vi.spyOn(server.store.index, 'getPackage');
    try {
      const download = await app.download(id, '1.0.0');
      expect(download.body.equals(built.bytes)).toBe(true);
      // A streamed answer ends before the version is stored, and the list is renewed after that.
      await vi.waitFor(() => expect(renewals).toHaveBeenCalled(), { timeout: 10_000 });
      indexReads.mockClear();
      expect(await app.versions(id)).toEqual(['1.0.0']);
      expect(indexReads).not.toHaveBeenCalled();
    } finally {
      renewals.mockRestore();
      indexReads.mockRestore();
    }
  });

  it('reuses a versions list from the public source while its documents are fresh, and asks again once stale', async () => {
    const id = uniqueId('Memo.Fresh');
    fake.add({ id, version: '1.0.0' });
    const server = await start({ metadataMaxAgeSeconds: 1 });
    const app = server.client('app');
    const listRequests = () => fake.requests.filter((path) => path === `/v3-flatcontainer/${id.toLowerCase()}/index.json`).length;
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    try {
      expect(await app.versions(id)).toEqual(['1.0.0']);
      expect(await app.versions(id)).toEqual(['1.0.0']);
      fake.add({ id, version: '1.1.0' });
      vi.setSystemTime(Date.now() + 999);
      expect(await app.versions(id)).toEqual(['1.0.0']);
      expect(listRequests()).toBe(1);
      vi.setSystemTime(Date.now() + 1);
      expect(await app.versions(id)).toEqual(['1.0.0', '1.1.0']);
      expect(listRequests()).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('does not remember a versions list served from stored versions while the source fails', async () => {
    const id = uniqueId('Memo.Down');
    fake.add({ id, version: '1.0.0' });
    const server = await start({ metadataMaxAgeSeconds: 0 });
    const app = server.client('app');
    expect((await app.download(id, '1.0.0')).status).toBe(200);
    fake.add({ id, version: '2.0.0' });
    fake.setFault('error500', 'flat');
    expect(await app.versions(id)).toEqual(['1.0.0']);
    expect(await app.versions(id)).toEqual(['1.0.0']);
    fake.setFault('none');
    expect(await app.versions(id)).toEqual(['1.0.0', '2.0.0']);
  });
});
