/** A domain's assetSizeBytes counted the slow, obvious way: every package of every repository read. */
import type { Store } from '../../src/store/store.js';

export async function countEveryPackage(store: Store, domain: string): Promise<number> {
  const sizes = new Map<string, number>();
  for (const repository of await store.index.listRepositories(domain)) {
    for (const ref of await store.index.listPackages(domain, repository)) {
      const record = await store.index.getPackage({ domain, repository, ...ref });
      for (const version of Object.values(record?.versions ?? {})) for (const asset of version.assets) sizes.set(asset.hashes['SHA-256'], asset.size);
    }
  }
  return [...sizes.values()].reduce((sum, size) => sum + size, 0);
}
