/**
 * Turns command specs into commander commands: options from the shared table, the group and
 * examples for --help, and an action that reads the values by the table before the command runs.
 */
import { Option, type Command } from 'commander';
import type { CommandSpec, OptionValues } from './command-spec.js';
import { createContext, printResult } from './context.js';
import { OPTIONS, longFlag, type OptionSpec, type OptionUse } from './option-table.js';
import { readOptionValue } from './option-values.js';

export function registerCommand(program: Command, spec: CommandSpec): Command {
  const command = program.command(spec.name).description(spec.summary).helpGroup(`${spec.group}:`);
  for (const alias of spec.aliases ?? []) command.alias(alias);
  for (const use of spec.options) command.addOption(optionFor(use));
  if (spec.argument) command.argument(`<${spec.argument.name}>`, spec.argument.description);
  command.addHelpText('after', `\nExamples:\n${spec.examples.map((example) => `  $ ${example}`).join('\n')}\n`);
  return command.action(actionFor(spec));
}

/** The option spec and the help line a use of it has. */
export function resolveOption(use: OptionUse): { spec: OptionSpec; description: string } {
  const [name, description] = typeof use === 'string' ? [use, undefined] : use;
  const spec: OptionSpec = OPTIONS[name];
  return { spec, description: description ?? spec.description };
}

function optionFor(use: OptionUse): Option {
  const { spec, description } = resolveOption(use);
  const option = new Option(spec.flags, `${description}${valueNote(spec)}`);
  if (spec.list) return option.argParser(collect);
  // Checked as typed, so the error echoes the user's word (the action checks again after --cli-input-json).
  if (spec.integer || spec.choices) return option.argParser((value: string) => readOptionValue(spec, value));
  return option;
}

function valueNote(spec: OptionSpec): string {
  if (spec.choices) return ` (${spec.choices.join(', ')})`;
  if (spec.integer) return ` (${spec.integer.min} to ${spec.integer.max})`;
  return '';
}

/** Collects repeated or space-separated values of a list option. */
function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function actionFor(spec: CommandSpec) {
  return async (...params: unknown[]): Promise<void> => {
    const command = params[params.length - 1] as Command;
    const options = params[params.length - 2] as OptionValues;
    const args = params.slice(0, -2) as string[];
    const { applyAwsInput } = await import('./aws-input.js');
    const skeleton = await applyAwsInput(command, options);
    if (skeleton !== undefined) {
      process.stdout.write(skeleton);
      return;
    }
    readOptionValues(spec, command, options);
    const context = createContext(command);
    const { checkQuery } = await import('./query.js');
    await checkQuery(context.globals.query);
    const result = await spec.run(options, context, args);
    if (result !== undefined) await printResult(result, context);
  };
}

/** Numbers and enums as the table says, whether typed or taken from --cli-input-json. */
function readOptionValues(spec: CommandSpec, command: Command, options: OptionValues): void {
  for (const use of spec.options) {
    const { spec: option } = resolveOption(use);
    if (!option.integer && !option.choices) continue;
    const key = command.options.find((candidate) => candidate.long === longFlag(option))?.attributeName();
    if (key !== undefined) options[key] = readOptionValue(option, options[key]);
  }
}
