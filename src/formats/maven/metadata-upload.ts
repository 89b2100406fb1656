/**
 * PUT of maven-metadata.xml. The client's file is checked (XML, the coordinates of its path)
 * but not served: the repository generates metadata from what it stores, so it stays right
 * whatever clients merged. What the upload does is publish (docs/reference/statuses.md): versions it
 * lists that are Unfinished become Published, and for a SNAPSHOT the build it announces becomes
 * the one clients resolve. A group-level upload records plugin prefixes.
 */
import type { PackageRecord, VersionRecord } from '../../core/model.js';
import { withRevision } from '../../core/revision.js';
import { ResourceNotFoundError, ValidationError } from '../../errors.js';
import { checkPublishAllowed } from '../../operations/publish.js';
import { setEntry } from '../../operations/version-batch.js';
import { sendText } from '../../server/respond.js';
import type { RequestContext } from '../../server/route.js';
import { readCappedBody } from './capped-body.js';
import { metadataLevels } from './maven-path.js';
import { coordinatesText, packageKey } from './maven-package.js';
import { isSnapshotVersion } from './maven-version.js';
import { XmlProblem } from './maven-xml.js';
import type { ParsedMetadata, PluginEntry } from './metadata-xml.js';
import { parseMetadataOffThread } from './xml-off-thread.js';
import { buildToCommit } from './snapshot-builds.js';
import { ARTIFACT_LEVEL, digestsOf, withUploadedDigests, type MetadataDigests } from './uploaded-metadata.js';

export const MAX_METADATA_BYTES = 4 * 1024 * 1024;

export async function receiveMetadata(context: RequestContext, dirs: string[]): Promise<void> {
  const { req, res } = context;
  const bytes = await readCappedBody(req, MAX_METADATA_BYTES, 'maven-metadata.xml');
  let parsed: ParsedMetadata;
  try {
    parsed = await parseMetadataOffThread(bytes.toString('utf8'));
  } catch (error) {
    if (!(error instanceof XmlProblem)) throw error;
    throw new ValidationError(`maven-metadata.xml is not valid: ${error.message}; nothing was changed.`);
  }
  const digests = digestsOf(bytes);
  const levels = metadataLevels(dirs);
  if (parsed.plugins.length > 0 && parsed.artifactId === undefined) {
    await recordPlugins(context, levels.groupId, parsed.plugins, digests);
  } else if (levels.snapshot) {
    const { groupId, artifactId, version } = levels.snapshot;
    checkCoordinates(parsed, groupId, artifactId, version);
    await publishFromMetadata(context, groupId, artifactId, version, [version], parsed, digests);
  } else {
    const { groupId, artifactId } = levels.artifact;
    checkCoordinates(parsed, groupId, artifactId);
    await publishFromMetadata(context, groupId, artifactId, ARTIFACT_LEVEL, parsed.versions, parsed, digests);
  }
  sendText(req, res, 201, 'text/plain', '');
}

function checkCoordinates(parsed: ParsedMetadata, groupId: string, artifactId: string, version?: string): void {
  const problems: string[] = [];
  if (parsed.groupId !== undefined && parsed.groupId !== groupId) problems.push(`groupId ${parsed.groupId}`);
  if (parsed.artifactId !== undefined && parsed.artifactId !== artifactId) problems.push(`artifactId ${parsed.artifactId}`);
  if (version !== undefined && parsed.version !== undefined && parsed.version !== version) problems.push(`version ${parsed.version}`);
  if (problems.length) {
    throw new ValidationError(
      `maven-metadata.xml names ${problems.join(', ')}, which does not match its path ${coordinatesText(groupId, artifactId, version)}; nothing was changed.`,
    );
  }
}

async function publishFromMetadata(
  context: RequestContext,
  groupId: string,
  artifactId: string,
  level: string,
  listed: string[],
  parsed: ParsedMetadata,
  digests: MetadataDigests,
): Promise<void> {
  const key = packageKey(context, groupId, artifactId);
  const now = new Date().toISOString();
  await context.deps.store.index.updatePackage(key, async (current) => {
    const missing = level !== ARTIFACT_LEVEL && (!current || !Object.hasOwn(current.versions, level));
    if (!current || missing) {
      throw new ResourceNotFoundError(
        `No files of ${coordinatesText(groupId, artifactId, level || undefined)} are stored in repository ${context.repository.name}; upload them before maven-metadata.xml.`,
      );
    }
    checkPublishAllowed(key, current);
    const next: PackageRecord = structuredClone(current);
    let published = false;
    for (const version of listed) {
      if (!Object.hasOwn(next.versions, version)) continue;
      const updated = publishVersion(artifactId, next.versions[version], level === version ? parsed.snapshot : undefined, now);
      published ||= updated !== next.versions[version];
      setEntry(next.versions, version, updated);
    }
    // The route asks for PutPackageMetadata; making versions visible is publishing as well
    // (CodeArtifact wants both for Maven), so a metadata-only caller cannot release others' uploads.
    if (published) await context.authorize('codeartifact:PublishPackageVersion');
    next.formatMetadata = withUploadedDigests(next.formatMetadata, level, digests);
    return next;
  });
}

/** Unfinished -> Published; for a SNAPSHOT, the build the upload announces (or the newest) is committed. */
function publishVersion(artifactId: string, version: VersionRecord, announced: ParsedMetadata['snapshot'], now: string): VersionRecord {
  const publishes = version.status === 'Unfinished';
  const build = isSnapshotVersion(version.version) ? buildToCommit(artifactId, version, announced) : undefined;
  if (!publishes && !build) return version;
  const { revision: _revision, ...rest } = version;
  return withRevision({
    ...rest,
    status: publishes ? 'Published' : version.status,
    publishedTime: publishes ? now : version.publishedTime,
    formatMetadata: build ? { ...version.formatMetadata, committedBuild: build } : version.formatMetadata,
  });
}

/** Group-level metadata lists plugin prefixes; each is kept on its plugin's package, if stored here. */
async function recordPlugins(context: RequestContext, groupId: string, plugins: PluginEntry[], digests: MetadataDigests): Promise<void> {
  const { store } = context.deps;
  let recorded = 0;
  for (const plugin of plugins) {
    const key = packageKey(context, groupId, plugin.artifactId);
    if (!(await store.index.getPackage(key))) continue;
    await store.index.updatePackage(key, (current) => {
      if (!current) return current;
      checkPublishAllowed(key, current);
      recorded += 1;
      const info = { prefix: plugin.prefix, ...(plugin.name ? { name: plugin.name } : {}), groupMetadata: digests };
      return { ...current, formatMetadata: { ...current.formatMetadata, plugin: info } };
    });
  }
  if (recorded === 0) {
    throw new ResourceNotFoundError(
      `None of the plugins this metadata lists are stored in ${groupId} in repository ${context.repository.name}; upload them first.`,
    );
  }
}
