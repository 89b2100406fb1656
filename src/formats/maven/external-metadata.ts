/**
 * maven-metadata.xml of the public registry behind the external connection, through the shared
 * MetadataCache (fresh copies served as they are, stale ones revalidated, served with a warning
 * when the registry is down). Only release versions are taken: SNAPSHOTs never come from a
 * public registry (docs/reference/upstreams.md).
 */
import type { RepositoryRecord } from '../../core/model.js';
import { validatePackagePart } from '../../core/names.js';
import { UpstreamError } from '../../errors.js';
import type { RequestContext } from '../../server/route.js';
import { firstConnection } from '../../upstream/external.js';
import { freshUntil, metadataCacheFor } from '../../upstream/metadata-cache.js';
import { METADATA_FILE } from './maven-path.js';
import { isSnapshotVersion } from './maven-version.js';
import type { PluginEntry } from './metadata-xml.js';
import { parseMetadataOffThread } from './xml-off-thread.js';

// yyyyMMddHHmmss: anything else would win the string comparison with the stored versions' stamps.
const LAST_UPDATED = /^\d{14}$/;

/**
 * A version or artifactId from the registry is passed on only if it could name a stored one: a
 * '/', whitespace or a dot segment would send the client's next request to another path.
 */
function isStorablePart(kind: 'version' | 'package', value: string): boolean {
  try {
    validatePackagePart(kind, value);
    return true;
  } catch {
    return false;
  }
}

export interface ExternalMetadata {
  versions: string[];
  lastUpdated?: string;
  plugins: PluginEntry[];
}

/**
 * The registry's metadata for the folder `dirs`, or undefined when none of the `connectable`
 * repositories (what origin controls left of the chain) has a connection, or the registry has
 * none. When
 * `tolerateFailure` is set (the repository has versions of its own to show) a registry that
 * cannot be reached is logged and skipped instead of failing the request.
 */
export async function externalMetadata(
  context: RequestContext,
  connectable: readonly RepositoryRecord[],
  dirs: string[],
  tolerateFailure: boolean,
): Promise<ExternalMetadata | undefined> {
  const { deps } = context;
  const external = await firstConnection(deps.config, connectable, 'maven');
  if (!external) return undefined;
  const groupId = dirs.slice(0, -1).join('.');
  const artifactId = dirs[dirs.length - 1];
  try {
    const cached = await metadataCacheFor(deps).get({
      key: { domain: context.domain, repository: external.repository.name, format: 'maven', namespace: groupId, name: artifactId },
      url: `${external.url}${dirs.map(encodeURIComponent).join('/')}/${METADATA_FILE}`,
      accept: 'application/xml, text/xml;q=0.9, */*;q=0.1',
      parse: async (text): Promise<ExternalMetadata> => {
        const parsed = await parseMetadataOffThread(text);
        return {
          versions: parsed.versions.filter((version) => !isSnapshotVersion(version) && isStorablePart('version', version)),
          lastUpdated: parsed.lastUpdated && LAST_UPDATED.test(parsed.lastUpdated) ? parsed.lastUpdated : undefined,
          plugins: parsed.plugins.filter((plugin) => isStorablePart('package', plugin.artifactId)),
        };
      },
    });
    // An answer built from this copy is not reused past when it goes stale (as for npm).
    if (context.freshness) context.freshness.validUntil = Math.min(context.freshness.validUntil, cached ? freshUntil(deps, cached) : 0);
    return cached?.document as ExternalMetadata | undefined;
  } catch (error) {
    if (!tolerateFailure || !(error instanceof UpstreamError)) throw error;
    deps.log(`warning: ${external.connectionName} metadata for ${dirs.join('/')} left out: ${error.message}`);
    return undefined;
  }
}
