/**
 * What a command is, as data: name, group, summary, examples, the options it takes from the
 * shared table, and a `run` that imports the command's code only when it is invoked. The
 * commander program, the lazy loading, --help, shell completion and the command lists in
 * README.md and docs/commands.md are all made from these specs (command-table.ts).
 */
import type { CliContext } from './context.js';
import type { OptionUse } from './option-table.js';

/** The groups, in the order help and the docs list them. */
export const COMMAND_GROUPS = [
  'Domains',
  'Repositories',
  'Packages and versions',
  'Package groups',
  'Policies',
  'Tokens and login',
  'Local server',
  'Maintenance',
] as const;
export type CommandGroup = (typeof COMMAND_GROUPS)[number];

export type OptionValues = Record<string, unknown>;
export type CommandRun = (options: OptionValues, context: CliContext, args: string[]) => Promise<unknown>;

export interface CommandSpec {
  readonly name: string;
  readonly aliases?: readonly string[];
  readonly group: CommandGroup;
  /** One line: what the command does. */
  readonly summary: string;
  /** One or two command lines, each starting `artifact-cli <name>`. */
  readonly examples: readonly string[];
  readonly options: readonly OptionUse[];
  /** A positional argument (get-package-version-asset's outfile, completion's shell). */
  readonly argument?: { readonly name: string; readonly description: string };
  readonly run: CommandRun;
}

/** A run that imports its handler on the first call; the handler's options type is its own. */
export function lazy<Options>(load: () => Promise<(options: Options, context: CliContext, args: string[]) => Promise<unknown>>): CommandRun {
  return async (options, context, args) => (await load())(options as Options, context, args);
}

/** A spec as its group's file writes it: the group is given once, for the whole file. */
export type SpecInGroup = Omit<CommandSpec, 'group'>;

export function inGroup(group: CommandGroup, specs: readonly SpecInGroup[]): CommandSpec[] {
  return specs.map((spec) => ({ ...spec, group }));
}
