/**
 * Cargo through upstreams and public:crates-io (a local stand-in): lines merge along the chain,
 * crates are kept where CodeArtifact keeps them, a crate whose bytes do not match the index's
 * cksum is refused and not stored, and origin controls and package groups cut the connection.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Config } from '../../../src/config/config.js';
import { loadConfig } from '../../../src/config/load-config.js';
import { createDomain } from '../../../src/operations/domains.js';
import { putPackageOriginConfiguration } from '../../../src/operations/origin-configuration.js';
import { updatePackageVersionsStatus } from '../../../src/operations/version-status.js';
import { createPackageGroup } from '../../../src/operations/package-groups.js';
import { updatePackageGroupOriginConfiguration } from '../../../src/operations/package-groups-origin.js';
import { associateExternalConnection, createRepository } from '../../../src/operations/repositories.js';
import { getAuthorizationToken } from '../../../src/operations/tokens.js';
import { startServer, type RunningServer } from '../../../src/server/serve.js';
import { openStore, type Store } from '../../../src/store/store.js';
import { beforeIndexUpdate } from '../../helpers/before-index-update.js';
import { refusedOnceHolderKept } from '../../helpers/refused-once-holder-kept.js';
import { buildCrate, indexPathOf, publishBody, sha256 } from '../../helpers/cargo-crate.js';
import { holdBlobWrites } from '../../helpers/held-blob-writes.js';
import { startFakeCargoIndex, type FakeCargoIndex } from '../../helpers/fake-cargo-index.js';
import { TEST_SERVER_OPTIONS } from '../../helpers/server-options.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { parseJson } from '../../helpers/json.js';

let fake: FakeCargoIndex;
let store: Store;
let server: RunningServer;
let token: string;

beforeAll(async () => {
  fake = await startFakeCargoIndex();
  const root = makeTempDir('cargo-upstream-');
  store = openStore(root);
  await createDomain(store, { domain: 'acme' });
  // app -> team -> store, and store holds public:crates-io (CodeArtifact's recommended layout).
  await createRepository(store, { domain: 'acme', repository: 'store' });
  await associateExternalConnection(store, 'acme', 'store', 'public:crates-io');
  await createRepository(store, { domain: 'acme', repository: 'team', upstreams: ['store'] });
  await createRepository(store, { domain: 'acme', repository: 'app', upstreams: ['team'] });
  token = (await getAuthorizationToken(store, { domain: 'acme' })).authorizationToken;
  const config: Config = await loadConfig({ root }, {}, root);
  config.server.port = 0;
  config.externalConnections = { 'public:crates-io': fake.url };
  server = await startServer({ ...TEST_SERVER_OPTIONS, store, config, log: () => undefined });
});

afterAll(async () => {
  await server.close();
  await fake.close();
});

const url = (repository: string, path: string) => `${server.url}/acme/cargo/${repository}/${path}`;
const get = (repository: string, path: string) => fetch(url(repository, path), { headers: { authorization: token } });

async function lines(repository: string, name: string): Promise<{ vers: string; yanked: boolean; cksum: string }[]> {
  const response = await get(repository, indexPathOf(name));
  expect(response.status).toBe(200);
  return (await response.text())
    .trimEnd()
    .split('\n')
    .map((line) => parseJson<{ vers: string; yanked: boolean; cksum: string }>(line));
}

async function storedVersions(repository: string, name: string): Promise<Record<string, string>> {
  const record = await store.index.getPackage({ domain: 'acme', repository, format: 'cargo', name });
  return Object.fromEntries(Object.values(record?.versions ?? {}).map((version) => [version.version, version.status]));
}

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await sleep(10);
}

describe('cargo through upstreams and the external connection', () => {
  it('merges the chain with the index, and keeps a fetched crate in the repository asked and the connection holder', async () => {
    const crate = buildCrate('merged', '2.0.0');
    const published = await fetch(url('team', 'api/v1/crates/new'), {
      method: 'PUT',
      body: new Uint8Array(publishBody({ name: 'merged', vers: '2.0.0' }, crate)),
      headers: { authorization: token },
    });
    expect(published.status).toBe(200);
    // The team's own crate has upstream=BLOCK (published first), so the index's versions stay out.
    expect((await lines('app', 'merged')).map((line) => line.vers)).toEqual(['2.0.0']);

    const pub = fake.add('remote-crate', '1.0.0');
    fake.add('remote-crate', '1.1.0', { yanked: true });
    expect((await lines('app', 'remote-crate')).map((line) => [line.vers, line.yanked])).toEqual([
      ['1.0.0', false],
      ['1.1.0', true],
    ]);
    const download = await get('app', 'api/v1/crates/remote-crate/1.0.0/download');
    expect(download.status).toBe(200);
    expect(sha256(Buffer.from(await download.arrayBuffer()))).toBe(pub.cksum);
    expect(await storedVersions('app', 'remote-crate')).toEqual({ '1.0.0': 'Published' });
    expect(await storedVersions('store', 'remote-crate')).toEqual({ '1.0.0': 'Published' });
    expect(await storedVersions('team', 'remote-crate')).toEqual({});
    // A yanked version is still fetched for lockfiles, and kept as Unlisted (yanked here too).
    expect((await get('app', 'api/v1/crates/remote-crate/1.1.0/download')).status).toBe(200);
    expect(await storedVersions('app', 'remote-crate')).toEqual({ '1.0.0': 'Published', '1.1.0': 'Unlisted' });
  });

  it("writes and flushes a cold crate's indexes while the crate is flushed, and names the crate only once it is durable", async () => {
    const crate = fake.add('flush-order', '1.0.0');
    const keys = ['store', 'app'].map((repository) => ({ domain: 'acme', repository, format: 'cargo' as const, name: 'flush-order' }));
    const writes = holdBlobWrites(store);
    try {
      const download = get('app', 'api/v1/crates/flush-order/1.0.0/download');
      await writes.held;
      // Both indexes' writes began beside the crate's flush (the connection holder's and the
      // repository asked), their renames waiting for it...
      await vi.waitFor(() => expect(writes.updates).toEqual(expect.arrayContaining(keys.map((key) => ({ key, renameAfter: true })))), { timeout: 10_000 });
      // ...so neither index on disk names a crate that is not durable yet.
      for (const key of keys) expect(await storedVersions(key.repository, 'flush-order')).toEqual({});
      writes.release();
      const response = await download;
      expect(response.status).toBe(200);
      expect(sha256(Buffer.from(await response.arrayBuffer()))).toBe(crate.cksum);
      for (const key of keys) expect(await storedVersions(key.repository, 'flush-order')).toEqual({ '1.0.0': 'Published' });
    } finally {
      writes.restore();
    }
  });

  it('names a cold crate in no index when its write fails after the check (a full disk), and answers 507', async () => {
    fake.add('write-fails', '1.0.0');
    const keys = ['store', 'app'].map((repository) => ({ domain: 'acme', repository, format: 'cargo' as const, name: 'write-fails' }));
    const writes = holdBlobWrites(store);
    try {
      const download = get('app', 'api/v1/crates/write-fails/1.0.0/download');
      await writes.held;
      await vi.waitFor(() => expect(writes.updates).toEqual(expect.arrayContaining(keys.map((key) => ({ key, renameAfter: true })))), { timeout: 10_000 });
      writes.fail();
      expect((await download).status).toBe(507);
      for (const key of keys) expect(await storedVersions(key.repository, 'write-fails')).toEqual({});
    } finally {
      writes.restore();
    }
  });

  it('retains a crate found in an upstream repository in the repository asked', async () => {
    const download = await get('app', 'api/v1/crates/merged/2.0.0/download');
    expect(download.status).toBe(200);
    const record = await store.index.getPackage({ domain: 'acme', repository: 'app', format: 'cargo', name: 'merged' });
    expect(record?.versions['2.0.0'].origin).toEqual({ domainEntryPoint: { repositoryName: 'team' }, originType: 'INTERNAL' });
  });

  it('refuses a crate whose bytes do not match the index cksum, with the cargo error shape, and stores nothing', async () => {
    fake.add('tampered', '1.0.0', { servedBytes: buildCrate('tampered', '1.0.0', { body: '// not what the index says\n' }) });
    const response = await get('app', 'api/v1/crates/tampered/1.0.0/download');
    expect(response.status).toBe(502);
    const body = (await response.json()) as { errors: { detail: string }[] };
    expect(body.errors[0].detail).toMatch(/does not match the digest/);
    expect(await storedVersions('app', 'tampered')).toEqual({});
    expect(await storedVersions('store', 'tampered')).toEqual({});
  });

  it('crates downloading at the same time share one blob lease, removed when the last is kept', async () => {
    let release!: () => void;
    const heldUntil = new Promise<void>((resolve) => (release = resolve));
    const names = ['held-one', 'held-two', 'held-three'];
    for (const name of names) fake.add(name, '1.0.0', { heldUntil });
    const leases = async () => (await readdir(path.join(store.root, 'tmp'))).filter((file) => file.startsWith('lease-'));
    const downloads = names.map((name) => get('app', `api/v1/crates/${name}/1.0.0/download`));
    // All three are inside their lease once the stand-in has been asked for each crate.
    await waitFor(() => names.every((name) => fake.requests.includes(`/files/${name}/1.0.0.crate`)));
    expect(await leases()).toHaveLength(1);
    release();
    for (const response of await Promise.all(downloads)) expect(response.status).toBe(200);
    expect(await leases()).toEqual([]);
    expect(await storedVersions('app', 'held-two')).toEqual({ '1.0.0': 'Published' });
  });

  it('answers an index miss before its cache file is written: the answer needs no file, and the crate is still checked against it', async () => {
    const pub = fake.add('written-behind', '1.0.0');
    // The cache file cannot be written (a non-empty directory holds its place).
    const cacheFile = path.join(store.root, 'domains', 'acme', 'repositories', 'store', 'external', 'cargo', '%5F', 'written-behind.json');
    mkdirSync(path.join(cacheFile, 'blocked'), { recursive: true });
    expect((await lines('app', 'written-behind')).map((line) => [line.vers, line.cksum])).toEqual([['1.0.0', pub.cksum]]);
    const download = await get('app', 'api/v1/crates/written-behind/1.0.0/download');
    expect(download.status).toBe(200);
    expect(sha256(Buffer.from(await download.arrayBuffer()))).toBe(pub.cksum);
    expect(await storedVersions('store', 'written-behind')).toEqual({ '1.0.0': 'Published' });
    rmSync(cacheFile, { recursive: true });
  });

  it('answers a repeated download of a stored crate without reading an index, and forgets the answer when the version changes', async () => {
    const pub = fake.add('memo-crate', '1.0.0');
    expect((await get('app', 'api/v1/crates/memo-crate/1.0.0/download')).status).toBe(200);
    expect((await get('app', 'api/v1/crates/memo-crate/1.0.0/download')).status).toBe(200);
    const indexReads = vi.spyOn(store.index, 'getPackage');
    try {
      const again = await get('app', 'api/v1/crates/memo-crate/1.0.0/download');
      expect(again.status).toBe(200);
      expect(sha256(Buffer.from(await again.arrayBuffer()))).toBe(pub.cksum);
      expect(indexReads).not.toHaveBeenCalled();
    } finally {
      indexReads.mockRestore();
    }
    // Archived in app: not downloadable there any more, from the very next request on.
    await updatePackageVersionsStatus(
      store,
      { domain: 'acme', repository: 'app', format: 'cargo', name: 'memo-crate' },
      { versions: ['1.0.0'], targetStatus: 'Archived' },
    );
    expect((await get('app', 'api/v1/crates/memo-crate/1.0.0/download')).status).toBe(404);
  });

  it('origin controls: upstream=BLOCK on the package in the repository asked hides the index versions', async () => {
    fake.add('blocked-here', '1.0.0');
    expect((await lines('app', 'blocked-here')).map((line) => line.vers)).toEqual(['1.0.0']);
    await putPackageOriginConfiguration(
      store,
      { domain: 'acme', repository: 'team', format: 'cargo', name: 'blocked-here' },
      { publish: 'ALLOW', upstream: 'BLOCK' },
    );
    expect((await get('team', indexPathOf('blocked-here'))).status).toBe(404);
  });

  it('answers 404 when the holder blocks upstream versions while the crate is on its way, as when the block was set before (its reason in the detail)', async () => {
    fake.add('refused-late', '1.0.0');
    const keyIn = (repository: string) => ({ domain: 'acme', repository, format: 'cargo' as const, name: 'refused-late' });
    const response = await beforeIndexUpdate(
      store,
      keyIn('store'),
      () => putPackageOriginConfiguration(store, keyIn('store'), { publish: 'ALLOW', upstream: 'BLOCK' }),
      () => get('app', 'api/v1/crates/refused-late/1.0.0/download'),
    );
    expect(response.status).toBe(404);
    // cargo prints the body of a failed download: the refusal and how to lift it.
    const detail = ((await response.json()) as { errors: { detail: string }[] }).errors[0].detail;
    expect(detail).toMatch(/^Versions of refused-late from upstream are blocked in store by its origin controls \(upstream=BLOCK\)\. Allow them with/);
    expect(detail).not.toContain(store.root);
    // Kept nowhere: the holder refused it, so the asked repository's index was never put in place.
    expect((await store.index.getPackage(keyIn('store')))?.versions).toEqual({});
    expect(await store.index.getPackage(keyIn('app'))).toBeUndefined();
    // Set before the request, the block hides the version: the same status.
    const later = await get('app', 'api/v1/crates/refused-late/1.0.0/download');
    expect(later.status).toBe(404);
    expect(((await later.json()) as { errors: { detail: string }[] }).errors[0].detail).toMatch(/refused-late/);
    expect(await store.index.getPackage(keyIn('app'))).toBeUndefined();
  });

  it("answers 404 too when the repository asked blocks upstream versions while the crate is on its way (once the holder's copy is kept)", async () => {
    fake.add('asked-refuses', '1.0.0');
    const keyIn = (repository: string) => ({ domain: 'acme', repository, format: 'cargo' as const, name: 'asked-refuses' });
    const response = await refusedOnceHolderKept(
      store,
      keyIn('app'),
      'store',
      () => putPackageOriginConfiguration(store, keyIn('app'), { publish: 'ALLOW', upstream: 'BLOCK' }),
      () => get('app', 'api/v1/crates/asked-refuses/1.0.0/download'),
    );
    expect(response.status).toBe(404);
    expect(((await response.json()) as { errors: { detail: string }[] }).errors[0].detail).toMatch(/blocked in app by its origin controls \(upstream=BLOCK\)/);
    expect(await storedVersions('store', 'asked-refuses')).toEqual({ '1.0.0': 'Published' });
    expect((await store.index.getPackage(keyIn('app')))?.versions).toEqual({});
    expect((await get('app', 'api/v1/crates/asked-refuses/1.0.0/download')).status).toBe(404);
  });

  it('answers 404 when the repository asked blocks upstream versions while a crate held upstream is being kept here', async () => {
    const published = await fetch(url('team', 'api/v1/crates/new'), {
      method: 'PUT',
      body: new Uint8Array(publishBody({ name: 'team-held', vers: '1.0.0' }, buildCrate('team-held', '1.0.0'))),
      headers: { authorization: token },
    });
    expect(published.status).toBe(200);
    const asked = { domain: 'acme', repository: 'app', format: 'cargo' as const, name: 'team-held' };
    const response = await beforeIndexUpdate(
      store,
      asked,
      () => putPackageOriginConfiguration(store, asked, { publish: 'ALLOW', upstream: 'BLOCK' }),
      () => get('app', 'api/v1/crates/team-held/1.0.0/download'),
    );
    expect(response.status).toBe(404);
    expect(((await response.json()) as { errors: { detail: string }[] }).errors[0].detail).toMatch(/blocked in app by its origin controls \(upstream=BLOCK\)/);
    expect((await store.index.getPackage(asked))?.versions).toEqual({});
    expect((await get('app', 'api/v1/crates/team-held/1.0.0/download')).status).toBe(404);
  });

  it('answers 404 when a package group blocks the connection while the crate is on its way, as when it did before, and keeps it nowhere', async () => {
    fake.add('group-late', '1.0.0');
    const keyIn = (repository: string) => ({ domain: 'acme', repository, format: 'cargo' as const, name: 'group-late' });
    const response = await beforeIndexUpdate(
      store,
      keyIn('store'),
      async () => {
        await createPackageGroup(store, { domain: 'acme', packageGroup: '/cargo//group-late$' });
        await updatePackageGroupOriginConfiguration(store, {
          domain: 'acme',
          packageGroup: '/cargo//group-late$',
          restrictions: { EXTERNAL_UPSTREAM: 'BLOCK' },
        });
      },
      () => get('app', 'api/v1/crates/group-late/1.0.0/download'),
    );
    expect(response.status).toBe(404);
    expect(((await response.json()) as { errors: { detail: string }[] }).errors[0].detail).toMatch(
      /into repository store is blocked by package group \/cargo\/\/group-late\$ \(EXTERNAL_UPSTREAM=BLOCK\)/,
    );
    expect((await store.index.getPackage(keyIn('store')))?.versions ?? {}).toEqual({});
    expect(await store.index.getPackage(keyIn('app'))).toBeUndefined();
    expect((await get('app', 'api/v1/crates/group-late/1.0.0/download')).status).toBe(404);
  });

  it('package groups: EXTERNAL_UPSTREAM=BLOCK keeps the connection out for matching crates', async () => {
    fake.add('grouped-one', '1.0.0');
    await createPackageGroup(store, { domain: 'acme', packageGroup: '/cargo//grouped-one$' });
    await updatePackageGroupOriginConfiguration(store, { domain: 'acme', packageGroup: '/cargo//grouped-one$', restrictions: { EXTERNAL_UPSTREAM: 'BLOCK' } });
    const response = await get('app', indexPathOf('grouped-one'));
    expect(response.status).toBe(404);
    expect(((await response.json()) as { errors: { detail: string }[] }).errors[0].detail).toMatch(/grouped-one is not in repository app/);
  });
});
