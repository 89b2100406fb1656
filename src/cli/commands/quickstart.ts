/** `quickstart`: the domain "local", a store repository per public registry and "default" reading through them. */
import type { Command } from 'commander';
import { action } from '../context.js';

interface QuickstartCliOptions {
  public?: boolean;
  offline?: boolean;
}

export function register(program: Command): void {
  program
    .command('quickstart')
    .description(
      'Create the domain "local", the repositories npm-store, pypi-store, maven-central-store and nuget-store (each with its public:* connection) and "default" reading through them, where missing; then list the repositories.',
    )
    .option('--no-public', 'Create only "local/default", reading from no public registry.')
    .option('--offline', 'As --no-public: nothing will be fetched from public registries.')
    .action(
      action<QuickstartCliOptions>(async (options, context) => {
        const config = await context.config();
        const { prepareRoot } = await import('../../store/prepare-root.js');
        await prepareRoot(config.root);
        const store = await context.store();
        const { QUICKSTART_DOMAIN, setUpQuickstart } = await import('../../operations/quickstart.js');
        const { listRepositories } = await import('../../operations/repositories.js');
        const done = await setUpQuickstart(store, { withPublic: options.public !== false && !options.offline && !config.offline });
        const { repositories } = await listRepositories(store, { domain: QUICKSTART_DOMAIN });
        return { setUp: done, repositories };
      }),
    );
}
