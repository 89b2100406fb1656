/** The local server, the quickstart set-up, and sync for offline installs. */
import { inGroup, lazy, type CommandSpec } from '../command-spec.js';

export const LOCAL_SERVER_COMMANDS: readonly CommandSpec[] = inGroup('Local server', [
  {
    name: 'serve',
    summary: 'Start the HTTP server that npm, pip, Maven, NuGet and the rest talk to.',
    examples: ['artifact-cli serve', 'artifact-cli serve --quickstart --port 8573'],
    options: [
      'host',
      'port',
      'allowAnonymousRead',
      'offline',
      'quickstart',
      ['noPublic', 'With --quickstart: no store repositories; "default" reads from no public registry.'],
    ],
    run: lazy(async () => (await import('../commands/serve.js')).serve),
  },
  {
    name: 'quickstart',
    summary:
      'Create the domain "local", a store repository per public registry (npm-store, pypi-store, maven-central-store, nuget-store) and "default" reading through them, where missing; then list the repositories.',
    examples: ['artifact-cli quickstart', 'artifact-cli quickstart --no-public'],
    options: [
      ['noPublic', 'Create only "local/default", reading from no public registry.'],
      ['offline', 'As --no-public: nothing will be fetched from public registries.'],
    ],
    run: lazy(async () => (await import('../commands/quickstart.js')).quickstart),
  },
  {
    name: 'sync',
    summary: 'Fetch every npm package version a lockfile lists (or --package names) into a repository, for offline installs.',
    examples: [
      'artifact-cli sync --domain my-domain --repository app --from package-lock.json',
      'artifact-cli sync --domain my-domain --repository app --package lodash@^4',
    ],
    options: ['domain', ['repository', 'The repository to fill.'], 'from', 'packageSpecs', 'concurrency'],
    run: lazy(async () => (await import('../commands/sync.js')).sync),
  },
]);
