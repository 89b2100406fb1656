/**
 * The lookups nearly every command starts with: the domain, or the repository, or
 * ResourceNotFound. Kept apart from the domain and repository operations so a read-only command
 * does not load the code that creates and changes them (CLI start-up counts every module).
 */
import type { DomainRecord, RepositoryRecord } from '../core/model.js';
import { validateDomainName, validateRepositoryName } from '../core/names.js';
import { ResourceNotFoundError } from '../errors.js';
import type { Store } from '../store/store.js';

export async function requireDomain(store: Store, domain: string): Promise<DomainRecord> {
  const record = await store.index.getDomain(validateDomainName(domain));
  if (!record) {
    throw new ResourceNotFoundError(`Domain ${domain} does not exist.`, {
      resourceType: 'domain',
      resourceId: domain,
      hint: 'Create it with `artifact-cli create-domain --domain ' + domain + '`, or list them with `artifact-cli list-domains`.',
    });
  }
  return record;
}

export async function requireRepository(store: Store, domain: string, repository: string): Promise<RepositoryRecord> {
  await requireDomain(store, domain);
  const record = await store.index.getRepository(domain, validateRepositoryName(repository));
  if (!record) {
    throw new ResourceNotFoundError(`Repository ${repository} does not exist in domain ${domain}.`, {
      resourceType: 'repository',
      resourceId: repository,
      hint: `List them with \`artifact-cli list-repositories-in-domain --domain ${domain}\`.`,
    });
  }
  return record;
}
