/**
 * Finding a NuGet package for a read: the records along the repository's upstream chain, then
 * the external connection of the first repository on it that may use one for this package
 * (origin controls). Writes never come here; they touch only the addressed repository (ownKey).
 */
import type { PackageKey, PackageRecord } from '../../core/model.js';
import { ResourceNotFoundError, UpstreamError } from '../../errors.js';
import type { RequestContext } from '../../server/route.js';
import { firstConnection } from '../../upstream/external.js';
import { resolvePackageChain, type PackageSource } from '../../upstream/resolve.js';
import { buildPackageView, type PackageView } from './package-view.js';
import { NuGetUpstream, type ExternalListing } from './upstream-source.js';

export interface LoadedPackage {
  sources: PackageSource[];
  /** The connection to fetch from, when one is reachable and allowed for this package. */
  upstream?: NuGetUpstream;
  view?: PackageView;
  /** What the view was built from, for the render cache. */
  parts: object[];
}

/** Which upstream document a read needs: restore uses the versions list, metadata the registration. */
export type ExternalNeed = 'none' | 'versions' | 'registration';

export function ownKey(context: RequestContext, name: string): PackageKey {
  return { domain: context.domain, repository: context.repository.name, format: 'nuget', name };
}

export function ownRecordOf(context: RequestContext, sources: readonly PackageSource[]): PackageRecord | undefined {
  return sources.find((source) => source.repository === context.repository.name)?.record;
}

export function packageNotFound(context: RequestContext, name: string, key?: string): ResourceNotFoundError {
  const what = key === undefined ? name : `${name} ${key}`;
  return new ResourceNotFoundError(`${what} is not in repository ${context.repository.name} or its upstreams.`, {
    resourceType: key === undefined ? 'package' : 'package-version',
    resourceId: what,
  });
}

export async function loadPackage(context: RequestContext, name: string, need: ExternalNeed): Promise<LoadedPackage> {
  const { store, config } = context.deps;
  const { sources, connectable } = await resolvePackageChain(store, context.domain, context.repository, { format: 'nuget', name });
  // Origin controls already pruned `connectable`: no repository past one that blocks upstream versions.
  const source = need === 'none' ? undefined : await firstConnection(config, connectable, 'nuget');
  const upstream = source ? new NuGetUpstream(context.deps, context.domain, source) : undefined;
  let listing: ExternalListing | undefined;
  if (upstream) {
    try {
      listing = need === 'versions' ? await upstream.versions(name) : await upstream.registration(name);
      // An answer built from the source's documents is right while they are fresh; one without
      // the package (the source does not know it) for as long as such an answer would be.
      const { freshness } = context;
      freshness.validUntil = Math.min(freshness.validUntil, listing?.validUntil ?? Date.now() + config.upstream.metadataMaxAgeSeconds * 1000);
    } catch (error) {
      // With versions stored here a broken public source costs only its extra versions.
      const local = buildPackageView(name, sources);
      if (!(error instanceof UpstreamError) || !local) throw error;
      context.deps.log(`warning: ${upstream.source.connectionName} is unavailable for ${name}; serving the stored versions only: ${error.message}`);
      // A fallback for now: the next request asks the source again.
      context.freshness.validUntil = 0;
    }
  }
  return {
    sources,
    upstream,
    view: buildPackageView(name, sources, listing?.versions),
    parts: [...sources.map((source) => source.record), ...(listing?.documents ?? [])],
  };
}
