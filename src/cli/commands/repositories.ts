/** Repository commands: create, describe, list, update, delete, external connections. */
import type { Command } from 'commander';
import { parseTags, parseUpstreams } from '../shorthand.js';
import { action, collect, type CliContext } from '../context.js';
import { toInteger } from './domains.js';

interface RepositoryOptions {
  domain?: string;
  domainOwner?: string;
  repository?: string;
  description?: string;
  upstreams?: string[];
  tags?: string[];
  repositoryPrefix?: string;
  administratorAccount?: string;
  externalConnection?: string;
  maxResults?: string;
  nextToken?: string;
}

const operations = () => import('../../operations/repositories.js');

async function domainOf(options: RepositoryOptions, context: CliContext): Promise<string> {
  return context.need(options.domain, '--domain', undefined, (await context.config()).domain);
}

async function repositoryOf(options: RepositoryOptions, context: CliContext): Promise<string> {
  return context.need(options.repository, '--repository', undefined, (await context.config()).repository);
}

export function register(program: Command): void {
  program
    .command('create-repository')
    .alias('create-repo')
    .description('Create a repository in a domain; asks for missing values on a terminal.')
    .option('--domain <name>', 'The domain that will hold it.')
    .option('--domain-owner <account>', 'Accepted for AWS CLI compatibility.')
    .option('--repository <name>', 'Name of the new repository.')
    .option('--description <text>', 'What the repository is for.')
    .option('--upstreams <entry...>', 'Upstream repositories in search order, as repositoryName=NAME.', collect)
    .option('--tags <tag...>', 'Tags as key=KEY,value=VALUE (or a JSON list).', collect)
    .action(
      action<RepositoryOptions>(async (options, context) => {
        const store = await context.store();
        const config = await context.config();
        const missing = !options.domain && !config.domain ? true : !options.repository;
        if (missing && context.isInteractive) {
          const { promptCreateRepository } = await import('./create-repository-prompts.js');
          return promptCreateRepository(store, { ...options, domain: options.domain ?? config.domain, upstreams: parseUpstreams(options.upstreams), tags: parseTags(options.tags) });
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
      }),
    );

  program
    .command('describe-repository')
    .description('Show a repository with its upstreams and external connection.')
    .option('--domain <name>', 'The domain.')
    .option('--domain-owner <account>', 'Accepted for AWS CLI compatibility.')
    .option('--repository <name>', 'The repository.')
    .action(
      action<RepositoryOptions>(async (options, context) => {
        const { describeRepository } = await operations();
        return describeRepository(await context.store(), await domainOf(options, context), await repositoryOf(options, context));
      }),
    );

  program
    .command('list-repositories')
    .description('List repositories in every domain.')
    .option('--repository-prefix <prefix>', 'Only repositories whose name starts with this.')
    .option('--max-results <n>', 'At most this many results (1-1000).')
    .option('--next-token <token>', 'Continue after the previous page.')
    .action(
      action<RepositoryOptions>(async (options, context) => {
        const { listRepositories } = await operations();
        return listRepositories(await context.store(), {
          repositoryPrefix: options.repositoryPrefix,
          maxResults: toInteger(options.maxResults),
          nextToken: options.nextToken,
        });
      }),
    );

  program
    .command('list-repositories-in-domain')
    .description('List the repositories of one domain.')
    .option('--domain <name>', 'The domain.')
    .option('--domain-owner <account>', 'Accepted for AWS CLI compatibility.')
    .option('--administrator-account <account>', 'Accepted for AWS CLI compatibility; every local repository has the local account.')
    .option('--repository-prefix <prefix>', 'Only repositories whose name starts with this.')
    .option('--max-results <n>', 'At most this many results (1-1000).')
    .option('--next-token <token>', 'Continue after the previous page.')
    .action(
      action<RepositoryOptions>(async (options, context) => {
        const { listRepositories } = await operations();
        return listRepositories(await context.store(), {
          domain: await domainOf(options, context),
          repositoryPrefix: options.repositoryPrefix,
          maxResults: toInteger(options.maxResults),
          nextToken: options.nextToken,
        });
      }),
    );

  program
    .command('update-repository')
    .description('Change the description or replace the upstream list of a repository.')
    .option('--domain <name>', 'The domain.')
    .option('--domain-owner <account>', 'Accepted for AWS CLI compatibility.')
    .option('--repository <name>', 'The repository.')
    .option('--description <text>', 'New description.')
    .option('--upstreams <entry...>', 'The new upstream list, as repositoryName=NAME (pass "" for none).', collect)
    .action(
      action<RepositoryOptions>(async (options, context) => {
        const { updateRepository } = await operations();
        return updateRepository(await context.store(), {
          domain: await domainOf(options, context),
          repository: await repositoryOf(options, context),
          description: options.description,
          upstreams: parseUpstreams(options.upstreams),
        });
      }),
    );

  program
    .command('delete-repository')
    .description('Delete a repository and the package records it holds.')
    .option('--domain <name>', 'The domain.')
    .option('--domain-owner <account>', 'Accepted for AWS CLI compatibility.')
    .option('--repository <name>', 'The repository.')
    .action(
      action<RepositoryOptions>(async (options, context) => {
        const { deleteRepository } = await operations();
        return deleteRepository(await context.store(), await domainOf(options, context), await context.need(options.repository, '--repository'));
      }),
    );

  for (const [name, description] of [
    ['associate-external-connection', 'Connect a repository to a public registry (public:npmjs, public:pypi, ...).'],
    ['disassociate-external-connection', 'Remove the external connection of a repository.'],
  ] as const) {
    program
      .command(name)
      .description(description)
      .option('--domain <name>', 'The domain.')
      .option('--domain-owner <account>', 'Accepted for AWS CLI compatibility.')
      .option('--repository <name>', 'The repository.')
      .option('--external-connection <name>', 'The connection, e.g. public:npmjs.')
      .action(
        action<RepositoryOptions>(async (options, context) => {
          const connection = await context.need(options.externalConnection, '--external-connection');
          const ops = await operations();
          const run = name === 'associate-external-connection' ? ops.associateExternalConnection : ops.disassociateExternalConnection;
          return run(await context.store(), await domainOf(options, context), await repositoryOf(options, context), connection);
        }),
      );
  }
}
