/**
 * Adding files to a version that already exists, for formats whose versions hold several
 * (a PyPI release gets its wheel and its sdist in separate uploads). Assets are immutable: the
 * same name with identical bytes changes nothing, with other bytes it is a Conflict. The change
 * is one locked write that gives the version a new revision.
 */
import type { AssetRecord, PackageKey, VersionRecord } from '../core/model.js';
import { withRevision } from '../core/revision.js';
import { AccessDeniedError, ConflictError } from '../errors.js';
import type { Store } from '../store/store.js';
import { versionNotFound } from './package-versions.js';
import { checkGroupAllowsEntry, retentionWay } from './package-groups-enforcement.js';
import { checkDependencyCount, checkPublishAllowed, packageDisplayName } from './publish.js';

export interface AddAssetsInput {
  version: string;
  assets: AssetRecord[];
  /** Replaces the version's format metadata (e.g. to describe the new files) in the same write. */
  updateFormatMetadata?: (current: Record<string, unknown> | undefined) => Record<string, unknown> | undefined;
  /** Whether other bytes may replace an asset of the same name (Maven SNAPSHOTs); by default that is a Conflict. */
  mayReplace?: (version: VersionRecord) => boolean;
  /** Changes the rest of the version (e.g. dependencies read from a new POM) in the same write. */
  updateVersion?: (version: Omit<VersionRecord, 'revision'>) => Omit<VersionRecord, 'revision'>;
}

export interface AddAssetsOptions {
  /**
   * 'publish': a client uploads the files here (the package's publish control applies);
   * 'retain': the files were found upstream (its upstream control applies).
   */
  mode: 'publish' | 'retain';
  /** The new files are still being made durable: the index takes its place only once this settles well (see retainVersion). */
  durable?: Promise<unknown>;
}

export interface AddAssetsResult {
  version: VersionRecord;
  /** Names of the assets that were not there before; empty when everything was already there. */
  added: string[];
}

export async function addAssetsToVersion(store: Store, key: PackageKey, input: AddAssetsInput, options: AddAssetsOptions): Promise<AddAssetsResult> {
  await checkGroupForNewFiles(store, key, input, options);
  let result: AddAssetsResult | undefined;
  await store.index.updatePackage(
    key,
    (current) => {
      if (options.mode === 'publish') checkPublishAllowed(key, current);
      else if (current?.originConfiguration.restrictions.upstream === 'BLOCK') throw upstreamBlocked(key);
      const existing = current && Object.hasOwn(current.versions, input.version) ? current.versions[input.version] : undefined;
      if (!current || !existing) throw versionNotFound(key, input.version);
      checkVersionTakesAssets(key, existing);
      const replaceable = input.mayReplace?.(existing) ?? false;
      const added = input.assets.filter((asset) => !hasIdenticalAsset(key, existing, asset, replaceable));
      if (added.length === 0) {
        result = { version: existing, added: [] };
        return current;
      }
      const next = structuredClone(current);
      const kept = existing.assets.filter((asset) => !added.some((replacement) => replacement.name === asset.name));
      const merged = {
        ...structuredClone(existing),
        assets: [...kept, ...added],
        formatMetadata: input.updateFormatMetadata ? input.updateFormatMetadata(existing.formatMetadata) : existing.formatMetadata,
      };
      const version = withRevision(input.updateVersion ? input.updateVersion(merged) : merged);
      checkDependencyCount(key, version.version, version.dependencies?.length ?? 0, options.mode === 'publish' ? 'publish' : 'upstream');
      next.versions[input.version] = version;
      result = { version, added: added.map((asset) => asset.name) };
      return next;
    },
    options.durable ? { renameAfter: options.durable } : undefined,
  );
  return result as AddAssetsResult;
}

/** New files are new content entering the repository: the package's group must let them in the way they come. */
async function checkGroupForNewFiles(store: Store, key: PackageKey, input: AddAssetsInput, options: AddAssetsOptions): Promise<void> {
  const version = (await store.index.getPackage(key))?.versions;
  const existing = version && Object.hasOwn(version, input.version) ? version[input.version] : undefined;
  if (!existing || input.assets.every((asset) => existing.assets.some((kept) => kept.name === asset.name))) return;
  await checkGroupAllowsEntry(store, key, options.mode === 'publish' ? 'PUBLISH' : await retentionWay(store, key, existing.origin));
}

/** Archived and Disposed versions are closed: a Conflict, so callers can check before storing bytes. */
export function checkVersionTakesAssets(key: PackageKey, version: VersionRecord): void {
  if (version.status === 'Archived' || version.status === 'Disposed') {
    throw new ConflictError(`${packageDisplayName(key)} version ${version.version} is ${version.status}; no files can be added to it.`, {
      resourceType: 'package-version',
      resourceId: `${packageDisplayName(key)}@${version.version}`,
    });
  }
}

/** True when the version already has this asset; a different asset under the name is a Conflict unless replaceable. */
function hasIdenticalAsset(key: PackageKey, version: VersionRecord, asset: AssetRecord, replaceable: boolean): boolean {
  const same = version.assets.find((candidate) => candidate.name === asset.name);
  if (!same) return false;
  if (same.hashes['SHA-256'] === asset.hashes['SHA-256']) return true;
  if (replaceable) return false;
  throw new ConflictError(`File already exists: ${asset.name} is already part of ${packageDisplayName(key)} ${version.version} with different content.`, {
    hint: 'Published files never change; give the new build a new file name or version.',
    resourceType: 'asset',
    resourceId: asset.name,
  });
}

function upstreamBlocked(key: PackageKey): AccessDeniedError {
  return new AccessDeniedError(
    `Versions of ${packageDisplayName(key)} from upstream are blocked in ${key.repository} by its origin controls (upstream=BLOCK).`,
    {
      resourceType: 'package',
      resourceId: packageDisplayName(key),
    },
  );
}
