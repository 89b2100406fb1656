/**
 * What `serve` says before it serves: a port in use and a root it cannot use are one error line
 * each (not an internal error, not a server that says it serves and then fails or spins), and
 * the banner names the repositories there are and a login line per format.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI_PATH, runCliJson } from '../helpers/run-cli.js';
import { startTestServer } from '../helpers/server.js';
import { makeTempDir } from '../helpers/temp-dir.js';

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `serve` expecting it to stop by itself; a server that serves (or spins) instead is killed and fails the test. */
function serveExpectingExit(args: string[], options: { uid?: number; home?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Outcome> {
  const home = options.home ?? makeTempDir('serve-startup-home-');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_PATH, 'serve', ...args], {
      cwd: home,
      env: { PATH: process.env.PATH, HOME: home, NO_COLOR: '1', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 20_000,
      killSignal: 'SIGKILL',
      ...(options.uid !== undefined ? { uid: options.uid, gid: options.uid } : {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const listeners: Server[] = [];
afterAll(() => Promise.all(listeners.map((server) => new Promise((resolve) => server.close(resolve)))));

describe('serve refuses what it cannot use, before it says it serves', () => {
  it('names a port in use and --port, with the Conflict exit code', async () => {
    const taken = createServer();
    listeners.push(taken);
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    const result = await serveExpectingExit(['--root', makeTempDir('serve-startup-root-'), '--port', String(port)]);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `error Conflict: Port ${port} on 127.0.0.1 is already in use.\nhint: Stop what listens there (another artifact-cli serve?), or pass --port N (--port 0 picks a free port).\n`,
    );
    expect(result.code).toBe(6);
  });

  it('gives the port hint as npm start takes it, when npm start runs serve', async () => {
    // `npm start --port N` hands --port to npm, not to serve: the hint said just "pass --port N".
    const taken = createServer();
    listeners.push(taken);
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    const result = await serveExpectingExit(['--root', makeTempDir('serve-startup-root-'), '--port', String(port)], { env: { npm_lifecycle_event: 'start' } });
    expect(result.stderr.split('\n')[1]).toBe(
      'hint: Stop what listens there (another artifact-cli serve?), or pass `npm start -- --port N` (--port 0 picks a free port).',
    );
    expect(result.code).toBe(6);
  });

  it('names a root that is a file', async () => {
    const file = path.join(makeTempDir('serve-startup-file-'), 'store');
    writeFileSync(file, 'not a directory');
    const result = await serveExpectingExit(['--root', file, '--port', '0']);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')[0]).toBe(`error Validation: The store root ${file} is not a directory.`);
    expect(result.code).toBe(2);
  });

  it('names a root under a file', async () => {
    const file = path.join(makeTempDir('serve-startup-file-'), 'store');
    writeFileSync(file, 'not a directory');
    const result = await serveExpectingExit(['--root', path.join(file, 'inside'), '--port', '0']);
    expect(result.stderr.split('\n')[0]).toBe(`error Validation: The store root ${path.join(file, 'inside')} is under ${file}, which is not a directory.`);
    expect(result.code).toBe(2);
  });

  // Node's recursive mkdir never returns under /proc: the old server spun there for ever.
  it.each(['/proc/artifact-cli-store', '/proc'])('names a root at %s, without spinning', async (root) => {
    const result = await serveExpectingExit(['--root', root, '--port', '0']);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')[0]).toMatch(new RegExp(`^error Validation: The store root ${root} (cannot be created|is not writable) \\(E[A-Z]+\\)\\.$`));
    expect(result.code).toBe(2);
  });

  // root may write anywhere: then the server runs as nobody, for whom the directory is read-only,
  // if nobody can read this checkout (not so under a home of mode 0700).
  const uid = process.getuid?.() === 0 ? 65534 : undefined;
  const canRun =
    uid === undefined ||
    spawnSync(process.execPath, ['-e', `require('fs').accessSync(${JSON.stringify(CLI_PATH)})`], { uid, gid: uid, stdio: 'ignore' }).status === 0;
  if (!canRun) console.warn(`SKIPPED: running as root and user ${uid} cannot read ${CLI_PATH}, so no root can be made unwritable for the server.`);

  it.skipIf(!canRun)('names a root it may not write', async () => {
    const base = makeTempDir('serve-startup-ro-');
    const home = path.join(base, 'home');
    const readOnly = path.join(base, 'read-only');
    mkdirSync(home);
    mkdirSync(readOnly);
    chmodSync(base, 0o755);
    chmodSync(home, 0o777);
    chmodSync(readOnly, 0o555);
    const result = await serveExpectingExit(['--root', path.join(readOnly, 'store'), '--port', '0'], { uid, home });
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')[0]).toBe(`error Validation: The store root ${path.join(readOnly, 'store')} cannot be created (EACCES).`);
    expect(result.code).toBe(2);
  });
});

describe('the serve banner', () => {
  it('lists the repositories there are and a login line per format, for one that reads through the others', async () => {
    const root = makeTempDir('serve-banner-root-');
    await runCliJson(['create-domain', '--domain', 'acme'], { root });
    await runCliJson(['create-repository', '--domain', 'acme', '--repository', 'store'], { root });
    await runCliJson(['associate-external-connection', '--domain', 'acme', '--repository', 'store', '--external-connection', 'public:pypi'], { root });
    await runCliJson(['create-repository', '--domain', 'acme', '--repository', 'team', '--upstreams', 'repositoryName=store'], { root });
    const server = await startTestServer({ root });
    await expect.poll(() => server.output()).toContain('--tool nuget');
    const lines = server.output().split('\n');
    expect(lines).toContain('  acme/store (external connection public:pypi)');
    expect(lines).toContain('  acme/team (reads through store)');
    for (const tool of ['npm', 'pip', 'maven', 'nuget']) {
      expect(
        lines.some((line) => line.endsWith(`artifact-cli.js --root ${root} login --tool ${tool} --domain acme --repository team --endpoint-url ${server.url}`)),
      ).toBe(true);
    }
    expect(server.output()).not.toContain('local/default');
  });
});
