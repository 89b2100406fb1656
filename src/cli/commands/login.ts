/** `login`: point a package manager at a repository, with a fresh token, as `aws codeartifact login` does. */
import type { Command } from 'commander';
import { action, type CliContext } from '../context.js';

interface LoginOptions {
  tool?: string;
  domain?: string;
  domainOwner?: string;
  repository?: string;
  namespace?: string;
  durationSeconds?: string;
  endpointType?: string;
  mirror: boolean;
  registryName?: string;
  dryRun?: boolean;
  profile?: string;
  principal?: string;
}

export function register(program: Command): void {
  program
    .command('login')
    .description("Write a token and the repository's URL into a package manager's user config.")
    .option('--tool <tool>', 'npm, pnpm, yarn, pip, twine, maven, gradle, nuget, dotnet, cargo, or aws (an access key profile for the AWS CLI and SDKs).')
    .option('--domain <name>', 'The domain.')
    .option('--domain-owner <account>', 'Accepted for AWS CLI compatibility.')
    .option('--repository <name>', 'The repository.')
    .option('--namespace <scope>', "npm, pnpm and yarn: set only this scope's registry (the '@' is added when missing).")
    .option('--duration-seconds <n>', 'Token lifetime: 0 (the default of 43200) or 900 to 43200.')
    .option('--endpoint-type <type>', 'ipv4 or dualstack; accepted for AWS CLI compatibility, both give the same URL.')
    .option('--no-mirror', "maven: don't add the mirror of '*' that sends every download through artifact-cli.")
    .option('--registry-name <name>', 'cargo: the registry name in ~/.cargo/config.toml (default <domain>-<repository>).')
    .option('--dry-run', 'Print what would be written, token included, and change no file.')
    .option('--profile <name>', "aws: the profile to write (default artifact-cli).")
    .option('--principal <name>', 'aws: who the access key speaks for (default: the local user name).')
    .action(
      action<LoginOptions>(async (options, context) => {
        const config = await context.config();
        if (options.tool === 'aws') return loginAws(options, context);
        if (options.profile !== undefined || options.principal !== undefined) {
          const { ValidationError } = await import('../../errors.js');
          throw new ValidationError('--profile and --principal are only for --tool aws.');
        }
        const { LOGIN_TOOLS } = await import('../../login/login-tools.js');
        const tool = await context.need(options.tool, '--tool', async () => {
          const { select } = await import('@inquirer/prompts');
          return select({ message: 'Package manager', choices: LOGIN_TOOLS.map((name) => ({ value: name })) });
        });
        const domain = await context.need(options.domain, '--domain', undefined, config.domain);
        const repository = await context.need(options.repository, '--repository', undefined, config.repository);
        const { performLogin } = await import('../../login/perform-login.js');
        const { createLoginContext } = await import('../../login/login-context.js');
        const loginContext = createLoginContext(process.env);
        const result = await performLogin(
          await context.store(),
          config,
          {
            tool,
            domain,
            repository,
            namespace: options.namespace,
            durationSeconds: options.durationSeconds,
            endpointType: options.endpointType,
            mirror: options.mirror,
            registryName: options.registryName,
            dryRun: Boolean(options.dryRun),
          },
          loginContext,
        );
        // Like the AWS CLI, login talks to people; the result object is for --output json and --query.
        if (context.globals.output === 'json' || context.globals.query) return result;
        const { formatLoginReport } = await import('../../login/login-report.js');
        process.stdout.write(formatLoginReport(result, loginContext.now()));
        return undefined;
      }),
    );
}

/** `login --tool aws`: an access key profile in ~/.aws/ instead of a package manager's config. */
async function loginAws(options: LoginOptions, context: CliContext): Promise<unknown> {
  const { performAwsLogin, formatAwsLoginReport } = await import('../../login/aws-login.js');
  const { createLoginContext } = await import('../../login/login-context.js');
  const result = await performAwsLogin(
    await context.store(),
    await context.config(),
    { profile: options.profile, principal: options.principal, dryRun: Boolean(options.dryRun) },
    createLoginContext(process.env),
  );
  if (context.globals.output === 'json' || context.globals.query) return result;
  process.stdout.write(formatAwsLoginReport(result));
  return undefined;
}
