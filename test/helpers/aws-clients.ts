/**
 * The real AWS CLIs for the API tests: Debian's awscli (2.x, which .ci/run installs) and, where
 * the machine has one, the 1.x `aws` on PATH (pip's or pyenv's). A missing 2.x fails in CI; a
 * missing 1.x is a loud skip everywhere, since CI machines have only Debian's package.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { runClient, type ClientResult } from './run-client.js';

export interface AwsClient {
  label: string;
  command: string;
  major: 1 | 2;
  /** What the command needs from the environment to start at all (pyenv's shims need PYENV_ROOT). */
  env: NodeJS.ProcessEnv;
}

function versionOf(command: string, env: NodeJS.ProcessEnv): string | undefined {
  const result = spawnSync(command, ['--version'], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
  return result.status === 0 ? `${result.stdout}${result.stderr}`.trim() : undefined;
}

function onPath(name: string): string[] {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .map((dir) => path.join(dir, name))
    .filter((file) => existsSync(file));
}

export function findAwsClients(): AwsClient[] {
  const clients: AwsClient[] = [];
  const seen = new Set<string>();
  for (const command of ['/usr/bin/aws', ...onPath('aws')]) {
    if (!existsSync(command)) continue;
    const real = realpathSync(command);
    if (seen.has(real)) continue;
    seen.add(real);
    // A pyenv shim finds its Python through PYENV_ROOT, which the tests' temp HOME would hide.
    const shims = path.dirname(command);
    const env: NodeJS.ProcessEnv =
      path.basename(shims) === 'shims'
        ? { PYENV_ROOT: path.dirname(shims), ...(process.env.PYENV_VERSION ? { PYENV_VERSION: process.env.PYENV_VERSION } : {}) }
        : {};
    const version = versionOf(command, env);
    const major = version?.match(/^aws-cli\/(\d+)\./)?.[1];
    if ((major === '1' || major === '2') && !clients.some((client) => client.major === Number(major))) {
      clients.push({ label: version!.split(' ')[0], command, major: Number(major) as 1 | 2, env });
    }
  }
  if (!clients.some((client) => client.major === 2)) {
    const message = "Debian's awscli (2.x) is not installed: the AWS CLI tests of the API skip it (.ci/run installs it).";
    if (process.env.CI === 'true') throw new Error(message);
    console.warn(`WARNING: ${message}`);
  }
  if (!clients.some((client) => client.major === 1)) console.warn('WARNING: no AWS CLI 1.x on PATH: the API tests run with 2.x only.');
  return clients;
}

export interface AwsRun {
  client: AwsClient;
  home: string;
  /** Extra environment: the key pair, the region, the config files. */
  env: NodeJS.ProcessEnv;
}

/**
 * Runs `aws ...args` with a temp HOME, no pager, and nothing from the user's own AWS files.
 * A variable set to undefined in `run.env` is left out (to let a profile's region count).
 */
export function runAws(run: AwsRun, args: string[], cwd = run.home): Promise<ClientResult> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: run.home,
    AWS_CONFIG_FILE: path.join(run.home, '.aws', 'config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(run.home, '.aws', 'credentials'),
    AWS_PAGER: '',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_DEFAULT_REGION: 'us-east-1',
    ...run.client.env,
    ...run.env,
  };
  return runClient(run.client.command, args, cwd, Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined)));
}
