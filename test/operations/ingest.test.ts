import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PackageKey, VersionRecord } from '../../src/core/model.js';
import { AccessDeniedError, UpstreamError } from '../../src/errors.js';
import { retainVersion } from '../../src/operations/ingest.js';
import { putPackageOriginConfiguration } from '../../src/operations/origin-configuration.js';
import { createDomain } from '../../src/operations/domains.js';
import { createRepository } from '../../src/operations/repositories.js';
import { openStore } from '../../src/store/store.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const key: PackageKey = { domain: 'acme', repository: 'app', format: 'npm', name: 'lib' };

function upstreamVersion(version: string, status: VersionRecord['status']): VersionRecord {
  return {
    version,
    status,
    revision: 'r',
    publishedTime: '2026-01-01T00:00:00.000Z',
    origin: { domainEntryPoint: { externalConnectionName: 'public:npmjs' }, originType: 'EXTERNAL' },
    assets: [{ name: `lib-${version}.tgz`, size: 1, hashes: { 'SHA-256': 'a'.repeat(64) } }],
  };
}

async function storeWithRepository() {
  const store = openStore(makeTempDir('artifact-cli-ingest-'));
  await createDomain(store, { domain: 'acme' });
  await createRepository(store, { domain: 'acme', repository: 'app' });
  return store;
}

describe('retainVersion', () => {
  it('takes the lock while the assets are still being stored, and writes nothing when storing them fails', async () => {
    const store = await storeWithRepository();
    let finish!: (assets: VersionRecord['assets']) => void;
    const pending = new Promise<VersionRecord['assets']>((resolve) => (finish = resolve));
    const retaining = retainVersion(store, key, { ...upstreamVersion('1.0.0', 'Published'), assets: [] }, pending);
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Not written before its assets are in place.
    expect(await store.index.getPackage(key)).toBeUndefined();
    const stored = [{ name: 'lib-1.0.0.tgz', size: 7, hashes: { 'SHA-256': 'b'.repeat(64) } }];
    finish(stored);
    expect((await retaining).assets).toEqual(stored);
    expect((await store.index.getPackage(key))?.versions['1.0.0'].assets).toEqual(stored);

    const failed = retainVersion(store, key, upstreamVersion('2.0.0', 'Published'), Promise.reject(new Error('digest mismatch')));
    await expect(failed).rejects.toThrow('digest mismatch');
    expect(Object.keys((await store.index.getPackage(key))!.versions)).toEqual(['1.0.0']);
  });

  it('with the assets still being made durable, names them in the index only once they are, and not at all when that fails', async () => {
    const store = await storeWithRepository();
    let durable!: () => void;
    const blobWritten = new Promise<void>((resolve) => (durable = resolve));
    const retaining = retainVersion(store, key, upstreamVersion('1.0.0', 'Published'), undefined, blobWritten);
    // The new index is written and flushed meanwhile, in a temp file: the index on disk still
    // names nothing, whatever a crash now would leave.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await store.index.getPackage(key)).toBeUndefined();
    durable();
    expect((await retaining).version).toBe('1.0.0');
    expect(Object.keys((await store.index.getPackage(key))!.versions)).toEqual(['1.0.0']);

    const failed = retainVersion(store, key, upstreamVersion('2.0.0', 'Published'), undefined, Promise.reject(new Error('disk full')));
    await expect(failed).rejects.toThrow('disk full');
    expect(Object.keys((await store.index.getPackage(key))!.versions)).toEqual(['1.0.0']);
    // Nothing of the refused index is left behind in tmp/ or beside the index.
    const leftovers = (await readdir(path.join(store.root, 'tmp'))).filter((name) => name.endsWith('.tmp') || name.startsWith('pooled-'));
    expect(leftovers).toEqual([]);
  });

  it('keeps a version with the defaults of a package first ingested, once, keeping an upstream Unlisted', async () => {
    const store = await storeWithRepository();
    await retainVersion(store, key, upstreamVersion('1.0.0', 'Published'));
    await retainVersion(store, key, upstreamVersion('1.0.0', 'Published'));
    await retainVersion(store, key, upstreamVersion('0.9.0', 'Unlisted'));
    const record = await store.index.getPackage(key);
    expect(record?.originConfiguration.restrictions).toEqual({ publish: 'BLOCK', upstream: 'ALLOW' });
    expect(Object.keys(record?.versions ?? {}).sort()).toEqual(['0.9.0', '1.0.0']);
    expect(record?.versions['0.9.0'].status).toBe('Unlisted');
    expect(record?.versions['1.0.0'].status).toBe('Published');
    // Any other upstream status that could be served is kept as Published.
    await retainVersion(store, key, upstreamVersion('0.8.0', 'Archived'));
    expect((await store.index.getPackage(key))?.versions['0.8.0'].status).toBe('Published');
    expect(record?.versions['1.0.0'].origin.originType).toBe('EXTERNAL');
  });

  it('refuses when the package blocks upstream versions in the repository, saying how to allow them', async () => {
    const store = await storeWithRepository();
    await putPackageOriginConfiguration(store, key, { publish: 'ALLOW', upstream: 'BLOCK' });
    const refused = await retainVersion(store, key, upstreamVersion('1.0.0', 'Published')).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AccessDeniedError);
    expect(refused).toMatchObject({
      message: 'Versions of lib from upstream are blocked in app by its origin controls (upstream=BLOCK).',
      hint: 'Allow them with `artifact-cli put-package-origin-configuration --domain acme --repository app --format npm --package lib --restrictions publish=ALLOW,upstream=ALLOW` if this is intended.',
      resourceType: 'package',
      resourceId: 'lib',
    });
    expect(Object.keys((await store.index.getPackage(key))?.versions ?? {})).toEqual([]);
  });

  it('keeps the version first retained when the same version comes again with other content', async () => {
    const store = await storeWithRepository();
    const first = await retainVersion(store, key, upstreamVersion('1.0.0', 'Published'));
    const other = { ...upstreamVersion('1.0.0', 'Unlisted'), assets: [{ name: 'lib-1.0.0.tgz', size: 9, hashes: { 'SHA-256': 'c'.repeat(64) } }] };
    const again = await retainVersion(store, key, other, Promise.resolve(other.assets));
    expect(again).toEqual(first);
    expect((await store.index.getPackage(key))?.versions['1.0.0']).toEqual(first);
    expect(first.assets[0].hashes['SHA-256']).toBe('a'.repeat(64));
  });

  it("refuses an upstream's version with too many dependencies as the upstream's fault (502), storing nothing", async () => {
    const store = await storeWithRepository();
    const dependencies = Array.from({ length: 10_001 }, (_, i) => ({ package: `dep-${i}` }));
    const refused = await retainVersion(store, key, { ...upstreamVersion('1.0.0', 'Published'), dependencies }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(UpstreamError);
    expect((refused as UpstreamError).message).toBe(
      "The upstream's lib 1.0.0 declares 10001 dependencies; a version may declare at most 10000, so it is not taken into app.",
    );
    expect(await store.index.getPackage(key)).toBeUndefined();
  });
});
