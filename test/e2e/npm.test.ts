/**
 * The real npm client against `artifact-cli serve`: publish the fixture packages, install
 * them (a range and a dist-tag included), then dist-tag, deprecate, view, unpublish, whoami,
 * ping and search, checking each result.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { findClient, setupNpmRegistry, type NpmRegistrySetup } from './helpers/npm-clients.js';
import { stringContaining } from '../helpers/matchers.js';
import { parseJson } from '../helpers/json.js';

const npm = findClient('npm');
let setup: NpmRegistrySetup;

/** sha512 SRI of the bytes the store holds for a version, read from the index and blobs/ directly. */
function storedIntegrity(name: string, version: string): string {
  const [namespace, file] = name.startsWith('@') ? [name.slice(1, name.indexOf('/')), name.slice(name.indexOf('/') + 1)] : ['_', name];
  const index = parseJson<{ versions: Record<string, { assets: { hashes: Record<string, string> }[] }> }>(
    readFileSync(path.join(setup.root, 'domains', 'acme', 'repositories', 'main', 'packages', 'npm', namespace, `${file}.json`), 'utf8'),
  );
  const sha256 = index.versions[version].assets[0].hashes['SHA-256'];
  const bytes = readFileSync(path.join(setup.root, 'blobs', 'sha256', sha256.slice(0, 2), sha256.slice(2, 4), sha256));
  return `sha512-${createHash('sha512').update(bytes).digest('base64')}`;
}

describe.skipIf(!npm)('npm against artifact-cli serve', () => {
  const run = (args: string[], cwd = setup.home) => setup.run(npm as string, args, cwd);
  const runOk = (args: string[], cwd = setup.home) => setup.runOk(npm as string, args, cwd);

  beforeAll(async () => {
    setup = await setupNpmRegistry();
    await runOk(['publish'], setup.fixtureCopy('left-pad-lite'));
    await runOk(['publish'], setup.fixtureCopy('left-pad-lite', '1.1.0'));
    await runOk(['publish', '--tag', 'beta'], setup.fixtureCopy('left-pad-lite', '2.0.0-beta.1'));
    await runOk(['publish'], setup.fixtureCopy('acme-util'));
  });

  it('installs a scoped package with its dependency range, and a dist-tag, with matching integrity', async () => {
    const project = setup.emptyProject();
    await runOk(['install', '@acme/util', 'left-pad-lite@beta', '--no-audit', '--no-fund'], project);
    const lock = parseJson<{ packages: Record<string, { version: string; resolved: string; integrity: string }> }>(
      readFileSync(path.join(project, 'package-lock.json'), 'utf8'),
    );
    const packages = lock.packages;
    expect(packages['node_modules/left-pad-lite'].version).toBe('2.0.0-beta.1');
    // @acme/util asks for ^1.0.0, so it gets the newest 1.x nested under it.
    expect(packages['node_modules/@acme/util/node_modules/left-pad-lite'].version).toBe('1.1.0');
    expect(packages['node_modules/@acme/util'].resolved).toBe(`${setup.registry}@acme/util/-/util-1.0.0.tgz`);
    expect(packages['node_modules/@acme/util'].integrity).toBe(storedIntegrity('@acme/util', '1.0.0'));
    expect(packages['node_modules/left-pad-lite'].integrity).toBe(storedIntegrity('left-pad-lite', '2.0.0-beta.1'));
    expect(packages['node_modules/@acme/util/node_modules/left-pad-lite'].integrity).toBe(storedIntegrity('left-pad-lite', '1.1.0'));
    const printed = await setup.runOk(process.execPath, ['-e', "console.log(require('@acme/util').orderNumber(42))"], project);
    expect(printed.stdout.trim()).toBe('#000042');
  });

  it('manages dist-tags', async () => {
    expect((await runOk(['dist-tag', 'ls', 'left-pad-lite'])).stdout).toBe('beta: 2.0.0-beta.1\nlatest: 1.1.0\n');
    await runOk(['dist-tag', 'add', 'left-pad-lite@1.0.0', 'stable']);
    expect((await runOk(['dist-tag', 'ls', 'left-pad-lite'])).stdout).toContain('stable: 1.0.0');
    await runOk(['dist-tag', 'rm', 'left-pad-lite', 'stable']);
    expect((await runOk(['dist-tag', 'ls', 'left-pad-lite'])).stdout).not.toContain('stable');
    const removeLatest = await run(['dist-tag', 'rm', 'left-pad-lite', 'latest']);
    expect(removeLatest.code).not.toBe(0);
    expect(removeLatest.stderr).toMatch(/latest tag cannot be removed/);
  });

  it('deprecates and un-deprecates a version, as npm view shows', async () => {
    await runOk(['deprecate', 'left-pad-lite@1.0.0', 'please use 1.1.0']);
    expect((await runOk(['view', 'left-pad-lite@1.0.0', 'deprecated'])).stdout.trim()).toBe('please use 1.1.0');
    await runOk(['deprecate', 'left-pad-lite@1.0.0', '']);
    expect((await runOk(['view', 'left-pad-lite@1.0.0', 'deprecated'])).stdout.trim()).toBe('');
  });

  it('shows a package with npm view', async () => {
    const view = parseJson<{ dist: { tarball: string; integrity: string } }>((await runOk(['view', '@acme/util', '--json'])).stdout);
    expect(view).toMatchObject({
      name: '@acme/util',
      version: '1.0.0',
      description: stringContaining('Acme'),
      license: 'Apache-2.0',
      dependencies: { 'left-pad-lite': '^1.0.0' },
      'dist-tags': { latest: '1.0.0' },
    });
    expect(view.dist.tarball).toBe(`${setup.registry}@acme/util/-/util-1.0.0.tgz`);
    expect(view.dist.integrity).toBe(storedIntegrity('@acme/util', '1.0.0'));
  });

  it('refuses to publish over an existing version', async () => {
    const again = await run(['publish'], setup.fixtureCopy('left-pad-lite'));
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/previously published version/);
  });

  it('answers whoami, ping and search', async () => {
    // login issues the token for the local user, as get-authorization-token does by default.
    expect((await runOk(['whoami'])).stdout.trim()).toBe(os.userInfo().username);
    expect((await runOk(['ping'])).stderr).toMatch(/PONG/);
    const search = await runOk(['search', 'pad', '--json']);
    expect(parseJson<{ name: string }[]>(search.stdout).map((entry) => entry.name)).toEqual(['left-pad-lite']);
  });

  it('unpublishes one version, then a whole package', async () => {
    await runOk(['unpublish', 'left-pad-lite@2.0.0-beta.1']);
    const view = parseJson<{ versions: string[]; 'dist-tags': Record<string, string> }>(
      (await runOk(['view', 'left-pad-lite', 'versions', 'dist-tags', '--json'])).stdout,
    );
    expect(view.versions).toEqual(['1.0.0', '1.1.0']);
    expect(view['dist-tags']).toEqual({ latest: '1.1.0' });

    await runOk(['unpublish', '@acme/util', '--force']);
    const gone = await run(['view', '@acme/util']);
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toMatch(/E404/);
  });

  it('logs out: the token is revoked and removed from .npmrc', async () => {
    await runOk(['logout']);
    expect(readFileSync(path.join(setup.home, '.npmrc'), 'utf8')).not.toContain(setup.token);
    const response = await fetch(`${setup.registry}-/whoami`, { headers: { authorization: `Bearer ${setup.token}` } });
    expect(response.status).toBe(401);
  });
});
