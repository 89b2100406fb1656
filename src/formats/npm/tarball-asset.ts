/**
 * CodeArtifact names the one asset of an npm version `package.tgz` (docs/differences.md).
 * Stores written before this recorded the tarball's file name (`<name>-<version>.tgz`); those
 * records are read as they are and shown under the new name, so nothing has to be migrated.
 */
import type { AssetRecord, VersionRecord } from '../../core/model.js';

export const NPM_ASSET_NAME = 'package.tgz';

/** The tarball of an npm version: `package.tgz`, else the one `.tgz` an older store recorded. */
export function npmTarballAsset(assets: readonly AssetRecord[]): AssetRecord | undefined {
  return assets.find((asset) => asset.name === NPM_ASSET_NAME) ?? assets.find((asset) => asset.name.endsWith('.tgz'));
}

/** The assets as the API shows them: a tarball recorded under its file name is `package.tgz`. */
export function presentedNpmAssets(assets: readonly AssetRecord[]): AssetRecord[] {
  const tarball = npmTarballAsset(assets);
  return assets.map((asset) => (asset === tarball ? { ...asset, name: NPM_ASSET_NAME } : asset));
}

/**
 * The asset a request names: both `package.tgz` and the tarball's file name find the tarball,
 * whichever of the two the store recorded, so scripts written for either keep working.
 */
export function findNpmAsset(name: string, version: Pick<VersionRecord, 'version' | 'assets'>, requested: string): AssetRecord | undefined {
  const exact = version.assets.find((asset) => asset.name === requested);
  if (exact) return exact;
  // The file name npm gives the tarball: the unscoped name, a dash, the version.
  return requested === NPM_ASSET_NAME || requested === `${name}-${version.version}.tgz` ? npmTarballAsset(version.assets) : undefined;
}

/** A browser saves the tarball under the name npm gives it rather than as `package.tgz`. */
export function npmDownloadFileName(name: string, version: string, asset: AssetRecord): string {
  return asset.name === NPM_ASSET_NAME ? `${name}-${version}.tgz` : asset.name;
}
