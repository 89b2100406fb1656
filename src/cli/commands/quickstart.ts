/** `quickstart`: the domain "local", a store repository per public registry and "default" reading through them. */
import type { CliContext } from '../context.js';

interface QuickstartCliOptions {
  public?: boolean;
  offline?: boolean;
}

export async function quickstart(options: QuickstartCliOptions, context: CliContext): Promise<unknown> {
  const config = await context.config();
  const { prepareRoot } = await import('../../store/prepare-root.js');
  await prepareRoot(config.root);
  const store = await context.store();
  const { QUICKSTART_DOMAIN, setUpQuickstart } = await import('../../operations/quickstart.js');
  const { listRepositories } = await import('../../operations/repositories.js');
  const done = await setUpQuickstart(store, { withPublic: options.public !== false && !options.offline && !config.offline });
  const { repositories } = await listRepositories(store, { domain: QUICKSTART_DOMAIN });
  return { setUp: done, repositories };
}
