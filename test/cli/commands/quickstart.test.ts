/**
 * `quickstart` (and `serve --quickstart`, what `npm start` runs) make local/default read the
 * public registries through one store repository each, unless told not to; what exists keeps
 * what its owner set.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLI_PATH, runCliJson } from '../../helpers/run-cli.js';
import { startTestServer } from '../../helpers/server.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

interface Described {
  repository: { name: string; upstreams: { repositoryName: string }[]; externalConnections: { externalConnectionName: string }[]; description?: string };
}

const STORES = [
  ['npm-store', 'public:npmjs'],
  ['pypi-store', 'public:pypi'],
  ['maven-central-store', 'public:maven-central'],
  ['nuget-store', 'public:nuget-org'],
] as const;

async function describe_(root: string, repository: string): Promise<Described['repository']> {
  return (await runCliJson<Described>(['describe-repository', '--domain', 'local', '--repository', repository], { root })).repository;
}

describe('quickstart', () => {
  it('makes a store repository per public registry and default reading through them in order', async () => {
    const root = makeTempDir('quickstart-root-');
    const first = await runCliJson<{ setUp: string[]; repositories: { name: string }[] }>(['quickstart'], { root });
    expect(first.repositories.map((entry) => entry.name).sort()).toEqual(['default', 'maven-central-store', 'npm-store', 'nuget-store', 'pypi-store']);
    expect(first.setUp).toContain('created local/default, reading through npm-store, pypi-store, maven-central-store, nuget-store');
    for (const [repository, connection] of STORES) {
      expect((await describe_(root, repository)).externalConnections.map((entry) => entry.externalConnectionName)).toEqual([connection]);
    }
    const main = await describe_(root, 'default');
    expect(main.upstreams.map((entry) => entry.repositoryName)).toEqual(STORES.map(([repository]) => repository));
    expect(main.externalConnections).toEqual([]);
    // Again: nothing left to do.
    expect((await runCliJson<{ setUp: string[] }>(['quickstart'], { root })).setUp).toEqual([]);
  });

  it('leaves an existing store as its owner set it, and a default with upstreams too', async () => {
    const root = makeTempDir('quickstart-root-');
    await runCliJson(['create-domain', '--domain', 'local'], { root });
    await runCliJson(['create-repository', '--domain', 'local', '--repository', 'npm-store', '--description', 'mine, no connection'], { root });
    await runCliJson(['create-repository', '--domain', 'local', '--repository', 'default', '--upstreams', 'repositoryName=npm-store'], { root });
    const result = await runCliJson<{ setUp: string[] }>(['quickstart'], { root });
    expect(result.setUp).toEqual([
      'created local/pypi-store with the external connection public:pypi',
      'created local/maven-central-store with the external connection public:maven-central',
      'created local/nuget-store with the external connection public:nuget-org',
    ]);
    const npmStore = await describe_(root, 'npm-store');
    expect(npmStore.description).toBe('mine, no connection');
    expect(npmStore.externalConnections).toEqual([]);
    expect((await describe_(root, 'default')).upstreams.map((entry) => entry.repositoryName)).toEqual(['npm-store']);
  });

  it('gives the stores to a default an earlier quickstart left reading nothing', async () => {
    const root = makeTempDir('quickstart-root-');
    await runCliJson(['create-domain', '--domain', 'local'], { root });
    await runCliJson(['create-repository', '--domain', 'local', '--repository', 'default'], { root });
    const result = await runCliJson<{ setUp: string[] }>(['quickstart'], { root });
    expect(result.setUp.at(-1)).toBe('made local/default read through npm-store, pypi-store, maven-central-store, nuget-store');
    expect((await describe_(root, 'default')).upstreams).toHaveLength(4);
  });

  it.each([
    ['--no-public', ['quickstart', '--no-public'], {}],
    ['--offline', ['quickstart', '--offline'], {}],
    ['offline in the environment', ['quickstart'], { ARTIFACT_CLI_OFFLINE: '1' }],
  ])('with %s makes default alone, reading nothing public', async (_label, args, env) => {
    const root = makeTempDir('quickstart-root-');
    const result = await runCliJson<{ repositories: { name: string }[] }>(args, { root, env });
    expect(result.repositories.map((entry) => entry.name)).toEqual(['default']);
    expect((await describe_(root, 'default')).upstreams).toEqual([]);
  });

  it('names a root it cannot use', () => {
    // Killed if it spins: Node's recursive mkdir never returns under /proc.
    const result = spawnSync(process.execPath, [CLI_PATH, 'quickstart', '--root', '/proc/artifact-cli-store'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: makeTempDir('quickstart-home-'), NO_COLOR: '1' },
      timeout: 20_000,
      killSignal: 'SIGKILL',
    });
    expect(result.stderr.split('\n')[0]).toBe('error Validation: The store root /proc/artifact-cli-store cannot be created (ENOENT).');
    expect(result.status).toBe(2);
  });
});

describe('serve --quickstart', () => {
  it('sets up the stores on an empty root and says what it did', async () => {
    const root = makeTempDir('quickstart-serve-root-');
    const server = await startTestServer({ root, args: ['--quickstart'] });
    await expect.poll(() => server.output()).toContain('--tool nuget');
    const output = server.output();
    expect(output).toContain('Quickstart:\n  created the domain local\n  created local/npm-store with the external connection public:npmjs\n');
    expect(output).toContain('  created local/default, reading through npm-store, pypi-store, maven-central-store, nuget-store\n');
    expect(output).toContain('  local/default (reads through npm-store, pypi-store, maven-central-store, nuget-store)\n');
    expect(output).toMatch(/login --tool npm --domain local --repository default --endpoint-url http:\/\/127\.0\.0\.1:\d+\n/);
  });

  it('with --no-public makes default alone', async () => {
    const root = makeTempDir('quickstart-serve-root-');
    const server = await startTestServer({ root, args: ['--quickstart', '--no-public'] });
    await expect.poll(() => server.output()).toContain('--tool nuget');
    expect(server.output()).toContain('  local/default\n');
    expect(server.output()).not.toContain('npm-store');
  });

  it('says it is offline on a root whose default reads the public registries', async () => {
    const root = makeTempDir('quickstart-serve-root-');
    await runCliJson(['quickstart'], { root });
    const server = await startTestServer({ root, args: ['--quickstart', '--offline'] });
    await expect.poll(() => server.output()).toContain('--tool nuget');
    expect(server.output()).toContain('Offline: no upstream registry is asked; what is cached is served.\n');
    expect(server.output()).toContain('  local/default (reads through npm-store, pypi-store, maven-central-store, nuget-store)\n');
    const online = await startTestServer({ root, args: ['--quickstart'] });
    await expect.poll(() => online.output()).toContain('--tool nuget');
    expect(online.output()).not.toContain('Offline');
  });

  // Another terminal has neither this server's ARTIFACT_CLI_ROOT nor its --root.
  it('prints login lines that name a root other than the default, and they run as printed elsewhere', async () => {
    const root = makeTempDir('quickstart-serve-root-');
    const server = await startTestServer({ root, args: ['--quickstart', '--no-public'] });
    await expect.poll(() => server.output()).toContain('--tool nuget');
    const line = server
      .output()
      .split('\n')
      .map((entry) => entry.trim())
      .find((entry) => entry.includes(' login --tool npm '));
    expect(line).toContain(` --root ${root} login --tool npm `);
    const home = makeTempDir('quickstart-other-home-');
    const run = spawnSync('sh', ['-c', `${line} --dry-run`], { env: { PATH: process.env.PATH, HOME: home, NO_COLOR: '1' }, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('.npmrc');
  });

  it("leaves a root of the user's own domains alone", async () => {
    const root = makeTempDir('quickstart-serve-root-');
    await runCliJson(['create-domain', '--domain', 'acme'], { root });
    await runCliJson(['create-repository', '--domain', 'acme', '--repository', 'main'], { root });
    const server = await startTestServer({ root, args: ['--quickstart'] });
    await expect.poll(() => server.output()).toContain('--tool nuget');
    expect(server.output()).not.toContain('local/');
    expect(server.output()).not.toContain('Quickstart:');
  });
});
