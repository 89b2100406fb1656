/** Finding the external connection a read falls through to, and what a format needs to use it. */
import type { Config } from '../config/config.js';
import type { PackageFormat, RepositoryRecord } from '../core/model.js';
import type { PackageRef } from '../store/index-store.js';
import type { Store } from '../store/store.js';
import { externalConnectionUrl } from './external-urls.js';
import { repositoryChain, resolvePackageChain } from './resolve.js';

export interface ExternalSource {
  /** The repository that holds the connection; fetched versions are retained there too. */
  repository: RepositoryRecord;
  connectionName: string;
  /** Base URL of the public registry (ends in '/', or is a service index URL). */
  url: string;
}

/**
 * The first repository in search order whose external connection serves this format
 * (docs/reference/upstreams.md: the chain is searched first, then external connections). Given the
 * package, repositories whose origin controls block upstream versions of it are passed over,
 * with everything behind them.
 */
export async function findExternalSource(
  store: Store,
  config: Config,
  domain: string,
  repository: RepositoryRecord,
  format: PackageFormat,
  ref?: Omit<PackageRef, 'format'>,
): Promise<ExternalSource | undefined> {
  const candidates = ref
    ? (await resolvePackageChain(store, domain, repository, { ...ref, format })).connectable
    : await repositoryChain(store, domain, repository);
  return firstConnection(config, candidates, format);
}

export async function firstConnection(config: Config, candidates: readonly RepositoryRecord[], format: PackageFormat): Promise<ExternalSource | undefined> {
  for (const candidate of candidates) {
    const connection = candidate.externalConnections.find((entry) => entry.packageFormat === format);
    if (connection) {
      return {
        repository: candidate,
        connectionName: connection.externalConnectionName,
        url: await externalConnectionUrl(config, connection.externalConnectionName),
      };
    }
  }
  return undefined;
}
