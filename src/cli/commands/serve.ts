/** `serve`: the embedded HTTP server for every domain and repository under the root. */
import type { Command } from 'commander';
import { keepServingWhenStdoutCloses } from '../closed-stdout.js';
import { action } from '../context.js';

interface ServeOptions {
  host?: string;
  port?: string;
  allowAnonymousRead?: boolean;
  offline?: boolean;
  quickstart?: boolean;
  public?: boolean;
}

export function register(program: Command): void {
  program
    .command('serve')
    .description('Start the HTTP server that npm, pip, Maven, NuGet and the rest talk to.')
    .option('--host <address>', 'Address to bind (default 127.0.0.1).')
    .option('--port <n>', 'Port to listen on (default 8573; 0 picks a free one).')
    .option('--allow-anonymous-read', 'Let requests without a token read packages (writes still need one).')
    .option('--offline', 'Never call upstream registries; serve what is stored.')
    .option('--quickstart', 'Where missing, create the domain "local", a store repository per public registry and "default" reading through them (as the quickstart command does).')
    .option('--no-public', 'With --quickstart: no store repositories; "default" reads from no public registry.')
    .action(
      action<ServeOptions>(async (options, context) => {
        const config = await context.config();
        if (options.host) config.server.host = options.host;
        if (options.port !== undefined) config.server.port = Number(options.port);
        if (options.allowAnonymousRead) config.server.allowAnonymousRead = true;
        if (options.offline) config.offline = true;
        keepServingWhenStdoutCloses();
        const { runServer } = await import('./serve-run.js');
        await runServer(config, await context.store(), { quickstart: Boolean(options.quickstart), withPublic: options.public !== false });
        return undefined;
      }),
    );
}
