/** `login`: point a package manager at a repository, with a fresh token, as `aws codeartifact login` does. */
import type { CliContext } from '../context.js';

interface LoginOptions {
  tool?: string;
  domain?: string;
  repository?: string;
  namespace?: string;
  scopeFile?: string;
  durationSeconds?: number;
  endpointType?: string;
  mirror: boolean;
  registryName?: string;
  dryRun?: boolean;
  profile?: string;
  principal?: string;
}

export async function login(options: LoginOptions, context: CliContext): Promise<unknown> {
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
  const request = {
    tool,
    domain,
    repository,
    namespace: options.namespace,
    scopeFile: options.scopeFile,
    durationSeconds: options.durationSeconds === undefined ? undefined : String(options.durationSeconds),
    endpointType: options.endpointType,
    mirror: options.mirror,
    registryName: options.registryName,
    dryRun: Boolean(options.dryRun),
  };
  const result = await performLogin(await context.store(), config, request, loginContext);
  // Like the AWS CLI, login talks to people; the result object is for --output json and --query.
  if (context.globals.output === 'json' || context.globals.query) return result;
  const { formatLoginReport } = await import('../../login/login-report.js');
  process.stdout.write(formatLoginReport(result, loginContext.now()));
  return undefined;
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
