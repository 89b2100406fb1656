/**
 * What `quickstart` and `serve --quickstart` set up: the domain "local", one store repository per
 * public registry (CodeArtifact's console names them `<format>-store`), and the repository
 * "default" reading through them, so a first `npm install` of a public package works. Existing
 * repositories keep what their owner set (docs/upstreams.md).
 */
import type { Store } from '../store/store.js';
import { createDomain } from './domains.js';
import { associateExternalConnection, createRepository, updateRepository } from './repositories.js';

export const QUICKSTART_DOMAIN = 'local';
export const QUICKSTART_REPOSITORY = 'default';

/** In the order `default` reads them. */
export const QUICKSTART_STORES: readonly { repository: string; connection: string }[] = [
  { repository: 'npm-store', connection: 'public:npmjs' },
  { repository: 'pypi-store', connection: 'public:pypi' },
  { repository: 'maven-central-store', connection: 'public:maven-central' },
  { repository: 'nuget-store', connection: 'public:nuget-org' },
];

export interface QuickstartOptions {
  /** False with --no-public or offline: no store repositories, `default` reads nothing public. */
  withPublic: boolean;
}

/** One sentence per thing made or changed; empty when everything was already there. */
export async function setUpQuickstart(store: Store, options: QuickstartOptions): Promise<string[]> {
  const done: string[] = [];
  const domain = QUICKSTART_DOMAIN;
  if (!(await store.index.getDomain(domain))) {
    await createDomain(store, { domain });
    done.push(`created the domain ${domain}`);
  }
  const stores: string[] = [];
  if (options.withPublic) {
    for (const { repository, connection } of QUICKSTART_STORES) {
      stores.push(repository);
      if (await store.index.getRepository(domain, repository)) continue;
      await createRepository(store, { domain, repository, description: `Reads ${connection}; created by quickstart` });
      await associateExternalConnection(store, domain, repository, connection);
      done.push(`created ${domain}/${repository} with the external connection ${connection}`);
    }
  }
  const existing = await store.index.getRepository(domain, QUICKSTART_REPOSITORY);
  const through = stores.length > 0 ? `, reading through ${stores.join(', ')}` : '';
  if (!existing) {
    await createRepository(store, { domain, repository: QUICKSTART_REPOSITORY, description: 'Created by quickstart', upstreams: stores });
    done.push(`created ${domain}/${QUICKSTART_REPOSITORY}${through}`);
  } else if (stores.length > 0 && existing.upstreams.length === 0 && existing.externalConnections.length === 0) {
    // What an earlier quickstart left: a default that could read nothing public.
    await updateRepository(store, { domain, repository: QUICKSTART_REPOSITORY, upstreams: stores });
    done.push(`made ${domain}/${QUICKSTART_REPOSITORY} read through ${stores.join(', ')}`);
  }
  return done;
}
