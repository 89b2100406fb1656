/** Builds the commander program and runs it; the only place that sets the exit status. */
import { Command, CommanderError, Option } from 'commander';
import { register as registerDomains } from './commands/domains.js';
import { register as registerRepositories } from './commands/repositories.js';
import { register as registerTags } from './commands/tags.js';
import { register as registerQuickstart } from './commands/quickstart.js';
import { register as registerTokens } from './commands/tokens.js';
import { register as registerServe } from './commands/serve.js';
import { VERSION } from './version.js';

/** Every command group, in the order `--help` lists them. */
const GROUPS = [registerDomains, registerRepositories, registerTags, registerTokens, registerServe, registerQuickstart];

export function buildProgram(): Command {
  const program = new Command('artifact-cli')
    .description('A local, file-based artifact repository manager modelled on AWS CodeArtifact.')
    .version(VERSION, '-v, --version', 'Print the version.')
    .option('--root <dir>', 'Directory that holds the store (else $ARTIFACT_CLI_ROOT, the config file, or the per-user default).')
    .option('--endpoint-url <url>', 'Base URL of the server for endpoints and login, for this command only.')
    .option('--config <file>', 'Read settings from this file instead of searching for one.')
    .addOption(new Option('--output <format>', 'Output format (json when stdout is not a terminal, else table).').choices(['json', 'text', 'table']))
    .option('--query <jmespath>', 'A JMESPath expression applied to the result, as the AWS CLI has it.')
    .option('--debug', 'Print stack traces of unexpected errors.')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const register of GROUPS) register(program);
  return program;
}

export async function run(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    process.exitCode = await reportError(error, argv.includes('--debug'));
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
