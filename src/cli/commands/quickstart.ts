/** `quickstart`: what `npm start` runs until serve exists: a default domain and repository, listed. */
import type { Command } from 'commander';
import { action } from '../context.js';

const DEFAULT_DOMAIN = 'local';
const DEFAULT_REPOSITORY = 'default';

export function register(program: Command): void {
  program
    .command('quickstart')
    .description(`Create the domain "${DEFAULT_DOMAIN}" and repository "${DEFAULT_REPOSITORY}" if missing, then list the repositories.`)
    .action(
      action<Record<string, never>>(async (_options, context) => {
        const store = await context.store();
        const { createDomain } = await import('../../operations/domains.js');
        const { createRepository, listRepositories } = await import('../../operations/repositories.js');
        if (!(await store.index.getDomain(DEFAULT_DOMAIN))) await createDomain(store, { domain: DEFAULT_DOMAIN });
        if (!(await store.index.getRepository(DEFAULT_DOMAIN, DEFAULT_REPOSITORY))) {
          await createRepository(store, { domain: DEFAULT_DOMAIN, repository: DEFAULT_REPOSITORY, description: 'Created by quickstart' });
        }
        return listRepositories(store, { domain: DEFAULT_DOMAIN });
      }),
    );
}
