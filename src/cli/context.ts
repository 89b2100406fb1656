/** What every command action receives: settings, the store and terminal facts, loaded lazily. */
import { isatty } from 'node:tty';
import type { Command } from 'commander';
import type { Config } from '../config/config.js';
import { ValidationError } from '../errors.js';
import type { Store } from '../store/store.js';

export interface GlobalOptions {
  root?: string;
  endpointUrl?: string;
  config?: string;
  output?: string;
  query?: string;
  debug?: boolean;
}

export interface CliContext {
  readonly globals: GlobalOptions;
  readonly isInteractive: boolean;
  /** The command's name (list-repositories), which titles its table. */
  readonly commandName: string;
  config(): Promise<Config>;
  store(): Promise<Store>;
  /** A value from a flag, else from the config file, else a prompt on a terminal, else an error naming the flag. */
  need(value: string | undefined, flag: string, ask?: () => Promise<string>, fallback?: string): Promise<string>;
}

export function createContext(command: Command): CliContext {
  const globals = command.optsWithGlobals<GlobalOptions>();
  let configPromise: Promise<Config> | undefined;
  let storePromise: Promise<Store> | undefined;
  // isatty rather than process.stdin.isTTY: reading that property sets up a stdin stream.
  const isInteractive = isatty(0) && isatty(1);
  const context: CliContext = {
    globals,
    isInteractive,
    commandName: command.name(),
    config() {
      // Every option goes in: the settings table says which flags carry a setting (--root, serve's --port).
      configPromise ??= import('../config/load-config.js').then(({ loadConfig }) => loadConfig(globals));
      return configPromise;
    },
    store() {
      storePromise ??= Promise.all([context.config(), import('../store/store.js'), import('../formats/registry.js'), import('../store/prepare-root.js')]).then(
        async ([config, { openStore }, { PACKAGE_FORMATS }, { checkRootPath }]) => {
          await checkRootPath(config.root);
          return openStore(config.root, { formats: PACKAGE_FORMATS });
        },
      );
      return storePromise;
    },
    async need(value, flag, ask, fallback) {
      // An empty value is a script's unset variable (--domain "$D"): never the default in its place.
      if (value === '') throw new ValidationError(`${flag} was given an empty value.`, { hint: `Pass a value after ${flag}.` });
      if (value !== undefined) return value;
      if (fallback !== undefined) return fallback;
      if (ask && isInteractive) return ask();
      throw new ValidationError(`${flag} is required.`, { hint: `Pass ${flag} (there is no terminal to ask on).` });
    },
  };
  return context;
}

/** Prints a result in the chosen format; commands that fail after reporting (verify, sync) call it first. */
export async function printResult(result: unknown, context: CliContext): Promise<void> {
  const { chooseOutputFormat, operationTitle, renderResult } = await import('./output.js');
  const { applyQuery } = await import('./query.js');
  const format = chooseOutputFormat(context.globals.output, Boolean(process.stdout.isTTY));
  const options = { title: operationTitle(context.commandName), width: process.stdout.columns || 80 };
  process.stdout.write(renderResult(await applyQuery(result, context.globals.query), format, options));
}
