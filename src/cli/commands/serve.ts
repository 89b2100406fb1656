/** `serve`: the embedded HTTP server for every domain and repository under the root. */
import { keepServingWhenStdoutCloses } from '../closed-stdout.js';
import type { CliContext } from '../context.js';

// --host, --port, --allow-anonymous-read and --offline are settings: the settings table reads
// them into the config (config/definitions.ts).
interface ServeOptions {
  quickstart?: boolean;
  public?: boolean;
}

export async function serve(options: ServeOptions, context: CliContext): Promise<undefined> {
  const config = await context.config();
  keepServingWhenStdoutCloses();
  const { runServer } = await import('./serve-run.js');
  await runServer(config, await context.store(), { quickstart: Boolean(options.quickstart), withPublic: options.public !== false });
  return undefined;
}
