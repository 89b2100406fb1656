/** Repository commands: create, describe, list, update, delete, external connections. */
import { parseTags, parseUpstreams } from '../shorthand.js';
import type { CliContext } from '../context.js';

interface RepositoryOptions {
  domain?: string;
  repository?: string;
  description?: string;
  upstreams?: string[];
  tags?: string[];
  repositoryPrefix?: string;
  externalConnection?: string;
  maxResults?: number;
  nextToken?: string;
}

const operations = () => import('../../operations/repositories.js');

async function domainOf(options: RepositoryOptions, context: CliContext): Promise<string> {
  return context.need(options.domain, '--domain', undefined, (await context.config()).domain);
}

async function repositoryOf(options: RepositoryOptions, context: CliContext): Promise<string> {
  return context.need(options.repository, '--repository', undefined, (await context.config()).repository);
}

export async function createRepository(options: RepositoryOptions, context: CliContext): Promise<unknown> {
  const store = await context.store();
  const config = await context.config();
  const missing = !options.domain && !config.domain ? true : !options.repository;
  if (missing && context.isInteractive) {
    const { promptCreateRepository } = await import('./create-repository-prompts.js');
    return promptCreateRepository(store, {
      ...options,
      domain: options.domain ?? config.domain,
      upstreams: parseUpstreams(options.upstreams),
      tags: parseTags(options.tags),
    });
  }
  const domain = await domainOf(options, context);
  const repository = await context.need(options.repository, '--repository');
  const { createRepository } = await operations();
  return createRepository(store, {
    domain,
    repository,
    description: options.description,
    upstreams: parseUpstreams(options.upstreams),
    tags: parseTags(options.tags),
  });
}

export async function describeRepository(options: RepositoryOptions, context: CliContext): Promise<unknown> {
  const { describeRepository } = await operations();
  return describeRepository(await context.store(), await domainOf(options, context), await repositoryOf(options, context));
}

export async function listRepositories(options: RepositoryOptions, context: CliContext): Promise<unknown> {
  const { listRepositories } = await operations();
  return listRepositories(await context.store(), { repositoryPrefix: options.repositoryPrefix, maxResults: options.maxResults, nextToken: options.nextToken });
}

export async function listRepositoriesInDomain(options: RepositoryOptions, context: CliContext): Promise<unknown> {
  const domain = await domainOf(options, context);
  const { listRepositories } = await operations();
  return listRepositories(await context.store(), {
    domain,
    repositoryPrefix: options.repositoryPrefix,
    maxResults: options.maxResults,
    nextToken: options.nextToken,
  });
}

export async function updateRepository(options: RepositoryOptions, context: CliContext): Promise<unknown> {
  const { updateRepository } = await operations();
  return updateRepository(await context.store(), {
    domain: await domainOf(options, context),
    repository: await repositoryOf(options, context),
    description: options.description,
    upstreams: parseUpstreams(options.upstreams),
  });
}

export async function deleteRepository(options: RepositoryOptions, context: CliContext): Promise<unknown> {
  const { deleteRepository } = await operations();
  return deleteRepository(await context.store(), await domainOf(options, context), await context.need(options.repository, '--repository'));
}

export async function associateExternalConnection(options: RepositoryOptions, context: CliContext): Promise<unknown> {
  const connection = await context.need(options.externalConnection, '--external-connection');
  const { associateExternalConnection } = await operations();
  return associateExternalConnection(await context.store(), await domainOf(options, context), await repositoryOf(options, context), connection);
}

export async function disassociateExternalConnection(options: RepositoryOptions, context: CliContext): Promise<unknown> {
  const connection = await context.need(options.externalConnection, '--external-connection');
  const { disassociateExternalConnection } = await operations();
  return disassociateExternalConnection(await context.store(), await domainOf(options, context), await repositoryOf(options, context), connection);
}
