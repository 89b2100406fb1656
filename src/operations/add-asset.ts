/**
 * One file into a version, for formats whose clients send or fetch a version file by file
 * (Maven's jar, pom and sources are separate PUTs and GETs). The first file creates the version
 * through the shared paths (publishPackageVersion, retainVersion), so origin controls and
 * package defaults behave as everywhere else; later files join it through addAssetsToVersion.
 * An identical file again is a no-op; other bytes under the same name are a Conflict unless the
 * caller allows replacing them.
 */
import type { AssetRecord, PackageKey, VersionOrigin, VersionRecord } from '../core/model.js';
import { withRevision } from '../core/revision.js';
import { ConflictError } from '../errors.js';
import type { Store } from '../store/store.js';
import { addAssetsToVersion } from './add-version-assets.js';
import { retainVersion } from './ingest.js';
import { publishPackageVersion, type NewVersion } from './publish.js';

/** A version record before its revision is computed, as a format's `update` sees it. */
export type VersionDraft = Omit<VersionRecord, 'revision'>;

interface FileAddition {
  version: string;
  asset: AssetRecord;
  /** Fills in metadata (e.g. from a POM) when the version is created or the file added. */
  update?: (draft: VersionDraft) => VersionDraft;
}

export interface PublishedAsset extends FileAddition {
  /** Status of a version this file creates (Maven: Unfinished until its metadata arrives). */
  status?: NewVersion['status'];
  /** Whether other bytes may replace a stored file of the same name. */
  mayReplace?: (version: VersionRecord) => boolean;
}

export interface RetainedAsset extends FileAddition {
  origin: VersionOrigin;
}

/** A client uploads one file here: the package's publish control applies; a new version is INTERNAL. */
export async function publishAsset(store: Store, key: PackageKey, addition: PublishedAsset): Promise<VersionRecord> {
  if (!(await hasVersion(store, key, addition.version))) {
    const base: VersionDraft = {
      version: addition.version,
      status: addition.status ?? 'Published',
      publishedTime: new Date().toISOString(),
      origin: { domainEntryPoint: { repositoryName: key.repository }, originType: 'INTERNAL' },
      assets: [addition.asset],
    };
    try {
      return await publishPackageVersion(store, key, addition.update ? addition.update(base) : base);
    } catch (error) {
      // Another file of this version created it a moment ago (clients upload in parallel).
      if (!(error instanceof ConflictError) || !(await hasVersion(store, key, addition.version))) throw error;
    }
  }
  const { version } = await addAssetsToVersion(
    store,
    key,
    { version: addition.version, assets: [addition.asset], mayReplace: addition.mayReplace, updateVersion: addition.update },
    { mode: 'publish' },
  );
  return version;
}

/**
 * A file found through an upstream repository or external connection is kept here: the
 * package's upstream control applies; the version is Published with the origin given.
 * `durable`: the file's blob is still being written; the index names it only once it is durable.
 */
export async function retainAsset(store: Store, key: PackageKey, addition: RetainedAsset, durable?: Promise<unknown>): Promise<VersionRecord> {
  if (!(await hasVersion(store, key, addition.version))) {
    const draft: VersionDraft = {
      version: addition.version,
      status: 'Published',
      publishedTime: new Date().toISOString(),
      origin: addition.origin,
      assets: [addition.asset],
    };
    const kept = await retainVersion(store, key, withRevision(addition.update ? addition.update(draft) : draft), undefined, durable);
    if (kept.assets.some((asset) => asset.name === addition.asset.name)) return kept;
  }
  // A file an upstream sends later never replaces one kept before.
  const { version } = await addAssetsToVersion(
    store,
    key,
    { version: addition.version, assets: [addition.asset], mayReplace: () => false, updateVersion: addition.update },
    { mode: 'retain', durable },
  ).catch(async (error: unknown) => {
    if (!(error instanceof ConflictError)) throw error;
    return { version: (await store.index.getPackage(key))?.versions[addition.version] as VersionRecord };
  });
  return version;
}

async function hasVersion(store: Store, key: PackageKey, version: string): Promise<boolean> {
  const record = await store.index.getPackage(key);
  return !!record && Object.hasOwn(record.versions, version);
}
