/**
 * GET of maven-metadata.xml and its checksums, generated from what the repository and its
 * upstream chain store (nearest first: a nearer Unlisted version hides the number, Unfinished
 * ones are not shown) merged with the public registry's metadata. A folder is read as
 * version-level metadata when it is a SNAPSHOT version, else artifact-level, and failing that
 * as group-level (plugin prefixes). The bytes are deterministic, so a later GET of the .sha1
 * hashes exactly what the client got.
 */
import { createHash } from 'node:crypto';
import type { VersionRecord } from '../../core/model.js';
import { ResourceNotFoundError } from '../../errors.js';
import { RenderedBody, sendRendered, sendText } from '../../server/respond.js';
import type { RequestContext } from '../../server/route.js';
import { repositoryChain, resolvePackage, resolvePackageChain } from '../../upstream/resolve.js';
import { externalMetadata, type ExternalMetadata } from './external-metadata.js';
import { metadataLevels, type ChecksumAlgorithm } from './maven-path.js';
import { isDownloadable, packageKey, packageRef } from './maven-package.js';
import { isSnapshotVersion, sortMavenVersions } from './maven-version.js';
import { lastUpdatedOf, renderArtifactMetadata, renderGroupMetadata, renderSnapshotMetadata, type PluginEntry } from './metadata-xml.js';
import { snapshotMetadata, snapshotView } from './snapshot-builds.js';
import { pluginInfoOf } from './uploaded-metadata.js';

const NODE_ALGORITHMS: Readonly<Record<ChecksumAlgorithm, string>> = { md5: 'md5', sha1: 'sha1', sha256: 'sha256', sha512: 'sha512' };

export async function serveMetadata(context: RequestContext, dirs: string[], checksum: ChecksumAlgorithm | undefined): Promise<void> {
  const bytes = await metadataFor(context, dirs);
  if (checksum) {
    sendText(context.req, context.res, 200, 'text/plain', createHash(NODE_ALGORITHMS[checksum]).update(bytes).digest('hex'));
    return;
  }
  sendRendered(context.req, context.res, new RenderedBody('application/xml', bytes));
}

async function metadataFor(context: RequestContext, dirs: string[]): Promise<Buffer> {
  const levels = metadataLevels(dirs);
  if (levels.snapshot) {
    const bytes = await snapshotLevel(context, levels.snapshot.groupId, levels.snapshot.artifactId, levels.snapshot.version);
    if (bytes) return bytes;
  }
  const artifact = await artifactLevel(context, dirs);
  if (artifact.bytes) return artifact.bytes;
  const group = await groupLevel(context, levels.groupId, artifact.external?.plugins ?? []);
  if (group) return group;
  throw new ResourceNotFoundError(`There is no maven-metadata.xml for ${dirs.join('/')} in repository ${context.repository.name} or its upstreams.`);
}

async function snapshotLevel(context: RequestContext, groupId: string, artifactId: string, version: string): Promise<Buffer | undefined> {
  const sources = await resolvePackage(context.deps.store, context.domain, context.repository, packageRef(groupId, artifactId));
  for (const source of sources) {
    const record = Object.hasOwn(source.record.versions, version) ? source.record.versions[version] : undefined;
    if (!record || !isDownloadable(record)) continue;
    const metadata = snapshotMetadata(groupId, artifactId, record);
    return metadata.files.length ? renderSnapshotMetadata(metadata) : undefined;
  }
  return undefined;
}

async function artifactLevel(context: RequestContext, dirs: string[]): Promise<{ bytes?: Buffer; external?: ExternalMetadata }> {
  const { artifact } = metadataLevels(dirs);
  const { sources, connectable } = await resolvePackageChain(
    context.deps.store,
    context.domain,
    context.repository,
    packageRef(artifact.groupId, artifact.artifactId),
  );
  // Nearest repository first: a Published version is shown, an Unlisted one hides the number.
  const decided = new Map<string, VersionRecord | null>();
  for (const source of sources) {
    for (const [version, record] of Object.entries(source.record.versions)) {
      if (decided.has(version)) continue;
      if (record.status === 'Published') decided.set(version, record);
      else if (record.status === 'Unlisted') decided.set(version, null);
    }
  }
  const shown = [...decided.values()].filter((record): record is VersionRecord => record !== null);
  const external = await externalMetadata(context, connectable, dirs, shown.length > 0);
  const versions = new Set(shown.map((record) => record.version));
  for (const version of external?.versions ?? []) if (!decided.has(version)) versions.add(version);
  if (versions.size === 0) return { external };

  const sorted = sortMavenVersions(versions);
  const releases = sorted.filter((version) => !isSnapshotVersion(version));
  const stamps = shown.map((record) =>
    isSnapshotVersion(record.version) ? snapshotView(artifact.artifactId, record).lastUpdated : lastUpdatedOf(record.publishedTime),
  );
  if (external?.lastUpdated) stamps.push(external.lastUpdated);
  const bytes = renderArtifactMetadata({
    groupId: artifact.groupId,
    artifactId: artifact.artifactId,
    versions: sorted,
    latest: sorted.at(-1),
    release: releases.at(-1),
    lastUpdated: stamps.sort().at(-1) as string,
  });
  return { bytes, external };
}

/** Plugin prefixes recorded on the group's packages along the chain, then the registry's. */
async function groupLevel(context: RequestContext, groupId: string, externalPlugins: PluginEntry[]): Promise<Buffer | undefined> {
  const { store } = context.deps;
  const plugins = new Map<string, PluginEntry>();
  for (const repository of await repositoryChain(store, context.domain, context.repository)) {
    for (const ref of await store.index.listPackages(context.domain, repository.name, 'maven')) {
      if (ref.namespace !== groupId || plugins.has(ref.name)) continue;
      const record = await store.index.getPackage(packageKey(context, groupId, ref.name, repository.name));
      const info = pluginInfoOf(record);
      if (info && Object.values(record?.versions ?? {}).some(isDownloadable))
        plugins.set(ref.name, { prefix: info.prefix, artifactId: ref.name, name: info.name });
    }
  }
  for (const plugin of externalPlugins) if (!plugins.has(plugin.artifactId)) plugins.set(plugin.artifactId, plugin);
  if (plugins.size === 0) return undefined;
  return renderGroupMetadata([...plugins.values()].sort((a, b) => a.prefix.localeCompare(b.prefix)));
}
