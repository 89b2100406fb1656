/** Runs the server in the foreground until SIGINT or SIGTERM. */
import type { Config } from '../../config/config.js';
import { ConflictError, ValidationError } from '../../errors.js';
import { startServer, type RunningServer } from '../../server/serve.js';
import { prepareRoot } from '../../store/prepare-root.js';
import type { Store } from '../../store/store.js';
import { printBanner } from './serve-banner.js';

export interface RunServerOptions {
  quickstart: boolean;
  /** False with --no-public: the quickstart makes no store repositories. */
  withPublic: boolean;
}

export async function runServer(config: Config, store: Store, options: RunServerOptions): Promise<void> {
  if (!Number.isInteger(config.server.port) || config.server.port < 0 || config.server.port > 65535) {
    throw new ValidationError(`--port must be a whole number from 0 to 65535; got ${config.server.port}.`);
  }
  await prepareRoot(store.root);
  const running = await listen(config, store);
  let setUp: string[] = [];
  if (options.quickstart) {
    const { QUICKSTART_DOMAIN, setUpQuickstart } = await import('../../operations/quickstart.js');
    const domains = await store.index.listDomains();
    // An empty root, or one whose "local" an earlier quickstart made; never a domain the user made instead.
    if (domains.length === 0 || domains.includes(QUICKSTART_DOMAIN)) {
      setUp = await setUpQuickstart(store, { withPublic: options.withPublic && !config.offline });
    }
  }
  const publicUrl = config.server.publicUrl?.replace(/\/$/, '') ?? running.url;
  await printBanner(store, publicUrl, setUp, config.offline);
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      process.stdout.write(`${signal} received: finishing in-flight requests\n`);
      void running.close().then(resolve);
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}

/** Starts listening; a port in use or an address not usable is one line naming it, not an internal error. */
async function listen(config: Config, store: Store): Promise<RunningServer> {
  const { host, port } = config.server;
  try {
    return await startServer({ store, config });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new ConflictError(`Port ${port} on ${host} is already in use.`, {
        cause: error,
        hint: `Stop what listens there (another artifact-cli serve?), or pass ${flagAsTyped('--port N')} (--port 0 picks a free port).`,
      });
    }
    if (code === 'EACCES') {
      throw new ValidationError(`Port ${port} on ${host} needs privileges this process does not have.`, {
        cause: error,
        hint: `Pass ${flagAsTyped('--port N')} with N above 1023.`,
      });
    }
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      throw new ValidationError(`${host} is not an address of this machine to listen on.`, {
        cause: error,
        hint: `Pass ${flagAsTyped('--host 127.0.0.1')}, or an address this machine has.`,
      });
    }
    throw error;
  }
}

/**
 * A flag as the user passes it: under `npm start`, `npm start --port N` would give --port to npm
 * itself (as its own config), so the flag must follow `--`.
 */
function flagAsTyped(flag: string): string {
  return process.env.npm_lifecycle_event === 'start' ? `\`npm start -- ${flag}\`` : flag;
}
