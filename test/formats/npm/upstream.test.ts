import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { putPackageOriginConfiguration } from '../../../src/operations/origin-configuration.js';
import { beforeIndexUpdate } from '../../helpers/before-index-update.js';
import { holdBlobWrites } from '../../helpers/held-blob-writes.js';
import { buildNpmTarball } from '../../helpers/npm-tarball.js';
import { startUpstreamHarness } from './upstream-harness.js';
import { parseJson, responseJson } from '../../helpers/json.js';

const ABBREVIATED = { accept: 'application/vnd.npm.install-v1+json' };

async function packument(
  response: Response,
): Promise<{ 'dist-tags': Record<string, string>; versions: Record<string, { dist: { tarball: string; integrity: string } }> }> {
  expect(response.status).toBe(200);
  return (await response.json()) as never;
}

describe('npm through upstreams and an external connection', () => {
  it('lists versions from every level with tarball URLs on the repository asked, and retains what it fetches', async () => {
    const h = await startUpstreamHarness();
    h.registry.add({ name: 'lodash-lite', version: '1.0.0' });
    const fetched = h.registry.add({ name: 'lodash-lite', version: '2.0.0' });
    expect((await h.publish('team', buildNpmTarball({ name: 'team-lib', version: '1.0.0' }))).status).toBe(201);
    expect((await h.publish('store', buildNpmTarball({ name: 'team-lib', version: '0.5.0' }))).status).toBe(201);

    expect((await h.publish('store', buildNpmTarball({ name: 'store-lib', version: '3.0.0' }))).status).toBe(201);

    // team published team-lib itself, so its origin controls keep store's copy out of the view.
    const teamLib = await packument(await h.get('app', 'team-lib', ABBREVIATED));
    expect(Object.keys(teamLib.versions)).toEqual(['1.0.0']);
    const storeLib = await packument(await h.get('app', 'store-lib', ABBREVIATED));
    expect(Object.keys(storeLib.versions)).toEqual(['3.0.0']);

    const lodash = await packument(await h.get('app', 'lodash-lite', ABBREVIATED));
    expect(Object.keys(lodash.versions).sort()).toEqual(['1.0.0', '2.0.0']);
    expect(lodash['dist-tags'].latest).toBe('2.0.0');
    const tarballUrl = lodash.versions['2.0.0'].dist.tarball;
    expect(tarballUrl.startsWith(`${h.server.url}/acme/npm/app/`)).toBe(true);
    expect(lodash.versions['2.0.0'].dist.integrity).toBe(fetched.integrity);

    const download = await fetch(tarballUrl, { headers: { authorization: `Bearer ${h.token}` } });
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(fetched.bytes)).toBe(true);

    const key = { domain: 'acme', format: 'npm' as const, name: 'lodash-lite' };
    const inApp = await h.store.index.getPackage({ ...key, repository: 'app' });
    const inStore = await h.store.index.getPackage({ ...key, repository: 'store' });
    const inTeam = await h.store.index.getPackage({ ...key, repository: 'team' });
    expect(inApp?.versions['2.0.0'].origin).toEqual({ domainEntryPoint: { externalConnectionName: 'public:npmjs' }, originType: 'EXTERNAL' });
    expect(inStore?.versions['2.0.0'].assets[0].hashes['SHA-256']).toBe(createHash('sha256').update(fetched.bytes).digest('hex'));
    expect(inApp?.versions['2.0.0'].assets[0].hashes['SHA-256']).toBe(inStore?.versions['2.0.0'].assets[0].hashes['SHA-256']);
    expect(inTeam).toBeUndefined();
    expect(inApp?.originConfiguration.restrictions).toEqual({ publish: 'BLOCK', upstream: 'ALLOW' });

    // The public registry loses the version and then goes down: what was retained stays.
    h.registry.remove('lodash-lite', '2.0.0');
    h.registry.setFault('down');
    const later = await packument(await h.get('app', 'lodash-lite', ABBREVIATED));
    expect(Object.keys(later.versions)).toContain('2.0.0');
    expect((await h.get('app', 'lodash-lite/-/lodash-lite-2.0.0.tgz')).status).toBe(200);
    expect(h.logs.some((line) => line.includes('warning'))).toBe(true);
  });

  it('does not let a public version shadow or join an internally published package (dependency substitution)', async () => {
    const h = await startUpstreamHarness();
    h.registry.add({ name: '@acme/util', version: '99.0.0' });
    expect((await h.publish('team', buildNpmTarball({ name: '@acme/util', version: '1.0.0' }))).status).toBe(201);
    for (const repository of ['app', 'team']) {
      const document = await packument(await h.get(repository, '@acme%2futil', ABBREVIATED));
      expect(Object.keys(document.versions)).toEqual(['1.0.0']);
      expect(document['dist-tags'].latest).toBe('1.0.0');
    }
    expect((await h.get('app', '@acme/util/-/util-99.0.0.tgz')).status).toBe(404);
    expect(h.registry.requests.some((path) => path.includes('util-99.0.0.tgz'))).toBe(false);
  });

  it('gives clear errors for a failing registry and stores nothing corrupt', async () => {
    const h = await startUpstreamHarness({ timeoutMs: 500 });
    h.registry.add({ name: 'flaky', version: '1.0.0' });

    h.registry.setFault('error500');
    expect((await h.get('app', 'flaky')).status).toBe(502);
    h.registry.setFault('not-json', 'packument');
    const notJson = await h.get('app', 'flaky');
    expect(notJson.status).toBe(502);
    expect(((await notJson.json()) as { error: string }).error).toMatch(/unusable metadata/);
    h.registry.setFault('hang');
    expect((await h.get('app', 'flaky')).status).toBe(502);

    h.registry.setFault('none');
    expect((await h.get('app', 'flaky')).status).toBe(200);
    for (const fault of ['wrong-digest', 'cut-body', 'error500'] as const) {
      h.registry.setFault(fault, 'tarball');
      const response = await h.get('app', 'flaky/-/flaky-1.0.0.tgz');
      expect(response.status, fault).toBe(502);
      expect(await h.store.index.getPackage({ domain: 'acme', repository: 'app', format: 'npm', name: 'flaky' })).toBeUndefined();
    }
    const { readdirSync, statSync } = await import('node:fs');
    // Nothing but this test process's lock holder, which lives as long as the process, and the
    // server's pool of empty temp files and directories (none holding a byte of the failed downloads).
    const left = readdirSync(`${h.root}/tmp`).filter((name) => !name.startsWith(`lock-holder-${process.pid}-`));
    const pooled = left.filter((name) => name.startsWith(`pooled-${process.pid}-`));
    expect(left.filter((name) => !pooled.includes(name))).toEqual([]);
    for (const name of pooled) {
      const entry = `${h.root}/tmp/${name}`;
      if (statSync(entry).isDirectory()) expect(readdirSync(entry)).toEqual([]);
      else expect(statSync(entry).size).toBe(0);
    }
    const { verifyStore } = await import('../../../src/operations/verify.js');
    expect((await verifyStore(h.store)).problems).toEqual([]);
    h.registry.setFault('none');
    expect((await h.get('app', 'flaky/-/flaky-1.0.0.tgz')).status).toBe(200);
  });

  it('serves a version already stored along the chain without asking the registry for metadata', async () => {
    // Fresh for 0 s: any look at the registry's metadata would be a request.
    const h = await startUpstreamHarness({ maxAgeSeconds: 0 });
    const fetched = h.registry.add({ name: 'settled', version: '1.0.0' });
    expect((await h.get('app', 'settled/-/settled-1.0.0.tgz')).status).toBe(200);
    h.registry.requests.length = 0;
    const again = await h.get('app', 'settled/-/settled-1.0.0.tgz');
    expect(again.status).toBe(200);
    expect(Buffer.from(await again.arrayBuffer()).equals(fetched.bytes)).toBe(true);
    expect(h.registry.requests).toEqual([]);
    // A version no repository holds still comes through the registry.
    h.registry.add({ name: 'settled', version: '1.1.0' });
    expect((await h.get('app', 'settled/-/settled-1.1.0.tgz')).status).toBe(200);
    expect(h.registry.requests).toContain('/settled');
    expect(h.registry.requests).toContain('/settled/-/settled-1.1.0.tgz');
  });

  it("keeps the registry's packument on disk for packument requests, not for downloads alone", async () => {
    const h = await startUpstreamHarness({ maxAgeSeconds: 60 });
    h.registry.add({ name: 'quiet', version: '1.0.0' });
    h.registry.add({ name: 'quiet', version: '1.1.0' });
    const cacheFile = path.join(h.root, 'domains', 'acme', 'repositories', 'store', 'external', 'npm', '_', 'quiet.json');
    expect((await h.get('app', 'quiet/-/quiet-1.0.0.tgz')).status).toBe(200);
    // The version is kept (retained in store and app); the registry's whole document is not written.
    expect(existsSync(cacheFile)).toBe(false);
    const retained = await h.store.index.getPackage({ domain: 'acme', repository: 'store', format: 'npm', name: 'quiet' });
    expect(Object.keys(retained?.versions ?? {})).toEqual(['1.0.0']);
    // The next download uses the document kept in memory: no second packument request.
    expect((await h.get('app', 'quiet/-/quiet-1.1.0.tgz')).status).toBe(200);
    expect(h.registry.requests.filter((request) => request === '/quiet')).toHaveLength(1);
    // A packument request wants it on disk (to serve it stale if the registry goes down): written then, without asking again.
    const listed = await packument(await h.get('app', 'quiet', ABBREVIATED));
    expect(Object.keys(listed.versions).sort()).toEqual(['1.0.0', '1.1.0']);
    expect(h.registry.requests.filter((request) => request === '/quiet')).toHaveLength(1);
    expect(parseJson<{ url: string }>(readFileSync(cacheFile, 'utf8')).url).toMatch(/\/quiet$/);
  });

  it('makes one upstream request for many concurrent misses', async () => {
    const h = await startUpstreamHarness({ maxAgeSeconds: 60 });
    h.registry.add({ name: 'popular', version: '1.0.0' });
    const responses = await Promise.all(Array.from({ length: 10 }, () => h.get('app', 'popular/-/popular-1.0.0.tgz')));
    expect(responses.map((response) => response.status)).toEqual(Array(10).fill(200));
    expect(h.registry.requests.filter((path) => path === '/popular')).toHaveLength(1);
    expect(h.registry.requests.filter((path) => path.endsWith('.tgz'))).toHaveLength(1);
  });

  it('does not take in an upstream version that declares more dependencies than a version may: 502 that says why, nothing kept', async () => {
    const h = await startUpstreamHarness();
    const dependencies = Object.fromEntries(Array.from({ length: 10_001 }, (_, index) => [`d${index}`, '*']));
    h.registry.add({ name: 'sprawling', version: '1.0.0', dependencies });
    const response = await h.get('app', 'sprawling/-/sprawling-1.0.0.tgz');
    expect(response.status).toBe(502);
    expect((await responseJson<{ error: string }>(response)).error).toMatch(
      /sprawling 1\.0\.0 declares 10001 dependencies; a version may declare at most 10000/,
    );
    for (const repository of ['store', 'app']) {
      expect(await h.store.index.getPackage({ domain: 'acme', repository, format: 'npm', name: 'sprawling' })).toBeUndefined();
    }
  });

  it('asks for a tarball at its usual place while the packument is on its way, and stores it only once the packument vouches for it', async () => {
    const h = await startUpstreamHarness({ timeoutMs: 400 });
    const early = h.registry.add({ name: 'eager', version: '1.0.0' });
    // The packument never comes: the tarball was asked for all the same, and nothing is kept.
    h.registry.setFault('hang', 'packument');
    expect((await h.get('app', 'eager/-/eager-1.0.0.tgz')).status).toBe(502);
    expect(h.registry.requests).toContain('/eager/-/eager-1.0.0.tgz');
    expect(await h.store.index.getPackage({ domain: 'acme', repository: 'store', format: 'npm', name: 'eager' })).toBeUndefined();

    h.registry.setFault('none');
    h.registry.requests.length = 0;
    const response = await h.get('app', 'eager/-/eager-1.0.0.tgz');
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(early.bytes)).toBe(true);
    // One download, not one early and one after the packument.
    expect(h.registry.requests.filter((path) => path.endsWith('.tgz'))).toEqual(['/eager/-/eager-1.0.0.tgz']);
  });

  it('fetches the tarball the packument names when the registry keeps it elsewhere', async () => {
    const h = await startUpstreamHarness();
    h.registry.moveTarballs();
    const moved = h.registry.add({ name: 'moved', version: '1.0.0' });
    const response = await h.get('app', 'moved/-/moved-1.0.0.tgz');
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(moved.bytes)).toBe(true);
    // The early guess (a 404 there) and the one the packument names.
    expect(h.registry.requests.filter((path) => path.endsWith('.tgz')).sort()).toEqual(['/files/moved/-/moved-1.0.0.tgz', '/moved/-/moved-1.0.0.tgz']);
    const stored = await h.store.index.getPackage({ domain: 'acme', repository: 'store', format: 'npm', name: 'moved' });
    expect(stored?.versions['1.0.0'].assets[0].hashes['SHA-256']).toBe(createHash('sha256').update(moved.bytes).digest('hex'));
  });

  it("writes and flushes a cold tarball's index while the tarball is flushed, and names the tarball only once it is durable", async () => {
    const h = await startUpstreamHarness();
    const cold = h.registry.add({ name: 'flush-order', version: '1.0.0' });
    const key = { domain: 'acme', repository: 'store', format: 'npm' as const, name: 'flush-order' };
    const writes = holdBlobWrites(h.store);
    try {
      const download = h.get('store', 'flush-order/-/flush-order-1.0.0.tgz');
      await writes.held;
      // The index's write began beside the tarball's flush, its rename waiting for it...
      await vi.waitFor(() => expect(writes.updates).toContainEqual({ key, renameAfter: true }), { timeout: 10_000 });
      // ...so the index on disk does not name a tarball that is not durable yet.
      expect(await h.store.index.getPackage(key)).toBeUndefined();
      writes.release();
      const response = await download;
      expect(response.status).toBe(200);
      expect(Buffer.from(await response.arrayBuffer()).equals(cold.bytes)).toBe(true);
      expect((await h.store.index.getPackage(key))?.versions['1.0.0'].assets[0].hashes['SHA-256']).toBe(createHash('sha256').update(cold.bytes).digest('hex'));
    } finally {
      writes.restore();
    }
  });

  it("writes and flushes a cold tarball's indexes in the repository asked and the connection holder while the tarball is flushed, naming it only once it is durable", async () => {
    const h = await startUpstreamHarness();
    const cold = h.registry.add({ name: 'chain-order', version: '1.0.0' });
    const keyIn = (repository: string) => ({ domain: 'acme', repository, format: 'npm' as const, name: 'chain-order' });
    const keys = [keyIn('store'), keyIn('app')];
    const writes = holdBlobWrites(h.store);
    try {
      // app -> team -> store: the connection is on an upstream of the repository asked.
      const download = h.get('app', 'chain-order/-/chain-order-1.0.0.tgz');
      await writes.held;
      // Both indexes' writes began beside the tarball's flush, their renames waiting for it...
      await vi.waitFor(() => expect(writes.updates).toEqual(expect.arrayContaining(keys.map((key) => ({ key, renameAfter: true })))), { timeout: 10_000 });
      // ...so neither index on disk names a tarball that is not durable yet.
      for (const key of keys) expect(await h.store.index.getPackage(key)).toBeUndefined();
      writes.release();
      const response = await download;
      expect(response.status).toBe(200);
      expect(Buffer.from(await response.arrayBuffer()).equals(cold.bytes)).toBe(true);
      const sha256 = createHash('sha256').update(cold.bytes).digest('hex');
      for (const key of keys) expect((await h.store.index.getPackage(key))?.versions['1.0.0'].assets[0].hashes['SHA-256']).toBe(sha256);
      // Not in between, and each index was written once.
      expect(await h.store.index.getPackage(keyIn('team'))).toBeUndefined();
      expect(writes.updates.filter((update) => update.key.name === 'chain-order')).toHaveLength(2);
    } finally {
      writes.restore();
    }
  });

  it('keeps a cold tarball in the repository asked only if the connection holder kept it (404 when the holder refuses it meanwhile, as when the block was set before)', async () => {
    const h = await startUpstreamHarness();
    h.registry.add({ name: 'refused-late', version: '1.0.0' });
    const keyIn = (repository: string) => ({ domain: 'acme', repository, format: 'npm' as const, name: 'refused-late' });
    // An operator blocks upstream versions in the holder while the tarball is on its way.
    const response = await beforeIndexUpdate(
      h.store,
      keyIn('store'),
      () => putPackageOriginConfiguration(h.store, keyIn('store'), { publish: 'ALLOW', upstream: 'BLOCK' }),
      () => h.get('app', 'refused-late/-/refused-late-1.0.0.tgz'),
    );
    // npm prints the body's error for a 404 as for a 403: the refusal and how to lift it.
    expect(response.status).toBe(404);
    const body = await response.text();
    expect(parseJson<{ error: string }>(body).error).toMatch(
      /^Versions of refused-late from upstream are blocked in store by its origin controls \(upstream=BLOCK\)/,
    );
    expect(body).not.toContain(h.root);
    expect((await h.store.index.getPackage(keyIn('store')))?.versions).toEqual({});
    expect(await h.store.index.getPackage(keyIn('app'))).toBeUndefined();
    // Set before the request, the block hides the version: the same status.
    const later = await h.get('app', 'refused-late/-/refused-late-1.0.0.tgz');
    expect(later.status).toBe(404);
    expect(await h.store.index.getPackage(keyIn('app'))).toBeUndefined();
  });

  it('still answers a cold tarball the holder kept when the repository asked refuses its copy meanwhile, and notes why', async () => {
    const h = await startUpstreamHarness();
    const cold = h.registry.add({ name: 'asked-refuses', version: '1.0.0' });
    const keyIn = (repository: string) => ({ domain: 'acme', repository, format: 'npm' as const, name: 'asked-refuses' });
    const response = await beforeIndexUpdate(
      h.store,
      keyIn('app'),
      () => putPackageOriginConfiguration(h.store, keyIn('app'), { publish: 'ALLOW', upstream: 'BLOCK' }),
      () => h.get('app', 'asked-refuses/-/asked-refuses-1.0.0.tgz'),
    );
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(cold.bytes)).toBe(true);
    expect(Object.keys((await h.store.index.getPackage(keyIn('store')))?.versions ?? {})).toEqual(['1.0.0']);
    expect((await h.store.index.getPackage(keyIn('app')))?.versions).toEqual({});
    expect(h.logs.some((line) => line.startsWith('note: ') && line.includes('blocked in app') && line.includes('upstream=BLOCK'))).toBe(true);
  });

  it('names a cold tarball in no index when its write fails after the check (a full disk), and answers 507', async () => {
    const h = await startUpstreamHarness();
    h.registry.add({ name: 'write-fails', version: '1.0.0' });
    const key = { domain: 'acme', repository: 'store', format: 'npm' as const, name: 'write-fails' };
    const writes = holdBlobWrites(h.store);
    try {
      const download = h.get('store', 'write-fails/-/write-fails-1.0.0.tgz');
      await writes.held;
      await vi.waitFor(() => expect(writes.updates).toContainEqual({ key, renameAfter: true }), { timeout: 10_000 });
      writes.fail();
      expect((await download).status).toBe(507);
      expect(await h.store.index.getPackage(key)).toBeUndefined();
    } finally {
      writes.restore();
    }
  });
});
