/** Domains: the namespaces that own repositories and tokens. */
import { inGroup, lazy, type CommandSpec } from '../command-spec.js';

const handlers = () => import('../commands/domains.js');

export const DOMAIN_COMMANDS: readonly CommandSpec[] = inGroup('Domains', [
  {
    name: 'create-domain',
    summary: 'Create a domain, the namespace that owns repositories and tokens.',
    examples: ['artifact-cli create-domain --domain my-domain'],
    options: [['domain', 'Name of the new domain (lowercase letters, digits and -).'], 'encryptionKey', 'tags'],
    run: lazy(async () => (await handlers()).createDomain),
  },
  {
    name: 'describe-domain',
    summary: 'Show a domain with its repository count and stored bytes.',
    examples: ['artifact-cli describe-domain --domain my-domain'],
    options: ['domain', 'domainOwner'],
    run: lazy(async () => (await handlers()).describeDomain),
  },
  {
    name: 'list-domains',
    summary: 'List the domains under the root.',
    examples: ['artifact-cli list-domains --output table'],
    options: ['maxResults', 'nextToken'],
    run: lazy(async () => (await handlers()).listDomains),
  },
  {
    name: 'delete-domain',
    summary: 'Delete a domain; refused while it holds repositories.',
    examples: ['artifact-cli delete-domain --domain my-domain'],
    options: ['domain', 'domainOwner'],
    run: lazy(async () => (await handlers()).deleteDomain),
  },
]);
