/** Finding an npm package for a request: along the upstream chain for reads, here for writes. */
import type { PackageKey, PackageRecord } from '../../core/model.js';
import { ResourceNotFoundError } from '../../errors.js';
import type { RequestContext } from '../../server/route.js';
import { resolvePackage, type PackageSource } from '../../upstream/resolve.js';
import { readableSources, type NpmReadContext } from './external-packages.js';
import type { NpmPackageName } from './package-name.js';

/** The records of the package along the repository's upstream chain, nearest first. */
export function loadSources(context: RequestContext, name: NpmPackageName): Promise<PackageSource[]> {
  return resolvePackage(context.deps.store, context.domain, context.repository, { format: 'npm', namespace: name.namespace, name: name.name });
}

/** Like loadSources, but a package no repository on the chain holds is a 404. */
export async function requireSources(context: RequestContext, name: NpmPackageName): Promise<PackageSource[]> {
  const sources = await loadSources(context, name);
  if (sources.length === 0) throw notFound(context, name);
  return sources;
}

/**
 * What a reader sees: the stored records along the chain, then the public registry behind an
 * external connection. Writes use requireSources, so a publish never waits on the registry.
 */
export async function requireReadableSources(context: NpmReadContext, name: NpmPackageName): Promise<PackageSource[]> {
  const sources = await readableSources(context, name);
  if (sources.length === 0) throw notFoundIn(context.repository.name, name);
  return sources;
}

/** The key of the package in the repository the request addressed; writes only touch this one. */
export function ownKey(context: RequestContext, name: NpmPackageName): PackageKey {
  return { domain: context.domain, repository: context.repository.name, format: 'npm', namespace: name.namespace, name: name.name };
}

export function ownRecordOf(context: RequestContext, sources: readonly PackageSource[]): PackageRecord | undefined {
  return sources.find((source) => source.repository === context.repository.name)?.record;
}

export function notFound(context: RequestContext, name: NpmPackageName, version?: string): ResourceNotFoundError {
  return notFoundIn(context.repository.name, name, version);
}

function notFoundIn(repository: string, name: NpmPackageName, version?: string): ResourceNotFoundError {
  const what = version === undefined ? name.fullName : `${name.fullName}@${version}`;
  return new ResourceNotFoundError(`${what} is not in repository ${repository} or its upstreams.`, {
    resourceType: version === undefined ? 'package' : 'package-version',
    resourceId: what,
  });
}
