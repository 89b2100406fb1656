/**
 * What shell completion offers, read off the whole program (every command of the table with
 * its options, and the global options): command names and summaries, each command's flags,
 * and the values a flag takes where there is a fixed list or a file to name.
 */
import type { Command, Option } from 'commander';
import { OPTIONS, longFlag } from './option-table.js';

export interface CompletionOption {
  readonly flag: string;
  readonly description: string;
  /** Whether a value follows the flag. */
  readonly takesValue: boolean;
  /** The values it takes, where they are a fixed list. */
  readonly choices?: readonly string[];
  /** Whether the value names a file or directory. */
  readonly file: boolean;
}

export interface CompletionCommand {
  readonly names: readonly string[];
  readonly summary: string;
  readonly options: readonly CompletionOption[];
}

export interface CompletionModel {
  readonly commands: readonly CompletionCommand[];
  readonly globals: readonly CompletionOption[];
}

const CHOICES = new Map<string, readonly string[]>(
  Object.values(OPTIONS).flatMap((spec) => ('choices' in spec ? [[longFlag(spec), spec.choices] as const] : [])),
);

export function completionModel(program: Command): CompletionModel {
  return {
    commands: program.commands.map((command) => ({
      names: [command.name(), ...command.aliases()],
      summary: command.description(),
      options: command.options.map(optionOf),
    })),
    globals: [...program.options.map(optionOf), { flag: '--help', description: 'Show help.', takesValue: false, file: false }],
  };
}

function optionOf(option: Option): CompletionOption {
  const flag = option.long ?? option.flags;
  const choices = option.argChoices ?? CHOICES.get(flag);
  return {
    flag,
    description: option.description,
    takesValue: option.required || option.optional,
    ...(choices ? { choices } : {}),
    file: /<(file|dir|lockfile)>/.test(option.flags),
  };
}

/** Every flag of the model that takes a value, once, with what it takes. */
export function valueFlags(model: CompletionModel): CompletionOption[] {
  const byFlag = new Map<string, CompletionOption>();
  for (const option of [...model.globals, ...model.commands.flatMap((command) => command.options)]) {
    if (option.takesValue && !byFlag.has(option.flag)) byFlag.set(option.flag, option);
  }
  return [...byFlag.values()];
}
