/**
 * POST of the legacy upload API. The file is staged and checked first (upload-checks.ts); only a
 * file that passes reaches the blob store and the index, so a refused upload leaves nothing
 * behind. The first file of a version publishes the version; later files (the sdist after the
 * wheel) are added to it, and re-sending a file with identical bytes succeeds without change.
 */
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { assetRecord } from '../../core/assets.js';
import type { AssetRecord, PackageKey } from '../../core/model.js';
import { ConflictError } from '../../errors.js';
import { addAssetsToVersion, checkVersionTakesAssets } from '../../operations/add-version-assets.js';
import { withBlobLease } from '../../operations/blob-lease.js';
import { checkGroupAllowsEntry } from '../../operations/package-groups-enforcement.js';
import { checkDependencyCount, checkPublishAllowed, publishPackageVersion } from '../../operations/publish.js';
import type { RequestContext } from '../../server/route.js';
import type { Store } from '../../store/store.js';
import { sendUploadError, sendUploadOk } from './error-response.js';
import { checkUpload, type CheckedUpload } from './upload-checks.js';
import { readUploadForm } from './upload-form.js';
import { sameDistributionAs } from './distribution-identity.js';
import { distributionAssets, METADATA_SUFFIX, storedVersionKey, versionFromMetadata, withFileInfo, type FileInfo } from './version-files.js';

export async function handleUpload(context: RequestContext): Promise<void> {
  const { store, config } = context.deps;
  try {
    const form = await readUploadForm(context.req, { tempDir: path.join(store.root, 'tmp'), maxBytes: config.server.maxUploadBytes });
    try {
      const upload = await checkUpload(form);
      const outcome = await storeUpload(context, upload);
      sendUploadOk(context, outcome === 'unchanged' ? `${upload.file.fileName} was already uploaded with these bytes.` : `Uploaded ${upload.file.fileName}.`);
    } finally {
      if (form.file) await fs.rm(form.file.tempPath, { force: true });
    }
  } catch (error) {
    sendUploadError(context, error);
  }
}

async function storeUpload(context: RequestContext, upload: CheckedUpload): Promise<'published' | 'added' | 'unchanged'> {
  const { store, config } = context.deps;
  const key: PackageKey = { domain: context.domain, repository: context.repository.name, format: 'pypi', name: upload.project };
  const fileName = upload.file.fileName;
  const existing = await storedVersionKey(store, key, upload.version);
  // Refuse what the index would refuse before any bytes reach the blob store.
  const record = await store.index.getPackage(key);
  checkPublishAllowed(key, record);
  checkDependencyCount(key, upload.version, upload.contents.metadata.requiresDist.length);
  const existingVersion = existing === undefined ? undefined : record?.versions[existing];
  if (existingVersion) checkVersionTakesAssets(key, existingVersion);
  const sameName = existingVersion?.assets.find((asset) => asset.name === fileName);
  if (sameName?.hashes['SHA-256'] === upload.file.sha256) return 'unchanged';
  if (sameName) throw fileExists(fileName, upload.project);
  const twin =
    existingVersion &&
    sameDistributionAs(
      fileName,
      upload.project,
      distributionAssets(existingVersion).map((asset) => asset.name),
    );
  if (twin) throw sameDistribution(fileName, twin, upload.project);
  await checkGroupAllowsEntry(store, key, 'PUBLISH');
  return withBlobLease(store, async () => {
    const assets = await storeAssets(store, upload, config.server.maxUploadBytes);
    const info: FileInfo = { uploadTime: new Date().toISOString(), requiresPython: upload.contents.metadata.requiresPython };
    if (existing === undefined) {
      try {
        await publishPackageVersion(store, key, versionFromMetadata(upload.version, upload.contents.metadata, assets, fileName, info));
        return 'published';
      } catch (error) {
        // Another upload created this version a moment ago (a wheel and an sdist in parallel).
        if (!(error instanceof ConflictError) || (await storedVersionKey(store, key, upload.version)) === undefined) throw error;
      }
    }
    // The version another upload just created (the catch above saw it), under its stored spelling.
    const version = existing ?? (await storedVersionKey(store, key, upload.version)) ?? upload.version;
    const result = await addAssetsToVersion(
      store,
      key,
      { version, assets, updateFormatMetadata: (current) => withFileInfo(current, fileName, info) },
      { mode: 'publish' },
    );
    return result.added.length ? 'added' : 'unchanged';
  });
}

function fileExists(fileName: string, project: string): ConflictError {
  return new ConflictError(`File already exists: ${fileName} is already part of ${project} with different content.`, {
    hint: 'Published files never change; give the new build a new version (or a build tag).',
    resourceType: 'asset',
    resourceId: fileName,
  });
}

function sameDistribution(fileName: string, stored: string, project: string): ConflictError {
  return new ConflictError(
    `File already exists: ${fileName} is the same distribution as ${stored}, already part of ${project}; the names differ only in spelling.`,
    {
      hint: 'pip would take either for the other, so published files would change; give the new build a new version (or a build tag).',
      resourceType: 'asset',
      resourceId: fileName,
    },
  );
}

/** The file, and for a wheel its METADATA, moved into the blob store (checked against the staged digest). */
async function storeAssets(store: Store, upload: CheckedUpload, maxBytes: number): Promise<AssetRecord[]> {
  const digests = await store.blobs.put(createReadStream(upload.file.tempPath), { sha256: upload.file.sha256, maxBytes });
  const assets = [assetRecord(upload.file.fileName, digests)];
  const metadataBytes = upload.contents.metadataBytes;
  if (metadataBytes) assets.push(assetRecord(`${upload.file.fileName}${METADATA_SUFFIX}`, await store.blobs.put(metadataBytes)));
  return assets;
}
