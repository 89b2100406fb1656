/**
 * Finding the stored asset a file request means: in the repository asked, then along its
 * upstream chain (nearest first), then through the external connection. A release file found
 * upstream is kept in the repository asked (docs/reference/upstreams.md). SNAPSHOTs are served from
 * upstream repositories but neither kept nor ever fetched from a public registry: they change
 * with every build, and CodeArtifact never ingests them.
 *
 * A file that origin controls or a package group refuse to keep here is a 404, whether the
 * block was there before the request (the walk never reaches the file) or lands while the file
 * is on its way (the retention refuses it): docs/formats/maven-gradle.md says why not a 403.
 */
import type { AssetRecord, VersionRecord } from '../../core/model.js';
import { retainAsset } from '../../operations/add-asset.js';
import { refusalAsNotFound } from '../../operations/retention-refusal.js';
import type { RequestContext } from '../../server/route.js';
import { firstConnection } from '../../upstream/external.js';
import { resolvePackageChain } from '../../upstream/resolve.js';
import { fetchExternalFile } from './external-fetch.js';
import type { FileCoordinates } from './maven-path.js';
import { fileNotFound, isDownloadable, packageKey, packageRef, versionFields } from './maven-package.js';
import { isSnapshotVersion } from './maven-version.js';
import { resolveSnapshotAsset } from './snapshot-builds.js';

export async function locateFile(context: RequestContext, file: FileCoordinates): Promise<AssetRecord> {
  const { store, config } = context.deps;
  const snapshot = isSnapshotVersion(file.version);
  // Origin controls prune the walk: nothing from beyond a repository that blocks upstream versions.
  const { sources, connectable } = await resolvePackageChain(store, context.domain, context.repository, packageRef(file.groupId, file.artifactId));
  for (const source of sources) {
    const version = Object.hasOwn(source.record.versions, file.version) ? source.record.versions[file.version] : undefined;
    if (!version || !isDownloadable(version)) continue;
    const asset = findAsset(file, version);
    if (!asset) continue;
    if (source.repository === context.repository.name || snapshot) return asset;
    const kept = await retainAsset(store, packageKey(context, file.groupId, file.artifactId), {
      version: file.version,
      asset,
      origin: version.origin,
      update: (draft) => ({ ...draft, ...versionFields(version), formatMetadata: { ...draft.formatMetadata, ...version.formatMetadata } }),
    }).catch(refusalAsNotFound);
    return kept.assets.find((candidate) => candidate.name === asset.name) ?? asset;
  }
  // Made only when thrown: an error's stack costs more than the lookup.
  const notFound = () => fileNotFound(context, file.groupId, file.artifactId, file.version, file.fileName);
  if (snapshot) throw notFound();
  const external = await firstConnection(config, connectable, 'maven');
  if (!external) throw notFound();
  return fetchExternalFile(context, external, file).catch(refusalAsNotFound);
}

function findAsset(file: FileCoordinates, version: VersionRecord): AssetRecord | undefined {
  if (isSnapshotVersion(file.version)) return resolveSnapshotAsset(file.artifactId, version, file.fileName);
  return version.assets.find((asset) => asset.name === file.fileName);
}
