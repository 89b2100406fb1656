/**
 * A reader that closes the output early (`artifact-cli list-package-versions ... | head`): the
 * command ends quietly with 0, as the reader chose to stop, and `serve` keeps serving.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLI_PATH } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { DOMAIN, genericKey, makePackageStore, putVersions, versionRecord } from '../operations/packages-fixture.js';

function spawnCli(args: string[], root: string) {
  const home = makeTempDir('artifact-cli-home-');
  const child = spawn(process.execPath, [CLI_PATH, ...args], {
    cwd: home,
    env: { PATH: process.env.PATH, HOME: home, ARTIFACT_CLI_ROOT: root, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, stderr: () => stderr };
}

describe('a reader that closes the output early', () => {
  it('ends a command quietly with exit 0', async () => {
    const { root, store } = await makePackageStore();
    // A page of 1,000 versions is well over what a pipe holds, so the command is still writing.
    await putVersions(
      store,
      genericKey(),
      Array.from({ length: 1000 }, (_, index) => versionRecord(`1.0.${index}`)),
    );
    const cli = spawnCli(
      [
        '--output',
        'json',
        'list-package-versions',
        '--domain',
        DOMAIN,
        '--repository',
        'main',
        '--format',
        'generic',
        '--namespace',
        'ns',
        '--package',
        'tool',
      ],
      root,
    );
    const first = await new Promise<string>((resolve) => cli.child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString())));
    expect(first).toMatch(/^\{/);
    cli.child.stdout.destroy();
    expect(await cli.exited).toBe(0);
    expect(cli.stderr()).toBe('');
  });

  it('does not stop the server, which goes on answering without its log', async () => {
    const { root } = await makePackageStore();
    const server = spawnCli(['serve', '--port', '0'], root);
    const url = await new Promise<string>((resolve) => {
      let seen = '';
      server.child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        seen += chunk;
        const match = /http:\/\/127\.0\.0\.1:\d+/.exec(seen);
        if (match) resolve(match[0]);
      });
    });
    server.child.stdout.destroy();
    // Enough answers to fill and flush the request log more than once.
    for (let i = 0; i < 30; i++) expect((await fetch(`${url}/health`)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await fetch(`${url}/health`)).status).toBe(200);
    expect(server.child.exitCode).toBeNull();
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.stderr()).not.toMatch(/EPIPE|Error/);
  });
});
