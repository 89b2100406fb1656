/**
 * Starts the real `artifact-cli serve` as a child process on a free port, the way a user runs
 * it, and stops it with SIGTERM. Build first (`npm run build`): the CLI runs from dist/.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll } from 'vitest';
import { CLI_PATH } from './run-cli.js';
import { makeTempDir } from './temp-dir.js';

export interface TestServerOptions {
  /** Store root, passed as ARTIFACT_CLI_ROOT. */
  root: string;
  env?: NodeJS.ProcessEnv;
  /** Extra arguments after `serve --port 0`, e.g. ['--allow-anonymous-read']. */
  args?: string[];
}

export interface TestServer {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:43123. */
  url: string;
  /** The child process, for tests that signal it themselves. */
  child: ChildProcess;
  /** Everything the server printed so far. */
  output(): string;
  /** SIGTERM, then wait for the process to exit; resolves to its exit code. */
  stop(): Promise<number | null>;
}

const running = new Set<TestServer>();

afterAll(async () => {
  await Promise.all([...running].map((server) => server.stop()));
});

const READY_LINE = /artifact-cli serving .* at (http:\/\/\S+)/;
const START_TIMEOUT_MS = 20_000;

export function startTestServer(options: TestServerOptions): Promise<TestServer> {
  const home = makeTempDir('artifact-cli-serve-home-');
  mkdirSync(path.join(home, 'work'), { recursive: true });
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    XDG_CONFIG_HOME: path.join(home, '.config'),
    NO_COLOR: '1',
    ARTIFACT_CLI_ROOT: options.root,
    // Machines behind a TLS-inspecting proxy name its CA here; only the opt-in public tests go out.
    ...(process.env.NODE_EXTRA_CA_CERTS ? { NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS } : {}),
    ...options.env,
  };
  const child = spawn(process.execPath, [CLI_PATH, 'serve', '--port', '0', ...(options.args ?? [])], {
    cwd: path.join(home, 'work'),
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`artifact-cli serve did not start within ${START_TIMEOUT_MS} ms:\n${output}`)), START_TIMEOUT_MS);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    child.on('error', fail);
    void exited.then((code) => fail(new Error(`artifact-cli serve exited with ${code} before it was ready:\n${output}`)));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      const match = READY_LINE.exec(output);
      if (!match || server.url) return;
      clearTimeout(timer);
      server.url = match[1].replace(/\/$/, '');
      running.add(server);
      resolve(server);
    });
    const server: TestServer = {
      url: '',
      child,
      output: () => output,
      async stop() {
        running.delete(server);
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        return exited;
      },
    };
  });
}
