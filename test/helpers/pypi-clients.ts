/**
 * Shared setup for the end-to-end tests with the real Python clients: a temp root made with
 * the CLI (domain "acme"; app -> team -> pypi-store with public:pypi), a stand-in public index,
 * a running `artifact-cli serve`, a temp HOME whose pip config and .pypirc were written by
 * `artifact-cli login --tool pip|twine`, and fresh virtualenvs on demand. Nothing touches the
 * user's files and no request leaves 127.0.0.1.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startFakePypiIndex, type FakePypiIndex } from './fake-pypi-index.js';
import type { BuiltDist } from './pypi-dist.js';
import { checked, DOMAIN, startClientHarness } from './client-harness.js';
import { runClient, type ClientResult } from './run-client.js';
import type { TestServer } from './server.js';
import { makeTempDir } from './temp-dir.js';

export { DOMAIN };

export type { ClientResult } from './run-client.js';

/** Which clients this machine has; CI installs them all, so a missing one fails there. */
export function findPythonClients(): { python: boolean; twine: boolean } {
  const works = (command: string, args: string[]) => spawnSync(command, args, { stdio: 'ignore', timeout: 30_000 }).status === 0;
  const clients = { python: works('python3', ['-c', 'import venv, ensurepip']), twine: works('twine', ['--version']) };
  for (const [name, found] of Object.entries(clients)) {
    if (found) continue;
    const message = `${name === 'python' ? 'python3 with venv' : 'twine'} is not installed: the PyPI end-to-end tests are skipped (.ci/run installs it).`;
    if (process.env.CI === 'true') throw new Error(message);
    console.warn(`WARNING: ${message}`);
  }
  return clients;
}

export interface PypiClientsSetup {
  root: string;
  home: string;
  index: FakePypiIndex;
  server: TestServer;
  endpoint(repository: string): string;
  /** The environment pip and twine run with: temp HOME and caches, keyring off, nothing inherited but PATH. */
  env: NodeJS.ProcessEnv;
  run(command: string, args: string[], cwd?: string): Promise<ClientResult>;
  runOk(command: string, args: string[], cwd?: string): Promise<ClientResult>;
  cli(args: string[]): Promise<ClientResult>;
  /** Writes distributions into a fresh folder and returns the file paths. */
  writeDists(...dists: BuiltDist[]): string[];
  /** A fresh virtualenv made by `python` (python3 on PATH unless named); returns its pip and python. */
  makeVenv(python?: string): Promise<{ pip: string; python: string }>;
}

/** `root`: where the store lives (a new temp folder unless given). */
export async function setupPypiClients(options: { root?: string } = {}): Promise<PypiClientsSetup> {
  const index = await startFakePypiIndex();
  const { root, home, homeEnv, server, cli } = await startClientHarness({
    prefix: 'pypi',
    chain: ['app', 'team', 'pypi-store'],
    connection: 'public:pypi',
    publicUrl: index.url,
    homeEnv: (dir) => ({ HOME: dir, XDG_CONFIG_HOME: path.join(dir, '.config') }),
    logins: ['pip', 'twine'],
    root: options.root,
  });

  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    ...homeEnv,
    PIP_CACHE_DIR: path.join(home, 'pip-cache'),
    PIP_DISABLE_PIP_VERSION_CHECK: '1',
    PIP_NO_INPUT: '1',
    PYTHON_KEYRING_BACKEND: 'keyring.backends.null.Keyring',
    NO_COLOR: '1',
    // twine prints through rich, which wraps at the terminal width it assumes.
    COLUMNS: '300',
  };
  const run = (command: string, args: string[], cwd = home) => runClient(command, args, cwd, env);
  const runOk = async (command: string, args: string[], cwd = home) => checked(`${command} ${args.join(' ')}`, await run(command, args, cwd));
  return {
    root,
    home,
    index,
    server,
    endpoint: (repository) => `${server.url}/${DOMAIN}/pypi/${repository}/`,
    env,
    run,
    runOk,
    cli,
    writeDists(...dists) {
      const dir = makeTempDir('pypi-e2e-dist-');
      return dists.map((dist) => {
        writeFileSync(path.join(dir, dist.fileName), dist.bytes);
        return path.join(dir, dist.fileName);
      });
    },
    async makeVenv(python = 'python3') {
      const dir = makeTempDir('pypi-e2e-venv-');
      await runOk(python, ['-m', 'venv', dir]);
      return { pip: path.join(dir, 'bin', 'pip'), python: path.join(dir, 'bin', 'python') };
    },
  };
}
