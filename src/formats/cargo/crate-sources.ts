/**
 * Everything a read of one crate needs: the stored records along the upstream chain (origin
 * controls and package groups applied by resolvePackageChain) and, when the walk reaches a
 * repository with a Cargo connection that may be used for this crate, that index's lines.
 */
import type { PackageKey, PackageRecord } from '../../core/model.js';
import { ResourceNotFoundError, UpstreamError } from '../../errors.js';
import type { RequestContext } from '../../server/route.js';
import { firstConnection } from '../../upstream/external.js';
import { resolvePackageChain, type PackageSource } from '../../upstream/resolve.js';
import { loadExternalCrate, type ExternalCrate } from './external-index.js';
import { buildCrateView, type ViewVersion } from './crate-view.js';
import type { ExternalSource } from '../../upstream/external.js';

export interface CrateSources {
  name: string;
  sources: PackageSource[];
  /** The connection this crate may come from, whether or not its index was read. */
  connection?: ExternalSource;
  external?: ExternalCrate;
}

export function crateKeyIn(context: RequestContext, name: string, repository = context.repository.name): PackageKey {
  return { domain: context.domain, repository, format: 'cargo', name };
}

export function ownRecordOf(context: RequestContext, sources: readonly PackageSource[]): PackageRecord | undefined {
  return sources.find((source) => source.repository === context.repository.name)?.record;
}

/** The chain's records and, unless `storedOnly`, the connection's index lines. */
export async function loadCrateSources(context: RequestContext, name: string, storedOnly = false): Promise<CrateSources> {
  const { store, config } = context.deps;
  const { sources, connectable } = await resolvePackageChain(store, context.domain, context.repository, { format: 'cargo', name });
  const connection = await firstConnection(config, connectable, 'cargo');
  const loaded: CrateSources = { name, sources, connection };
  return storedOnly ? loaded : withExternal(context, loaded);
}

export async function withExternal(context: RequestContext, loaded: CrateSources): Promise<CrateSources> {
  if (!loaded.connection || loaded.external) return loaded;
  try {
    const external = await loadExternalCrate(context, loaded.connection, loaded.name);
    return external ? { ...loaded, external } : loaded;
  } catch (error) {
    // An index outage must not hide what the chain stores: serve that, and say so in the log.
    if (!(error instanceof UpstreamError) || loaded.sources.length === 0) throw error;
    // An answer without the index's lines must not be remembered past this request.
    context.freshness.validUntil = 0;
    context.deps.log(`warning: serving crate ${loaded.name} without ${loaded.connection.connectionName}: ${error.message}`);
    return loaded;
  }
}

export function viewOf(loaded: CrateSources): ViewVersion[] {
  return buildCrateView(loaded.sources, loaded.external?.lines);
}

export function crateNotFound(context: RequestContext, name: string, version?: string): ResourceNotFoundError {
  const what = version === undefined ? `Crate ${name}` : `Crate ${name} ${version}`;
  return new ResourceNotFoundError(`${what} is not in repository ${context.repository.name}, its upstreams or their external connection.`, {
    resourceType: version === undefined ? 'package' : 'package-version',
    resourceId: version === undefined ? name : `${name}@${version}`,
  });
}
