/** Builds asset records from the digests the blob store computed. */
import type { AssetRecord } from './model.js';
import { validateAssetName } from './names.js';

export interface Digests {
  sha256: string;
  sha1: string;
  sha512: string;
  md5: string;
  size: number;
}

export function assetRecord(name: string, digests: Digests): AssetRecord {
  return {
    name: validateAssetName(name),
    size: digests.size,
    hashes: { MD5: digests.md5, 'SHA-1': digests.sha1, 'SHA-256': digests.sha256, 'SHA-512': digests.sha512 },
  };
}
