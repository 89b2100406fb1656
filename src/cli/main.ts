/** Builds the commander program and runs it; the only place that sets the exit status. */
import { CommanderError, type Command } from 'commander';
import { onStdoutError } from './closed-stdout.js';
import { findCommand } from './command-table.js';
import { expandOptionPrefixes } from './option-prefixes.js';
import { buildProgram, createProgram } from './program.js';
import { registerCommand } from './register-commands.js';
import { VERSION } from './version.js';

/**
 * Start-up cost grows with every command registered, so a run of one known command registers
 * only that one (its code is imported when it runs); help, unknown commands and bare
 * `artifact-cli` register them all.
 */
async function programFor(argv: string[]): Promise<Command> {
  const program = createProgram();
  const commandName = argv.slice(2).find((arg, index, words) => !arg.startsWith('-') && !takesValue(program, words[index - 1]));
  const spec = commandName === undefined ? undefined : findCommand(commandName);
  if (!spec || argv.includes('--help') || argv.includes('-h')) return buildProgram();
  registerCommand(program, spec);
  (await import('./aws-input.js')).addAwsInputOptions(program);
  return program;
}

/** Whether the word is one of the program's options that take a value (so the next word is not the command). */
function takesValue(program: Command, word: string | undefined): boolean {
  return program.options.some((option) => option.long === word && (option.required || option.optional));
}

export async function run(argv: string[]): Promise<void> {
  process.stdout.on('error', onStdoutError);
  // --no-color must also reach what reads only NO_COLOR: the prompts colour through node:util's styleText.
  if (argv.includes('--no-color')) process.env.NO_COLOR = '1';
  let words = argv;
  try {
    if (argv.length === 3 && (argv[2] === '--version' || argv[2] === '-v')) {
      process.stdout.write(`${VERSION}\n`);
      return;
    }
    // Shortened options are written out first: before the command name with the program's
    // options alone (the command is not known yet), then with the command's.
    words = expandOptionPrefixes(argv, createProgram());
    const program = await programFor(words);
    words = expandOptionPrefixes(words, program);
    await program.parseAsync(words);
  } catch (error) {
    process.exitCode = await reportError(error, words.includes('--debug'));
  }
}

async function reportError(error: unknown, debug: boolean): Promise<number> {
  if (error instanceof CommanderError) {
    // Help and --version exit through here with code 0; usage mistakes are validation errors.
    return error.exitCode === 0 ? 0 : 2;
  }
  const { toArtifactError } = await import('../errors.js');
  const { formatError } = await import('./report-error.js');
  const artifactError = toArtifactError(error);
  process.stderr.write(formatError(artifactError, debug));
  return artifactError.exitCode;
}
