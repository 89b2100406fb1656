/** Builds the commander program and runs it; the only place that sets the exit status. */
import { Command, CommanderError, Option } from 'commander';
import { onStdoutError } from './closed-stdout.js';
import { COMMAND_GROUPS } from './command-index.js';
import { expandOptionPrefixes } from './option-prefixes.js';
import { VERSION } from './version.js';

type GroupModule = { register(program: Command): void };

/** Every command group, in the order `--help` lists them; each is imported only when needed. */
export const GROUP_LOADERS: Record<string, () => Promise<GroupModule>> = {
  domains: () => import('./commands/domains.js'),
  repositories: () => import('./commands/repositories.js'),
  tags: () => import('./commands/tags.js'),
  tokens: () => import('./commands/tokens.js'),
  'access-keys': () => import('./commands/access-keys.js'),
  login: () => import('./commands/login.js'),
  packages: () => import('./commands/packages.js'),
  'origin-configuration': () => import('./commands/origin-configuration.js'),
  'package-groups': () => import('./commands/package-groups.js'),
  'permissions-policies': () => import('./commands/permissions-policies.js'),
  'package-versions': () => import('./commands/package-versions.js'),
  'package-versions-batch': () => import('./commands/package-versions-batch.js'),
  generic: () => import('./commands/generic.js'),
  maintenance: () => import('./commands/maintenance.js'),
  sync: () => import('./commands/sync.js'),
  serve: () => import('./commands/serve.js'),
  quickstart: () => import('./commands/quickstart.js'),
};

function createProgram(): Command {
  return new Command('artifact-cli')
    .description('A local, file-based artifact repository manager modelled on AWS CodeArtifact.')
    .version(VERSION, '-v, --version', 'Print the version.')
    .option('--root <dir>', 'Directory that holds the store (else $ARTIFACT_CLI_ROOT, the config file, or the per-user default).')
    .option('--endpoint-url <url>', 'Base URL of the server for endpoints and login, for this command only.')
    .option('--config <file>', 'Read settings from this file instead of searching for one.')
    .addOption(new Option('--output <format>', 'Output format (json when stdout is not a terminal, else table).').choices(['json', 'text', 'table']))
    .option('--query <jmespath>', 'A JMESPath expression applied to the result, as the AWS CLI has it.')
    .option('--debug', 'Print stack traces of unexpected errors.')
    .option('--no-color', 'Never colour the output (as NO_COLOR=1 does); colour is used only on a terminal.')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
}

/** The program with every command registered (for help, and for tests that walk it). */
export async function buildProgram(): Promise<Command> {
  const program = createProgram();
  for (const load of Object.values(GROUP_LOADERS)) (await load()).register(program);
  (await import('./aws-input.js')).addAwsInputOptions(program);
  return program;
}

/**
 * Start-up cost grows with every command module loaded, so a run of one known command loads
 * only its group; help, unknown commands and bare `artifact-cli` load them all.
 */
async function programFor(argv: string[]): Promise<Command> {
  const commandName = argv.slice(2).find((arg) => !arg.startsWith('-') && !isOptionValue(argv, arg));
  const group = commandName === undefined ? undefined : COMMAND_GROUPS[commandName];
  if (!group || argv.includes('--help') || argv.includes('-h')) return buildProgram();
  const program = createProgram();
  (await GROUP_LOADERS[group]()).register(program);
  (await import('./aws-input.js')).addAwsInputOptions(program);
  return program;
}

// Global options that take a value: their value is not the command name.
const VALUE_OPTIONS = new Set(['--root', '--endpoint-url', '--config', '--output', '--query']);

function isOptionValue(argv: string[], arg: string): boolean {
  const index = argv.indexOf(arg);
  return index > 0 && VALUE_OPTIONS.has(argv[index - 1]);
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
