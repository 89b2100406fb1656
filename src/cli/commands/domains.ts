/** create-domain, describe-domain, list-domains, delete-domain. */
import { parseTags } from '../shorthand.js';
import type { CliContext } from '../context.js';

interface DomainOptions {
  domain?: string;
  tags?: string[];
  maxResults?: number;
  nextToken?: string;
}

const operations = () => import('../../operations/domains.js');

export async function createDomain(options: DomainOptions, context: CliContext): Promise<unknown> {
  const domain = await context.need(options.domain, '--domain', async () => {
    const { input } = await import('@inquirer/prompts');
    return input({ message: 'Domain name' });
  });
  const { createDomain } = await operations();
  return createDomain(await context.store(), { domain, tags: parseTags(options.tags) });
}

export async function describeDomain(options: DomainOptions, context: CliContext): Promise<unknown> {
  const domain = await context.need(options.domain, '--domain', undefined, (await context.config()).domain);
  const { describeDomain } = await operations();
  return describeDomain(await context.store(), domain);
}

export async function listDomains(options: DomainOptions, context: CliContext): Promise<unknown> {
  const { listDomains } = await operations();
  return listDomains(await context.store(), { maxResults: options.maxResults, nextToken: options.nextToken });
}

export async function deleteDomain(options: DomainOptions, context: CliContext): Promise<unknown> {
  const domain = await context.need(options.domain, '--domain');
  const { deleteDomain } = await operations();
  return deleteDomain(await context.store(), domain);
}
