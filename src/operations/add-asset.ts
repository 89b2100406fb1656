/**
 * Retaining one file found through an external connection or upstream into a repository, for
 * formats that fetch file by file (Maven). The version is created on its first file (origin as
 * given, Published) and grows with each later one; an identical file is a no-op, a different
 * file under the same name is a Conflict. Packages first seen this way get INGESTED_FIRST
 * controls, and a package that blocks upstream versions here refuses the file.
 */
import type { AssetRecord, PackageKey, VersionOrigin, VersionRecord } from '../core/model.js';
import { withRevision } from '../core/revision.js';
import type { Store } from '../store/store.js';
import { addAssetsToVersion } from './add-version-assets.js';
import { retainVersion } from './ingest.js';

/** A version record before its revision is computed, as a format's `update` sees it. */
export type VersionDraft = Omit<VersionRecord, 'revision'>;

export interface RetainedAsset {
  version: string;
  asset: AssetRecord;
  origin: VersionOrigin;
  /** Fills in format metadata (e.g. from a POM) when the version is created or the file added. */
  update?: (draft: VersionDraft) => VersionDraft;
}

export async function retainAsset(store: Store, key: PackageKey, addition: RetainedAsset): Promise<VersionRecord> {
  const record = await store.index.getPackage(key);
  if (!record || !Object.hasOwn(record.versions, addition.version)) {
    const draft: VersionDraft = { version: addition.version, status: 'Published', publishedTime: new Date().toISOString(), origin: addition.origin, assets: [addition.asset] };
    const kept = await retainVersion(store, key, withRevision(addition.update ? addition.update(draft) : draft));
    if (kept.assets.some((asset) => asset.name === addition.asset.name)) return kept;
  }
  const result = await addAssetsToVersion(
    store,
    key,
    {
      version: addition.version,
      assets: [addition.asset],
      updateFormatMetadata: addition.update
        ? (current) => (addition.update as (draft: VersionDraft) => VersionDraft)({ ...(record?.versions[addition.version] as VersionDraft), formatMetadata: current }).formatMetadata
        : undefined,
    },
    { mode: 'retain' },
  );
  return result.version;
}
