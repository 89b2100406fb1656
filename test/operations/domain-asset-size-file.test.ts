/**
 * describe-domain in a one-shot process keeps its last assetSizeBytes on disk: an unchanged
 * root reads no package, a write makes it read again only the packages whose index file was
 * replaced, and whatever the kept file says (missing, broken, stale) the answer is a full count's.
 */
import { createHash } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createDomain, deleteDomain, describeDomain } from '../../src/operations/domains.js';
import { ASSET_SIZES_FILE } from '../../src/operations/domain-asset-size-file.js';
import { publishGenericAsset } from '../../src/operations/generic-publish.js';
import { createRepository, deleteRepository } from '../../src/operations/repositories.js';
import { deletePackageVersions } from '../../src/operations/version-status.js';
import { openStore, type Store } from '../../src/store/store.js';
import { countEveryPackage } from '../helpers/asset-size-count.js';
import { makeTempDir } from '../helpers/temp-dir.js';

function publish(store: Store, repository: string, name: string, version: string, content: Buffer) {
  const assetSha256 = createHash('sha256').update(content).digest('hex');
  return publishGenericAsset(store, { domain: 'acme', repository, namespace: 'ns', package: name, version, assetName: 'file.bin', assetSha256, content });
}

/** A fresh one-shot process's answer, with the packages it read. */
async function oneShot(root: string): Promise<{ size: number; read: string[] }> {
  const store = openStore(root);
  const reads = vi.spyOn(store.index, 'getPackage');
  const size = (await describeDomain(store, 'acme')).domain.assetSizeBytes;
  return { size, read: reads.mock.calls.map(([key]) => `${key.repository}/${key.name}`).sort() };
}

async function seeded(): Promise<string> {
  const root = makeTempDir('artifact-cli-domain-size-file-');
  const store = openStore(root);
  await createDomain(store, { domain: 'acme' });
  await createRepository(store, { domain: 'acme', repository: 'main' });
  await createRepository(store, { domain: 'acme', repository: 'copies' });
  for (let i = 0; i < 10; i++) await publish(store, 'main', `p${i}`, '1', Buffer.alloc(100 + i, i));
  // The same bytes in another repository count once.
  await publish(store, 'copies', 'p0', '1', Buffer.alloc(100, 0));
  return root;
}

describe('assetSizeBytes in a one-shot process', () => {
  it('reads every package once, then none while nothing changed, then only the changed ones', async () => {
    const root = await seeded();
    const first = await oneShot(root);
    expect(first.size).toBe(await countEveryPackage(openStore(root), 'acme'));
    expect(first.read).toHaveLength(11);
    expect(existsSync(path.join(root, 'domains', 'acme', ASSET_SIZES_FILE))).toBe(true);

    expect(await oneShot(root)).toEqual({ size: first.size, read: [] });

    await publish(openStore(root), 'main', 'p3', '2', Buffer.alloc(7, 99));
    await deletePackageVersions(openStore(root), { domain: 'acme', repository: 'main', format: 'generic', namespace: 'ns', name: 'p5' }, { versions: ['1'] });
    const after = await oneShot(root);
    expect(after.size).toBe(await countEveryPackage(openStore(root), 'acme'));
    expect(after.size).toBe(first.size + 7 - 105);
    expect(after.read).toEqual(['main/p3', 'main/p5']);
  });

  it('answers a full count when the kept file is broken or says something else', async () => {
    const root = await seeded();
    const expected = await countEveryPackage(openStore(root), 'acme');
    const kept = path.join(root, 'domains', 'acme', ASSET_SIZES_FILE);
    writeFileSync(kept, '{ not json');
    expect((await oneShot(root)).size).toBe(expected);
    // A kept total from another state of the root (the marker differs) is not believed.
    writeFileSync(kept, JSON.stringify({ version: 1, marker: '1:2:3', repositories: ['copies', 'main'], assetSizeBytes: 5, packages: {} }));
    expect((await oneShot(root)).size).toBe(expected);
  });

  it('follows a deleted repository, and a domain created again under the same name starts at zero', async () => {
    const root = await seeded();
    await oneShot(root);
    await deleteRepository(openStore(root), 'acme', 'main');
    expect((await oneShot(root)).size).toBe(100);
    await deleteRepository(openStore(root), 'acme', 'copies');
    await deleteDomain(openStore(root), 'acme');
    await createDomain(openStore(root), { domain: 'acme' });
    expect((await oneShot(root)).size).toBe(0);
  });
});
