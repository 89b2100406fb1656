/**
 * What a domain's assetSizeBytes is counted from: each package's assets as [sha256, size]
 * pairs, and the bytes of the distinct blobs among them. Shared by the server's running count
 * (domain-asset-size.ts) and a one-shot command's kept file (domain-asset-size-file.ts).
 */
import type { PackageRecord } from '../core/model.js';

export type AssetPairs = Array<[string, number]>;

export function assetPairs(record: PackageRecord): AssetPairs {
  const pairs: AssetPairs = [];
  for (const version of Object.values(record.versions)) for (const asset of version.assets) pairs.push([asset.hashes['SHA-256'], asset.size]);
  return pairs;
}

/** Each blob counts once, however many packages and repositories reference it. */
export function distinctBytes(lists: Iterable<AssetPairs>): number {
  const sizes = new Map<string, number>();
  for (const pairs of lists) for (const [sha256, size] of pairs) sizes.set(sha256, size);
  let sum = 0;
  for (const size of sizes.values()) sum += size;
  return sum;
}
