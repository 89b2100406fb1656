/** `serve`: the embedded HTTP server for every domain and repository under the root. */
import { keepServingWhenStdoutCloses } from '../closed-stdout.js';
import type { CliContext } from '../context.js';

interface ServeOptions {
  host?: string;
  port?: number;
  allowAnonymousRead?: boolean;
  offline?: boolean;
  quickstart?: boolean;
  public?: boolean;
}

export async function serve(options: ServeOptions, context: CliContext): Promise<undefined> {
  const config = await context.config();
  if (options.host) config.server.host = options.host;
  if (options.port !== undefined) config.server.port = options.port;
  if (options.allowAnonymousRead) config.server.allowAnonymousRead = true;
  if (options.offline) config.offline = true;
  keepServingWhenStdoutCloses();
  const { runServer } = await import('./serve-run.js');
  await runServer(config, await context.store(), { quickstart: Boolean(options.quickstart), withPublic: options.public !== false });
  return undefined;
}
