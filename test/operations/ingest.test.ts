import { describe, expect, it } from 'vitest';
import type { PackageKey, VersionRecord } from '../../src/core/model.js';
import { AccessDeniedError } from '../../src/errors.js';
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

  it('keeps a version with the defaults of a package first ingested, once, keeping an upstream Unlisted', async () => {
    const store = await storeWithRepository();
    await retainVersion(store, key, upstreamVersion('1.0.0', 'Published'));
    await retainVersion(store, key, upstreamVersion('1.0.0', 'Published'));
    await retainVersion(store, key, upstreamVersion('0.9.0', 'Unlisted'));
    const record = await store.index.getPackage(key);
    expect(record?.originConfiguration.restrictions).toEqual({ publish: 'BLOCK', upstream: 'ALLOW' });
    expect(Object.keys(record?.versions ?? {}).sort()).toEqual(['0.9.0', '1.0.0']);
    expect(record?.versions['0.9.0'].status).toBe('Unlisted');
    expect(record?.versions['1.0.0'].origin.originType).toBe('EXTERNAL');
  });

  it('refuses when the package blocks upstream versions in the repository', async () => {
    const store = await storeWithRepository();
    await putPackageOriginConfiguration(store, key, { publish: 'ALLOW', upstream: 'BLOCK' });
    await expect(retainVersion(store, key, upstreamVersion('1.0.0', 'Published'))).rejects.toThrow(AccessDeniedError);
    expect(Object.keys((await store.index.getPackage(key))?.versions ?? {})).toEqual([]);
  });
});
