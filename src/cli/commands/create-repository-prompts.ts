/** The interactive flow of `create-repo` on a terminal: pick or create a domain, then ask the rest. */
import { checkbox, input, select } from '@inquirer/prompts';
import { EXTERNAL_CONNECTIONS } from '../../formats/external-connections.js';
import type { Tag } from '../../core/model.js';
import { validateDomainName, validateRepositoryName } from '../../core/names.js';
import { createDomain } from '../../operations/domains.js';
import { associateExternalConnection, createRepository } from '../../operations/repositories.js';
import type { Store } from '../../store/store.js';

const NEW_DOMAIN = '\u0000new';
const NO_CONNECTION = '';

interface Known {
  domain?: string;
  repository?: string;
  description?: string;
  upstreams?: string[];
  tags?: Tag[];
}

/** Returns an inquirer validate function from one of the name validators. */
function validator(check: (value: string) => unknown) {
  return (value: string) => {
    try {
      check(value);
      return true;
    } catch (error) {
      return (error as Error).message;
    }
  };
}

export async function promptCreateRepository(store: Store, known: Known) {
  let domain = known.domain;
  if (!domain) {
    const domains = await store.index.listDomains();
    const choice = domains.length
      ? await select({ message: 'Domain', choices: [...domains.map((name) => ({ name, value: name })), { name: 'Create a new domain', value: NEW_DOMAIN }] })
      : NEW_DOMAIN;
    if (choice === NEW_DOMAIN) {
      domain = await input({ message: 'New domain name', validate: validator(validateDomainName) });
      await createDomain(store, { domain });
    } else {
      domain = choice;
    }
  }
  const repository = known.repository ?? (await input({ message: 'Repository name', validate: validator(validateRepositoryName) }));
  const description = known.description ?? ((await input({ message: 'Description (optional)' })) || undefined);
  let upstreams = known.upstreams;
  if (!upstreams) {
    const existing = await store.index.listRepositories(domain);
    upstreams = existing.length
      ? await checkbox({ message: 'Upstream repositories (in search order)', choices: existing.map((name) => ({ name, value: name })) })
      : [];
  }
  const connection = await select({
    message: 'External connection',
    choices: [{ name: 'none', value: NO_CONNECTION }, ...Object.keys(EXTERNAL_CONNECTIONS).map((name) => ({ name, value: name }))],
  });
  const created = await createRepository(store, { domain, repository, description, upstreams, tags: known.tags });
  if (connection === NO_CONNECTION) return created;
  return associateExternalConnection(store, domain, repository, connection);
}
