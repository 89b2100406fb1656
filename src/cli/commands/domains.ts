/** create-domain, describe-domain, list-domains, delete-domain. */
import type { Command } from 'commander';
import { parseTags } from '../shorthand.js';
import { action, collect } from '../context.js';

interface DomainOptions {
  domain?: string;
  domainOwner?: string;
  tags?: string[];
  maxResults?: string;
  nextToken?: string;
}

const operations = () => import('../../operations/domains.js');

export function register(program: Command): void {
  program
    .command('create-domain')
    .description('Create a domain, the namespace that owns repositories and tokens.')
    .option('--domain <name>', 'Name of the new domain (lowercase letters, digits and -).')
    .option('--encryption-key <arn>', 'Accepted for AWS CLI compatibility; the local store does not encrypt with KMS keys.')
    .option('--tags <tag...>', 'Tags as key=KEY,value=VALUE (or a JSON list).', collect)
    .action(
      action<DomainOptions>(async (options, context) => {
        const domain = await context.need(options.domain, '--domain', async () => {
          const { input } = await import('@inquirer/prompts');
          return input({ message: 'Domain name' });
        });
        const { createDomain } = await operations();
        return createDomain(await context.store(), { domain, tags: parseTags(options.tags) });
      }),
    );

  program
    .command('describe-domain')
    .description('Show a domain with its repository count and stored bytes.')
    .option('--domain <name>', 'The domain.')
    .option('--domain-owner <account>', 'Accepted for AWS CLI compatibility; the local owner is always used.')
    .action(
      action<DomainOptions>(async (options, context) => {
        const domain = await context.need(options.domain, '--domain', undefined, (await context.config()).domain);
        const { describeDomain } = await operations();
        return describeDomain(await context.store(), domain);
      }),
    );

  program
    .command('list-domains')
    .description('List the domains under the root.')
    .option('--max-results <n>', 'At most this many results (1-1000).')
    .option('--next-token <token>', 'Continue after the previous page.')
    .action(
      action<DomainOptions>(async (options, context) => {
        const { listDomains } = await operations();
        return listDomains(await context.store(), { maxResults: toInteger(options.maxResults), nextToken: options.nextToken });
      }),
    );

  program
    .command('delete-domain')
    .description('Delete a domain; refused while it holds repositories.')
    .option('--domain <name>', 'The domain.')
    .option('--domain-owner <account>', 'Accepted for AWS CLI compatibility.')
    .action(
      action<DomainOptions>(async (options, context) => {
        const domain = await context.need(options.domain, '--domain');
        const { deleteDomain } = await operations();
        return deleteDomain(await context.store(), domain);
      }),
    );
}

export function toInteger(value: string | undefined): number | undefined {
  return value === undefined ? undefined : Number(value);
}
