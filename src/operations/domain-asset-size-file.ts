/**
 * assetSizeBytes for a one-shot command (`describe-domain`), which has no memory between runs:
 * the last answer is kept in domains/<domain>/asset-sizes.json with what it was built from.
 * While the change marker (<root>/changes, which grows with every index write of any process)
 * is what it was, the kept total is the answer, and no package is read. Otherwise each
 * package's index file is stat'ed and only those whose inode, size or modification time
 * differ from the kept ones are read again. Index files are replaced by rename, never written
 * in place, so a changed package has a new inode. See docs/storage.md.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { CHANGE_MARKER_FILE } from '../store/change-marker.js';
import { readJsonFile, writeCacheFileAtomic } from '../store/json-file.js';
import type { Store } from '../store/store.js';
import { assetPairs, distinctBytes, type AssetPairs } from './asset-pairs.js';

export const ASSET_SIZES_FILE = 'asset-sizes.json';
const FORMAT_VERSION = 1;

/** One package in one repository: its index file's signature and its assets as [sha256, size]. */
interface KeptPackage {
  signature: string;
  assets: AssetPairs;
}

interface AssetSizesFile {
  version: number;
  marker: string;
  repositories: string[];
  assetSizeBytes: number;
  /** By repository, format, namespace and name joined with newlines. */
  packages: Record<string, KeptPackage>;
}

export async function keptDomainAssetSizeBytes(store: Store, domain: string, repositories: string[]): Promise<number> {
  const file = path.join(store.root, 'domains', domain, ASSET_SIZES_FILE);
  // Taken before anything is read: a write landing meanwhile changes it, and the next run looks again.
  const marker = signatureOf(path.join(store.root, CHANGE_MARKER_FILE));
  const kept = await readKept(file);
  if (kept && marker !== undefined && kept.marker === marker && sameList(kept.repositories, repositories)) return kept.assetSizeBytes;

  const packages: Record<string, KeptPackage> = {};
  for (const repository of repositories) {
    for (const ref of await store.index.listPackages(domain, repository)) {
      const key = { domain, repository, ...ref };
      const id = `${repository}\n${ref.format}\n${ref.namespace ?? ''}\n${ref.name}`;
      // The signature before the read: a file replaced in between is read again next time.
      const signature = signatureOf(store.index.packageLocation(key));
      if (signature === undefined) continue;
      const previous = kept?.packages[id];
      if (previous?.signature === signature) {
        packages[id] = previous;
        continue;
      }
      const record = await store.index.getPackage(key);
      if (!record) continue;
      packages[id] = { signature, assets: assetPairs(record) };
    }
  }
  const assetSizeBytes = distinctBytes(Object.values(packages).map((kept) => kept.assets));
  if (marker !== undefined) {
    // A cache: a root this process may not write to still gets its answer.
    await writeCacheFileAtomic(file, { version: FORMAT_VERSION, marker, repositories, assetSizeBytes, packages } satisfies AssetSizesFile).catch(
      () => undefined,
    );
  }
  return assetSizeBytes;
}

/** Inode, size and modification time, or undefined when the file is missing. */
function signatureOf(file: string): string | undefined {
  // Not { bigint: true }: building those stats cost more than the stat itself, 10,000 times over.
  const stats = statSync(file, { throwIfNoEntry: false });
  return stats && `${stats.ino}:${stats.size}:${stats.mtimeMs}`;
}

async function readKept(file: string): Promise<AssetSizesFile | undefined> {
  const kept = await readJsonFile<AssetSizesFile>(file).catch(() => undefined);
  return kept?.version === FORMAT_VERSION && typeof kept.packages === 'object' && kept.packages !== null ? kept : undefined;
}

function sameList(a: string[], b: string[]): boolean {
  return Array.isArray(a) && a.length === b.length && a.every((value, index) => value === b[index]);
}
