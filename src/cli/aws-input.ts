/**
 * What the AWS CLI does with a command's input before the call, for every command that is one
 * of CodeArtifact's operations: file:// values, JSON or shorthand for list and structure flags,
 * --cli-input-json and --generate-cli-skeleton (docs/aws-cli-input.md). Each flag's value is
 * read by its shape in the service model and written back in one form, so the command's own
 * code reads every flag the same way, whichever form the user wrote.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import { Option, type Command } from 'commander';
import { ValidationError } from '../errors.js';
import type { InputMember, InputShape } from './aws-input-shape-types.js';
import { AWS_INPUTS } from './aws-input-shapes.js';
import { checkShape, parseFlagValue, parseJson, toFlagValue } from './aws-values.js';

// As in the AWS CLI: a command that writes its answer to a file (`outfile`) has neither.
const WITHOUT_INPUT_JSON = new Set(['get-package-version-asset']);

export function inputMembersOf(command: Command): readonly InputMember[] | undefined {
  return Object.hasOwn(AWS_INPUTS, command.name()) ? AWS_INPUTS[command.name()] : undefined;
}

/** Adds --cli-input-json and --generate-cli-skeleton to the commands that are API operations. */
export function addAwsInputOptions(program: Command): void {
  for (const command of program.commands) {
    if (!inputMembersOf(command) || WITHOUT_INPUT_JSON.has(command.name())) continue;
    command.option(
      '--cli-input-json <json>',
      'Take the input from this JSON object (or file://path), as --generate-cli-skeleton prints it; flags given as well win.',
    );
    command.addOption(
      new Option('--generate-cli-skeleton [input]', 'Print a JSON skeleton of the input, to fill in for --cli-input-json, and do nothing else.')
        .choices(['input', 'output'])
        .preset('input'),
    );
  }
}

/**
 * Reads the command's flags (and --cli-input-json) into the form its code expects. Returns the
 * skeleton to print instead of running the command, when --generate-cli-skeleton asks for one.
 */
export async function applyAwsInput(command: Command, options: Record<string, unknown>): Promise<string | undefined> {
  const members = inputMembersOf(command);
  if (!members) return undefined;
  if (options.generateCliSkeleton !== undefined) {
    if (options.generateCliSkeleton === 'output') {
      throw new ValidationError('--generate-cli-skeleton output is not supported; only the input skeleton is.', {
        hint: 'Run the command itself to see its output.',
      });
    }
    const skeleton = Object.fromEntries(members.map((member) => [member.name, skeletonOf(member.shape)]));
    return `${JSON.stringify(skeleton, null, 4)}\n`;
  }
  for (const member of members) {
    const option = optionFor(command, member);
    if (!option || options[option.attributeName()] === undefined) continue;
    const key = option.attributeName();
    const raw = member.shape === 'blob' ? options[key] : await readFileValues(options[key], member.flag);
    const value = parseFlagValue(member.shape, raw, member.flag);
    checkShape(value, member.shape, member.flag);
    options[key] = toFlagValue(member.shape, value, option.variadic);
  }
  if (typeof options.cliInputJson === 'string') await mergeInputJson(command, members, options, options.cliInputJson);
  return undefined;
}

/** The call parameters these flags make, read as applyAwsInput left them: member name -> value. */
export function awsInputOf(command: Command, options: Record<string, unknown>): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const member of inputMembersOf(command) ?? []) {
    const option = optionFor(command, member);
    const value = option && options[option.attributeName()];
    if (value !== undefined) input[member.name] = parseFlagValue(member.shape, value, member.flag);
  }
  return input;
}

/** The JSON's members fill the flags that were not given; one given on the command line wins. */
async function mergeInputJson(command: Command, members: readonly InputMember[], options: Record<string, unknown>, text: string): Promise<void> {
  const input = parseJson((await readFileValue(text, '--cli-input-json')) ?? text, '--cli-input-json');
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ValidationError('--cli-input-json must hold a JSON object, as --generate-cli-skeleton prints it.');
  }
  for (const [name, value] of Object.entries(input)) {
    const member = members.find((candidate) => candidate.name === name);
    const option = member && optionFor(command, member);
    if (!member || !option) {
      throw new ValidationError(
        `--cli-input-json has an unknown parameter ${JSON.stringify(name)}; ${command.name()} takes ${members.map((known) => known.name).join(', ')}.`,
      );
    }
    // null is the skeleton's placeholder for a file's content (assetContent): not given.
    if (value === null || command.getOptionValueSource(option.attributeName()) === 'cli') continue;
    try {
      checkShape(value, member.shape, name);
    } catch (error) {
      throw new ValidationError(`--cli-input-json: ${(error as Error).message}`);
    }
    options[option.attributeName()] = toFlagValue(member.shape, value, option.variadic);
  }
}

function optionFor(command: Command, member: InputMember): Option | undefined {
  return command.options.find((option) => option.long === member.flag);
}

/** A placeholder of the shape, as the AWS CLI's skeleton has it (an enum shows its first value). */
function skeletonOf(shape: InputShape): unknown {
  if (typeof shape === 'string') {
    return { string: '', integer: 0, long: 0, boolean: true, blob: null }[shape];
  }
  if ('enum' in shape) return shape.enum[0];
  if ('list' in shape) return [skeletonOf(shape.list)];
  if ('map' in shape) return { KeyName: skeletonOf(shape.map) };
  return Object.fromEntries(Object.entries(shape.structure).map(([name, member]) => [name, skeletonOf(member)]));
}

async function readFileValues(raw: unknown, flag: string): Promise<unknown> {
  if (typeof raw === 'string') return (await readFileValue(raw, flag)) ?? raw;
  if (Array.isArray(raw))
    return Promise.all(raw.map(async (value: unknown) => (typeof value === 'string' ? ((await readFileValue(value, flag)) ?? value) : value)));
  return raw;
}

/** The text of `file://path` or `fileb://path` (`~` is the home directory), as the AWS CLI reads any value; else undefined. */
async function readFileValue(value: string, flag: string): Promise<string | undefined> {
  const match = /^fileb?:\/\/(.+)$/s.exec(value);
  if (!match) return undefined;
  const file = match[1].startsWith('~/') ? `${os.homedir()}${match[1].slice(1)}` : match[1];
  try {
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    throw new ValidationError(`Cannot read ${file} for ${flag}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
  }
}
