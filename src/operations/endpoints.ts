/** get-repository-endpoint: the URL each client is pointed at. */
import { publicBaseUrl, type Config } from '../config/config.js';
import { PACKAGE_FORMATS, type PackageFormat } from '../core/model.js';
import { ValidationError } from '../errors.js';
import { requireServedFormat } from './served-formats.js';
import type { Store } from '../store/store.js';
import { requireRepository } from './repositories.js';

export function checkFormat(format: string): PackageFormat {
  if (!PACKAGE_FORMATS.includes(format as PackageFormat)) {
    throw new ValidationError(`--format must be one of ${PACKAGE_FORMATS.join(', ')}; got ${JSON.stringify(format)}.`);
  }
  return format as PackageFormat;
}

export function repositoryEndpoint(config: Config, domain: string, repository: string, format: PackageFormat): string {
  return `${publicBaseUrl(config)}/${domain}/${format}/${repository}/`;
}

export async function getRepositoryEndpoint(store: Store, config: Config, input: { domain: string; repository: string; format: string }) {
  const format = checkFormat(input.format);
  requireServedFormat(format, `A ${format} repository endpoint`);
  await requireRepository(store, input.domain, input.repository);
  return { repositoryEndpoint: repositoryEndpoint(config, input.domain, input.repository, format) };
}
