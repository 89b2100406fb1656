/**
 * The real AWS CLI as a parser: test/helpers/aws-cli-parse.py runs it in-process on argument
 * lists and stops each just before its request, so a test can compare how `aws` reads a command
 * line (call parameters, skeletons, errors) with how artifact-cli reads it. Nothing is sent.
 * Both the AWS CLI 1.x of the Python on PATH and Debian's awscli (2.x, /usr/bin/python3) are
 * used when present; CI installs Debian's, so none at all fails there.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { PROJECT_DIR } from './run-cli.js';
import { makeTempDir } from './temp-dir.js';

export interface AwsCli {
  python: string;
  version: string;
}

export interface AwsParse {
  code: number;
  /** The call parameters it built, or null when it stopped before (an error, a skeleton). */
  params: Record<string, unknown> | null;
  stdout: string;
  stderr: string;
}

const SCRIPT = path.join(PROJECT_DIR, 'test', 'helpers', 'aws-cli-parse.py');

// No credentials or config of the user's: a temp HOME and fake keys (no request is ever made).
function awsEnv(): NodeJS.ProcessEnv {
  const home = makeTempDir('aws-home-');
  return {
    PATH: process.env.PATH,
    HOME: home,
    AWS_CONFIG_FILE: path.join(home, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'credentials'),
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'secret',
    AWS_PAGER: '',
  };
}

/** Each distinct AWS CLI the Pythons here can import. */
export function findAwsClis(): AwsCli[] {
  const found: AwsCli[] = [];
  for (const python of ['python3', '/usr/bin/python3']) {
    const result = spawnSync(python, ['-c', 'import awscli; print(awscli.__version__)'], { encoding: 'utf8', env: awsEnv(), timeout: 60_000 });
    const version = result.status === 0 ? result.stdout.trim() : '';
    if (version && !found.some((cli) => cli.version === version)) found.push({ python, version });
  }
  if (found.length === 0) {
    const message = 'No AWS CLI (Python module awscli) is installed: the comparisons with its parsing are skipped (.ci/run installs awscli).';
    if (process.env.CI === 'true') throw new Error(message);
    console.warn(`WARNING: ${message}`);
  }
  return found;
}

/** Runs `aws <args>` for each argument list, in one process, up to the moment it would send. */
export function awsParse(cli: AwsCli, cases: string[][]): AwsParse[] {
  const result = spawnSync(cli.python, [SCRIPT], {
    input: JSON.stringify(cases),
    encoding: 'utf8',
    env: awsEnv(),
    timeout: 300_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`aws-cli-parse.py failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as AwsParse[];
}

/** True when this AWS CLI does not know the command (an older model than the one artifact-cli follows). */
export function unknownCommand(parse: AwsParse): boolean {
  return parse.code !== 0 && /Invalid choice/.test(parse.stderr);
}
