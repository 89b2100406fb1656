/** Runs the built CLI as a separate process, the way a user or a script would. */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTempDir } from './temp-dir.js';

export const PROJECT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI_PATH = path.join(PROJECT_DIR, 'bin', 'artifact-cli.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Store root, passed as ARTIFACT_CLI_ROOT (tests that exercise --root pass the flag themselves). */
  root?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  input?: string;
}

/**
 * Spawns `node bin/artifact-cli.js ...args`. HOME and the working directory are temp dirs so a
 * developer's own config file or store can never leak into a test; stdin and stdout are pipes,
 * so the CLI sees no terminal.
 */
export function runCli(args: string[], options: RunOptions = {}): Promise<CliResult> {
  const home = makeTempDir('artifact-cli-home-');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    XDG_CONFIG_HOME: path.join(home, '.config'),
    NO_COLOR: '1',
    ...(options.root ? { ARTIFACT_CLI_ROOT: options.root } : {}),
    ...options.env,
  };
  const cwd = options.cwd ?? path.join(home, 'work');
  mkdirSync(cwd, { recursive: true });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_PATH, ...args], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/** Runs the CLI and parses its JSON output, failing with the CLI's stderr when it did not succeed. */
export async function runCliJson<T = Record<string, unknown>>(args: string[], options: RunOptions = {}): Promise<T> {
  const result = await runCli(args, options);
  if (result.code !== 0) throw new Error(`artifact-cli ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}
