/** Domain operations with CodeArtifact's rules and response shapes. */
import { domainArn, LOCAL_ACCOUNT } from '../core/arn.js';
import type { DomainRecord, Tag } from '../core/model.js';
import { validateDomainName } from '../core/names.js';
import { ConflictError, ResourceNotFoundError } from '../errors.js';
import type { Store } from '../store/store.js';
import { domainAssetSizeBytes } from './domain-asset-size.js';
import { paginate, type PageRequest } from './pagination.js';
import { requireDomain } from './require-existing.js';
import { checkTags } from '../core/tag-list.js';

export { requireDomain };

const LOCAL_ENCRYPTION_KEY = `arn:aws:kms:local:${LOCAL_ACCOUNT}:alias/aws/codeartifact`;

export interface DomainDescription {
  name: string;
  owner: string;
  arn: string;
  status: string;
  createdTime: string;
  encryptionKey: string;
  repositoryCount: number;
  assetSizeBytes: number;
}

export async function createDomain(store: Store, input: { domain: string; tags?: Tag[] }): Promise<{ domain: DomainDescription }> {
  const name = validateDomainName(input.domain);
  const tags = checkTags(input.tags ?? []);
  const created = await store.index.updateDomain(name, async (current) => {
    if (current) throw new ConflictError(`Domain ${name} already exists.`, { resourceType: 'domain', resourceId: name });
    // A domain of this name deleted while writes into it were landing may have left files
    // behind; the new one inherits none of them, above all no token.
    await store.index.removeDomainLeftovers(name);
    return {
      name,
      owner: LOCAL_ACCOUNT,
      arn: domainArn(name),
      status: 'Active',
      createdTime: new Date().toISOString(),
      encryptionKey: LOCAL_ENCRYPTION_KEY,
      tags,
    };
  });
  return { domain: await describe(store, created as DomainRecord) };
}

export async function describeDomain(store: Store, domain: string): Promise<{ domain: DomainDescription }> {
  return { domain: await describe(store, await requireDomain(store, domain)) };
}

export async function listDomains(store: Store, page: PageRequest) {
  const names = await store.index.listDomains();
  const records = (await Promise.all(names.map((name) => store.index.getDomain(name)))).filter((record): record is DomainRecord => !!record);
  const result = paginate(records, (record) => record.name, page);
  return {
    domains: result.items.map((record) => ({
      name: record.name,
      owner: record.owner,
      arn: record.arn,
      status: record.status,
      createdTime: record.createdTime,
      encryptionKey: record.encryptionKey,
    })),
    nextToken: result.nextToken,
  };
}

export async function deleteDomain(store: Store, domain: string): Promise<{ domain: DomainDescription }> {
  const record = await requireDomain(store, domain);
  const description = await describe(store, record);
  await store.index.updateDomain(domain, async (current) => {
    if (!current) throw new ResourceNotFoundError(`Domain ${domain} does not exist.`, { resourceType: 'domain', resourceId: domain });
    const repositories = await store.index.listRepositories(domain);
    if (repositories.length > 0) {
      const first = await deletableFirst(store, domain, repositories);
      throw new ConflictError(
        `Domain ${domain} still holds ${repositories.length === 1 ? '1 repository' : `${repositories.length} repositories`}: ${nameList(repositories)}.`,
        {
          resourceType: 'domain',
          resourceId: domain,
          hint: `Delete them first, one at a time, starting with \`artifact-cli delete-repository --domain ${domain} --repository ${first}\`.`,
        },
      );
    }
    return undefined;
  });
  return { domain: { ...description, status: 'Deleted' } };
}

// Enough names for a person to see what is there; the rest are counted.
const LISTED_NAMES = 10;

function nameList(names: string[]): string {
  if (names.length <= LISTED_NAMES) return names.join(', ');
  return `${names.slice(0, LISTED_NAMES).join(', ')} and ${names.length - LISTED_NAMES} more`;
}

/** A repository no other one reads through, so the hint's command succeeds as pasted. */
async function deletableFirst(store: Store, domain: string, repositories: string[]): Promise<string> {
  const upstreams = new Set<string>();
  for (const name of repositories) {
    for (const upstream of (await store.index.getRepository(domain, name))?.upstreams ?? []) upstreams.add(upstream.repositoryName);
  }
  return repositories.find((name) => !upstreams.has(name)) ?? repositories[0];
}

async function describe(store: Store, record: DomainRecord): Promise<DomainDescription> {
  const repositories = await store.index.listRepositories(record.name);
  return {
    name: record.name,
    owner: record.owner,
    arn: record.arn,
    status: record.status,
    createdTime: record.createdTime,
    encryptionKey: record.encryptionKey,
    repositoryCount: repositories.length,
    assetSizeBytes: await domainAssetSizeBytes(store, record.name, repositories),
  };
}
