/** get-repository-endpoint: the URL each client is pointed at. */
import { publicBaseUrl, type Config } from '../config/config.js';
import type { PackageFormat } from '../core/model.js';
import { parsePackageFormat } from '../formats/package-names.js';
import type { Store } from '../store/store.js';
import { requireRepository } from './repositories.js';

export function repositoryEndpoint(config: Config, domain: string, repository: string, format: PackageFormat): string {
  return `${publicBaseUrl(config)}/${domain}/${format}/${repository}/`;
}

export async function getRepositoryEndpoint(store: Store, config: Config, input: { domain: string; repository: string; format: string }) {
  const format = parsePackageFormat(input.format);
  await requireRepository(store, input.domain, input.repository);
  return { repositoryEndpoint: repositoryEndpoint(config, input.domain, input.repository, format) };
}
