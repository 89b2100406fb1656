import { describe, expect, it } from 'vitest';
import { assetRecord } from '../../src/core/assets.js';
import type { PackageKey } from '../../src/core/model.js';
import { ConflictError, AccessDeniedError } from '../../src/errors.js';
import { publishAsset, retainAsset } from '../../src/operations/add-asset.js';
import { createDomain } from '../../src/operations/domains.js';
import { createRepository } from '../../src/operations/repositories.js';
import { openStore } from '../../src/store/store.js';
import { makeTempDir } from '../helpers/temp-dir.js';

async function setup() {
  const store = openStore(makeTempDir('artifact-cli-add-asset-'));
  await createDomain(store, { domain: 'acme' });
  await createRepository(store, { domain: 'acme', repository: 'main' });
  const key: PackageKey = { domain: 'acme', repository: 'main', format: 'maven', namespace: 'com.acme', name: 'util' };
  const asset = async (name: string, text: string) => assetRecord(name, await store.blobs.put(Buffer.from(text)));
  return { store, key, asset };
}

describe('publishAsset', () => {
  it('creates the version with its first file and adds later ones in parallel without losing any', async () => {
    const { store, key, asset } = await setup();
    const files = await Promise.all(['a.jar', 'a.pom', 'a-sources.jar', 'a-javadoc.jar'].map((name) => asset(name, name)));
    await Promise.all(files.map((file) => publishAsset(store, key, { version: '1.0', asset: file, status: 'Unfinished' })));
    const record = await store.index.getPackage(key);
    expect(record?.versions['1.0'].status).toBe('Unfinished');
    expect(record?.versions['1.0'].origin.originType).toBe('INTERNAL');
    expect(record?.versions['1.0'].assets.map((file) => file.name).sort()).toEqual(['a-javadoc.jar', 'a-sources.jar', 'a.jar', 'a.pom']);
    expect(record?.originConfiguration.restrictions).toEqual({ publish: 'ALLOW', upstream: 'BLOCK' });
  });

  it('is idempotent for identical bytes, refuses other bytes, and replaces them only when allowed', async () => {
    const { store, key, asset } = await setup();
    await publishAsset(store, key, { version: '1.0', asset: await asset('a.jar', 'one') });
    const again = await publishAsset(store, key, { version: '1.0', asset: await asset('a.jar', 'one') });
    expect(again.assets).toHaveLength(1);
    await expect(publishAsset(store, key, { version: '1.0', asset: await asset('a.jar', 'two') })).rejects.toBeInstanceOf(ConflictError);
    const replaced = await publishAsset(store, key, { version: '1.0', asset: await asset('a.jar', 'two'), mayReplace: () => true });
    expect(replaced.assets).toHaveLength(1);
    expect(replaced.assets[0].size).toBe(3);
  });
});

describe('retainAsset', () => {
  it('keeps upstream files as a Published version and never replaces one already kept', async () => {
    const { store, key, asset } = await setup();
    const origin = { domainEntryPoint: { externalConnectionName: 'public:maven-central' }, originType: 'EXTERNAL' as const };
    await retainAsset(store, key, { version: '2.0', asset: await asset('b.pom', 'pom'), origin });
    await retainAsset(store, key, { version: '2.0', asset: await asset('b.jar', 'jar'), origin });
    const kept = await retainAsset(store, key, { version: '2.0', asset: await asset('b.jar', 'changed upstream'), origin });
    expect(kept.status).toBe('Published');
    expect(kept.assets.find((file) => file.name === 'b.jar')?.size).toBe(3);
    expect((await store.index.getPackage(key))?.originConfiguration.restrictions).toEqual({ publish: 'BLOCK', upstream: 'ALLOW' });
  });

  it('refuses files of a package whose origin controls block upstream versions', async () => {
    const { store, key, asset } = await setup();
    await publishAsset(store, key, { version: '1.0', asset: await asset('a.jar', 'mine') });
    const origin = { domainEntryPoint: { externalConnectionName: 'public:maven-central' }, originType: 'EXTERNAL' as const };
    await expect(retainAsset(store, key, { version: '9.9', asset: await asset('a.jar', 'theirs'), origin })).rejects.toBeInstanceOf(AccessDeniedError);
  });
});
