/**
 * Keeping a file that was served from elsewhere, as CodeArtifact does: a file from an upstream
 * repository is retained in the repository asked; one from the public index is first fetched
 * (checked against the SHA-256 the index announced) and retained in the repository that holds
 * the connection and in the one asked. A version that is already kept there with other files
 * gets this file added (PyPI versions grow file by file).
 */
import { assetRecord } from '../../core/assets.js';
import type { AssetRecord, PackageKey, VersionRecord } from '../../core/model.js';
import { ValidationError } from '../../errors.js';
import { addAssetsToVersion } from '../../operations/add-version-assets.js';
import { withSharedBlobLease } from '../../operations/blob-lease.js';
import { bothRetained, retainVersion } from '../../operations/ingest.js';
import type { RequestContext } from '../../server/route.js';
import type { Store } from '../../store/store.js';
import { putInTwoSteps, type TwoStepPut } from '../../store/two-step-put.js';
import { fetchAssetChecked } from '../../upstream/fetch-asset.js';
import { readDistributionMetadata } from './distribution-metadata.js';
import type { ExternalFile, ExternalProject } from './external-index.js';
import { packageKey } from './project-sources.js';
import type { StoredFileSource } from './project-view.js';
import { parseDistributionFile } from './project-name.js';
import { fileInfosOf, METADATA_SUFFIX, storedVersionKey, versionFromMetadata, withFileInfo, type FileInfo } from './version-files.js';

/** Retains a file found in an upstream repository into the repository asked. */
export async function retainUpstreamFile(context: RequestContext, project: string, found: StoredFileSource): Promise<void> {
  const assets = found.metadataAsset ? [found.asset, found.metadataAsset] : [found.asset];
  const info = fileInfosOf(found.record)[found.asset.name] ?? { uploadTime: found.record.publishedTime };
  await keepFile(context.deps.store, packageKey(context, project), found.record, assets, info);
}

/** Fetches a file of the public index into the blob store and retains it; returns its SHA-256. */
export async function fetchExternalFile(context: RequestContext, project: string, external: ExternalProject, file: ExternalFile): Promise<string> {
  const { store, config, log } = context.deps;
  return withSharedBlobLease(store, async () => {
    const download = fetchAssetChecked(store, config, external.source, file.url, { sha256: file.sha256 }, undefined, context.live);
    let metadataPut: TwoStepPut | undefined;
    try {
      const { digests, bytes } = await download.checked;
      const assets: AssetRecord[] = [assetRecord(file.fileName, digests)];
      const kind = parseDistributionFile(file.fileName, project)?.kind;
      let contents;
      if (kind) {
        // A small file is read from memory while it is flushed; a larger one once it is in place.
        if (!bytes) await download.durable;
        try {
          contents = await readDistributionMetadata(bytes ?? store.blobs.pathOf(digests.sha256), file.fileName, kind, project);
        } catch (error) {
          // The index vouched for these bytes; serve them even if we cannot read their metadata.
          if (!(error instanceof ValidationError)) throw error;
          log(`warning: could not read the metadata of ${file.fileName} from the public index: ${error.message}`);
        }
      }
      const metadataBytes = contents?.metadataBytes;
      if (metadataBytes) {
        metadataPut = putInTwoSteps((hooks) => store.blobs.put(metadataBytes, {}, hooks));
        assets.push(assetRecord(`${file.fileName}${METADATA_SUFFIX}`, (await metadataPut.checked).digests));
      }
      // Both blobs are flushed while the indexes are written and flushed; they are renamed in place once the blobs are durable.
      // The file's own failure is the one reported when both fail (a broken download 502, a full store 507), whichever failed first.
      const durable = download.durable.then(() => metadataPut?.durable);
      durable.catch(() => undefined);
      const info: FileInfo = {
        uploadTime: file.uploadTime ?? new Date().toISOString(),
        requiresPython: file.requiresPython ?? contents?.metadata.requiresPython,
        yanked: file.yanked,
      };
      const version: VersionRecord = {
        ...versionFromMetadata(file.version, contents?.metadata, assets, file.fileName, info),
        status: 'Published',
        revision: '',
        publishedTime: new Date().toISOString(),
        origin: { domainEntryPoint: { externalConnectionName: external.source.connectionName }, originType: 'EXTERNAL' },
      };
      const connectionRepository = external.source.repository.name;
      // The asked repository's index is named in place once the holder's is.
      const inHolder = keepFile(store, packageKey(context, project, connectionRepository), version, assets, info, durable);
      const inAsked =
        connectionRepository === context.repository.name
          ? inHolder
          : keepFile(store, packageKey(context, project), version, assets, info, Promise.all([durable, inHolder]));
      await bothRetained(inHolder, inAsked);
      await durable;
      return digests.sha256;
    } finally {
      // Whatever failed, the blobs' writes are over before the lease may go.
      await Promise.all([download.durable.catch(() => undefined), metadataPut?.durable.catch(() => undefined)]);
    }
  });
}

/** `durable`: the files' blobs are still being written; the index names them only once they are durable. */
async function keepFile(
  store: Store,
  key: PackageKey,
  version: VersionRecord,
  assets: AssetRecord[],
  info: FileInfo,
  durable?: Promise<unknown>,
): Promise<void> {
  // Its failure surfaces where it is awaited below, or not at all when the file is already there.
  durable?.catch(() => undefined);
  let versionKey = await storedVersionKey(store, key, version.version);
  if (versionKey === undefined) {
    const kept = await retainVersion(store, key, version, undefined, durable);
    if (assets.every((asset) => kept.assets.some((candidate) => candidate.name === asset.name))) return;
    versionKey = kept.version;
  }
  const fileName = assets[0].name;
  await addAssetsToVersion(
    store,
    key,
    { version: versionKey, assets, updateFormatMetadata: (current) => withFileInfo(current, fileName, info) },
    { mode: 'retain', durable },
  );
}
