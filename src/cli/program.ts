/** The program itself: its name, version and the global options every command takes. */
import { Command, Option } from 'commander';
import { COMMANDS } from './command-table.js';
import { registerCommand } from './register-commands.js';
import { usageErrorText } from './usage-error-text.js';
import { VERSION } from './version.js';

/** Values of --output; shell completion offers them too. */
export const OUTPUT_FORMATS = ['json', 'text', 'table'];

export function createProgram(): Command {
  return new Command('artifact-cli')
    .description('A local, file-based artifact repository manager modelled on AWS CodeArtifact.')
    .version(VERSION, '-v, --version', 'Print the version.')
    .option('--root <dir>', 'Directory that holds the store (else $ARTIFACT_CLI_ROOT, the config file, or the per-user default).')
    .option('--endpoint-url <url>', 'Base URL of the server for endpoints and login, for this command only.')
    .option('--config <file>', 'Read settings from this file instead of searching for one.')
    .addOption(new Option('--output <format>', 'Output format (json when stdout is not a terminal, else table).').choices(OUTPUT_FORMATS))
    .option('--query <jmespath>', 'A JMESPath expression applied to the result, as the AWS CLI has it.')
    .option('--debug', 'Print stack traces of unexpected errors.')
    .option('--no-color', 'Never colour the output (as NO_COLOR=1 does); colour is used only on a terminal.')
    .addHelpText(
      'after',
      '\nRun `artifact-cli <command> --help` for its options and examples; `artifact-cli completion bash|zsh|fish` prints a shell completion script.',
    )
    .configureOutput({ outputError: (text, write) => write(usageErrorText(text)) })
    .exitOverride();
}

/** The program with every command registered (for help, and for tests that walk it). */
export async function buildProgram(): Promise<Command> {
  const program = createProgram();
  for (const spec of COMMANDS) registerCommand(program, spec);
  (await import('./aws-input.js')).addAwsInputOptions(program);
  return program;
}
