/** Repository operations with CodeArtifact's rules (docs/reference/concepts.md, docs/reference/names-and-limits.md) and shapes. */
import { LOCAL_ACCOUNT, repositoryArn } from '../core/arn.js';
import { externalConnectionFormat } from '../formats/external-connections.js';
import type { RepositoryRecord, Tag } from '../core/model.js';
import { validateDescription, validateRepositoryName } from '../core/names.js';
import { checkUpstreamList } from '../core/upstream-graph.js';
import { ConflictError, QuotaExceededError, ResourceNotFoundError, ValidationError } from '../errors.js';
import type { Store } from '../store/store.js';
import { requireDomain, requireRepository } from './require-existing.js';
import { paginate, type PageRequest } from './pagination.js';
import { checkTags } from '../core/tag-list.js';

export { requireRepository };

const MAX_REPOSITORIES_PER_DOMAIN = 1000;

export interface RepositoryDescription {
  name: string;
  administratorAccount: string;
  domainName: string;
  domainOwner: string;
  arn: string;
  description?: string;
  upstreams: { repositoryName: string }[];
  externalConnections: { externalConnectionName: string; packageFormat: string; status: string }[];
  createdTime: string;
}

export function describeRecord(record: RepositoryRecord): RepositoryDescription {
  return {
    name: record.name,
    administratorAccount: record.administratorAccount,
    domainName: record.domainName,
    domainOwner: record.domainOwner,
    arn: record.arn,
    description: record.description,
    upstreams: record.upstreams.map((upstream) => ({ repositoryName: upstream.repositoryName })),
    externalConnections: record.externalConnections.map((connection) => ({ ...connection })),
    createdTime: record.createdTime,
  };
}

export interface CreateRepositoryInput {
  domain: string;
  repository: string;
  description?: string;
  upstreams?: string[];
  tags?: Tag[];
}

export async function createRepository(store: Store, input: CreateRepositoryInput): Promise<{ repository: RepositoryDescription }> {
  const name = validateRepositoryName(input.repository);
  await requireDomain(store, input.domain);
  if (input.description !== undefined) validateDescription(input.description);
  const tags = checkTags(input.tags ?? []);
  const upstreams = input.upstreams ?? [];
  const created = await store.index.withDomainLock(input.domain, async () => {
    const existing = await store.index.listRepositories(input.domain);
    if (existing.includes(name)) {
      throw new ConflictError(`Repository ${name} already exists in domain ${input.domain}.`, { resourceType: 'repository', resourceId: name });
    }
    if (existing.length >= MAX_REPOSITORIES_PER_DOMAIN) {
      throw new QuotaExceededError(`Domain ${input.domain} already has the maximum of ${MAX_REPOSITORIES_PER_DOMAIN} repositories.`, {
        resourceType: 'repository',
      });
    }
    await checkUpstreams(store, input.domain, name, upstreams);
    // What a deleted repository of this name may have left: the index of a publish that landed
    // while it was being deleted. The new repository starts empty.
    await store.index.removeRepository(input.domain, name);
    return store.index.updateRepository(input.domain, name, (current) => {
      if (current) throw new ConflictError(`Repository ${name} already exists in domain ${input.domain}.`, { resourceType: 'repository', resourceId: name });
      return {
        name,
        administratorAccount: LOCAL_ACCOUNT,
        domainName: input.domain,
        domainOwner: LOCAL_ACCOUNT,
        arn: repositoryArn(input.domain, name),
        description: input.description,
        upstreams: upstreams.map((repositoryName) => ({ repositoryName })),
        externalConnections: [],
        createdTime: new Date().toISOString(),
        tags,
      };
    });
  });
  return { repository: describeRecord(created as RepositoryRecord) };
}

export async function describeRepository(store: Store, domain: string, repository: string): Promise<{ repository: RepositoryDescription }> {
  return { repository: describeRecord(await requireRepository(store, domain, repository)) };
}

export interface UpdateRepositoryInput {
  domain: string;
  repository: string;
  description?: string;
  upstreams?: string[];
}

export async function updateRepository(store: Store, input: UpdateRepositoryInput): Promise<{ repository: RepositoryDescription }> {
  await requireRepository(store, input.domain, input.repository);
  if (input.description !== undefined) validateDescription(input.description);
  const updated = await store.index.withDomainLock(input.domain, async () => {
    if (input.upstreams) await checkUpstreams(store, input.domain, input.repository, input.upstreams);
    return store.index.updateRepository(input.domain, input.repository, (current) => {
      if (!current) throw new ResourceNotFoundError(`Repository ${input.repository} does not exist in domain ${input.domain}.`, { resourceType: 'repository' });
      return {
        ...current,
        description: input.description ?? current.description,
        upstreams: input.upstreams ? input.upstreams.map((repositoryName) => ({ repositoryName })) : current.upstreams,
      };
    });
  });
  return { repository: describeRecord(updated as RepositoryRecord) };
}

