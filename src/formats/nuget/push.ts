/**
 * PackagePublish PUT: `dotnet nuget push` / `nuget push`. The multipart file part is staged on
 * disk with the size cap, opened as a zip, and its root .nuspec read for id, version,
 * dependencies and readme; only a valid package reaches the blob store and the index, through
 * the shared publish path (origin controls, conflicts, revision).
 */
import { createReadStream } from 'node:fs';
import { assetRecord } from '../../core/assets.js';
import { ConflictError, ValidationError } from '../../errors.js';
import { withBlobLease } from '../../operations/blob-lease.js';
import { checkGroupAllowsEntry } from '../../operations/package-groups-enforcement.js';
import { checkDependencyCount, checkPublishAllowed, publishPackageVersion } from '../../operations/publish.js';
import { sendJson } from '../../server/respond.js';
import type { RequestContext } from '../../server/route.js';
import { resolvePackage } from '../../upstream/resolve.js';
import { receiveMultipartFile } from './multipart.js';
import { readNupkgFile, type NupkgContents } from './nupkg.js';
import { ownKey, ownRecordOf } from './package-loader.js';
import { createStagedUpload, writeStagedUpload } from './staged-upload.js';
import { identityOf, newVersionOf, nupkgAssetName, type PackageIdentity } from './version-metadata.js';

/**
 * Refuses, before any bytes are stored, what publishPackageVersion would refuse (origin controls,
 * the package group's PUBLISH setting) and a version already reachable here, in this repository
 * or one of its upstreams, which CodeArtifact also answers with a conflict. publishPackageVersion checks again under the lock.
 */
async function checkPushAllowed(context: RequestContext, identity: PackageIdentity): Promise<void> {
  const sources = await resolvePackage(context.deps.store, context.domain, context.repository, { format: 'nuget', name: identity.name });
  checkPublishAllowed(ownKey(context, identity.name), ownRecordOf(context, sources));
  await checkGroupAllowsEntry(context.deps.store, ownKey(context, identity.name), 'PUBLISH');
  const holder = sources.find((source) => Object.hasOwn(source.record.versions, identity.key));
  if (!holder) return;
  const where = holder.repository === context.repository.name ? `repository ${holder.repository}` : `upstream repository ${holder.repository}`;
  throw new ConflictError(`${identity.id} ${identity.key} already exists in ${where}; published versions cannot be replaced.`, {
    hint: 'Push a new version number, or pass --skip-duplicate to `dotnet nuget push`.',
    resourceType: 'package-version',
    resourceId: `${identity.name}@${identity.key}`,
  });
}

/**
 * A .snupkg carries the symbols of the package of the same id and version, not the package:
 * stored as one, it would be what every restore of that version gets. Clients send one here when
 * the source offers no SymbolPackagePublish (this one offers none) and the file is named
 * explicitly; the public gallery refuses it the same way.
 */
function refuseSymbolPackage(contents: NupkgContents, identity: PackageIdentity): void {
  if (!contents.nuspec.packageTypes.some((type) => type.name.toLowerCase() === 'symbolspackage')) return;
  throw new ValidationError(`${identity.id} ${identity.key} is a symbol package (.snupkg); this feed takes packages only and stores no symbols.`, {
    hint: 'Push the .nupkg; symbol packages are not offered by this server.',
  });
}

export async function handlePush(context: RequestContext): Promise<void> {
  const { store, config } = context.deps;
  const maxBytes = config.server.maxUploadBytes;
  const staged = await createStagedUpload(store.root);
  try {
    await receiveMultipartFile(context.req, maxBytes, (stream) => writeStagedUpload(staged, stream, maxBytes));
    // Only the nuspec is read from the package; the blob is streamed from the staged file.
    const contents = readNupkgFile(staged.file);
    const identity = identityOf(contents);
    refuseSymbolPackage(contents, identity);
    const version = newVersionOf(contents, identity);
    await checkPushAllowed(context, identity);
    checkDependencyCount(ownKey(context, identity.name), identity.key, version.dependencies?.length ?? 0);
    await withBlobLease(store, async () => {
      const digests = await store.blobs.put(createReadStream(staged.file));
      const asset = assetRecord(nupkgAssetName(identity.name, identity.key), digests);
      await publishPackageVersion(store, ownKey(context, identity.name), { ...version, assets: [asset] });
    });
    sendJson(context.req, context.res, 201, { id: identity.id, version: identity.key });
  } finally {
    await staged.discard();
  }
}