export async function deleteRepository(store: Store, domain: string, repository: string): Promise<{ repository: RepositoryDescription }> {
  const record = await requireRepository(store, domain, repository);
  await store.index.withDomainLock(domain, async () => {
    const downstream: string[] = [];
    let firstKeeps: string[] = [];
    for (const name of await store.index.listRepositories(domain)) {
      const other = await store.index.getRepository(domain, name);
      if (!other?.upstreams.some((upstream) => upstream.repositoryName === repository)) continue;
      if (downstream.length === 0) firstKeeps = other.upstreams.map((upstream) => upstream.repositoryName).filter((name) => name !== repository);
      downstream.push(name);
    }
    if (downstream.length > 0) {
      // The first one's command as it can be pasted: its upstream list without this repository.
      const keep = firstKeeps.length > 0 ? firstKeeps.map((name) => `repositoryName=${name}`).join(' ') : "''";
      throw new ConflictError(`Repository ${repository} is an upstream of ${downstream.join(', ')}.`, {
        resourceType: 'repository',
        resourceId: repository,
        hint: `Remove it from their upstreams first, e.g. \`artifact-cli update-repository --domain ${domain} --repository ${downstream[0]} --upstreams ${keep}\`.`,
      });
    }
    await store.index.removeRepository(domain, repository);
  });
  return { repository: describeRecord(record) };
}

export interface RepositorySummary {
  name: string;
  administratorAccount: string;
  domainName: string;
  domainOwner: string;
  arn: string;
  description?: string;
  createdTime: string;
}

export async function listRepositories(store: Store, input: { domain?: string; repositoryPrefix?: string } & PageRequest) {
  const domains = input.domain ? [(await requireDomain(store, input.domain)).name] : await store.index.listDomains();
  const summaries: RepositorySummary[] = [];
  for (const domain of domains) {
    for (const name of await store.index.listRepositories(domain)) {
      if (input.repositoryPrefix && !name.startsWith(input.repositoryPrefix)) continue;
      const record = await store.index.getRepository(domain, name);
      if (!record) continue;
      const { upstreams: _upstreams, externalConnections: _connections, tags: _tags, ...summary } = record;
      summaries.push(summary);
    }
  }
  summaries.sort((a, b) => (a.domainName + '/' + a.name < b.domainName + '/' + b.name ? -1 : 1));
  const page = paginate(summaries, (summary) => `${summary.domainName}/${summary.name}`, input);
  return { repositories: page.items, nextToken: page.nextToken };
}

export async function associateExternalConnection(store: Store, domain: string, repository: string, connection: string) {
  const packageFormat = externalConnectionFormat(connection);
  await requireRepository(store, domain, repository);
  const updated = await store.index.updateRepository(domain, repository, (current) => {
    if (!current) throw new ResourceNotFoundError(`Repository ${repository} does not exist in domain ${domain}.`, { resourceType: 'repository' });
    if (current.externalConnections.length > 0) {
      const existing = current.externalConnections[0].externalConnectionName;
      throw new (existing === connection ? ConflictError : QuotaExceededError)(
        `Repository ${repository} already has the external connection ${existing}; a repository can have only one.`,
        { resourceType: 'repository', resourceId: repository, hint: 'Put other connections on their own repositories and list those as upstreams.' },
      );
    }
    return { ...current, externalConnections: [{ externalConnectionName: connection, packageFormat, status: 'Available' as const }] };
  });
  return { repository: describeRecord(updated as RepositoryRecord) };
}

export async function disassociateExternalConnection(store: Store, domain: string, repository: string, connection: string) {
  externalConnectionFormat(connection);
  await requireRepository(store, domain, repository);
  const updated = await store.index.updateRepository(domain, repository, (current) => {
    if (!current) throw new ResourceNotFoundError(`Repository ${repository} does not exist in domain ${domain}.`, { resourceType: 'repository' });
    if (!current.externalConnections.some((entry) => entry.externalConnectionName === connection)) {
      throw new ResourceNotFoundError(`Repository ${repository} has no external connection ${connection}.`, {
        resourceType: 'repository',
        resourceId: repository,
      });
    }
    return { ...current, externalConnections: current.externalConnections.filter((entry) => entry.externalConnectionName !== connection) };
  });
  return { repository: describeRecord(updated as RepositoryRecord) };
}

/** Upstreams must be valid names of existing repositories in the same domain, with no loop. */
async function checkUpstreams(store: Store, domain: string, repository: string, upstreams: string[]): Promise<void> {
  for (const upstream of upstreams) validateRepositoryName(upstream);
  const graph = new Map<string, string[]>();
  for (const name of await store.index.listRepositories(domain)) {
    const record = await store.index.getRepository(domain, name);
    if (record)
      graph.set(
        name,
        record.upstreams.map((upstream) => upstream.repositoryName),
      );
  }
  const missing = upstreams.filter((name) => !graph.has(name) && name !== repository);
  if (missing.length > 0) {
    throw new ValidationError(`Upstream repositories must exist in domain ${domain}; not found: ${missing.join(', ')}.`, {
      hint: 'Create them first, or check the spelling.',
    });
  }
  checkUpstreamList(repository, upstreams, (name) => graph.get(name) ?? []);
}
