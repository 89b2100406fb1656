/**
 * `artifact-cli sync --from package-lock.json` fills an empty repository through its external
 * connection; then, with the public registry gone and the server started with --offline, the
 * real `npm ci` installs the project from what sync stored.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startFakeNpmRegistry, type FakeNpmRegistry } from '../helpers/fake-npm-registry.js';
import { runCli, runCliJson } from '../helpers/run-cli.js';
import { startTestServer } from '../helpers/server.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { findClient, runClient } from './helpers/npm-clients.js';
import { parseJson } from '../helpers/json.js';

const npm = findClient('npm');
let registry: FakeNpmRegistry | undefined;
afterAll(async () => registry?.close());

async function makeRepository(root: string, config: string): Promise<void> {
  await runCliJson(['create-domain', '--domain', 'acme'], { root });
  await runCliJson(['create-repository', '--domain', 'acme', '--repository', 'store'], { root });
  await runCliJson(
    ['associate-external-connection', '--domain', 'acme', '--repository', 'store', '--external-connection', 'public:npmjs', '--config', config],
    { root },
  );
}

describe.skipIf(!npm)('sync, then npm ci offline', () => {
  it('installs a locked project with the public registry gone', async () => {
    registry = await startFakeNpmRegistry();
    registry.add({ name: 'b-lib', version: '1.0.0' });
    registry.add({ name: 'b-lib', version: '1.1.0' });
    registry.add({ name: 'a-lib', version: '1.0.0', dependencies: { 'b-lib': '^1.0.0' } });
    registry.add({ name: '@s/c-lib', version: '2.0.0', dependencies: { 'a-lib': '1.0.0' } });

    const work = makeTempDir('artifact-cli-sync-');
    const config = path.join(work, 'artifact-cli.json');
    writeFileSync(config, JSON.stringify({ externalConnections: { 'public:npmjs': `${registry.url}/` } }));
    const home = path.join(work, 'home');
    const project = path.join(work, 'project');
    mkdirSync(home);
    mkdirSync(project);
    writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'locked-app', version: '1.0.0', private: true }));
    const npmrc = path.join(home, '.npmrc');
    const env = (cache: string) => ({
      PATH: process.env.PATH,
      HOME: home,
      npm_config_userconfig: npmrc,
      npm_config_cache: path.join(work, cache),
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_update_notifier: 'false',
    });
    // Asynchronous on purpose: the stand-in registry answers from this same process.
    const runNpm = (args: string[], cache: string) => runClient(npm as string, args, project, env(cache));
    const login = async (root: string, url: string) => {
      const result = await runCli(['login', '--tool', 'npm', '--domain', 'acme', '--repository', 'store', '--endpoint-url', url], {
        root,
        env: { HOME: home, npm_config_userconfig: npmrc },
      });
      expect(result.code, result.stderr).toBe(0);
    };

    // 1. Online: make the lockfile the way a developer would.
    const online = makeTempDir('artifact-cli-sync-online-');
    await makeRepository(online, config);
    const first = await startTestServer({ root: online, args: ['--config', config] });
    await login(online, first.url);
    const install = await runNpm(['install', '@s/c-lib'], 'cache-1');
    expect(install.code, install.stderr).toBe(0);
    const port = new URL(first.url).port;
    await first.stop();
    const lockfile = path.join(project, 'package-lock.json');
    expect(Object.keys(parseJson<{ packages: Record<string, unknown> }>(readFileSync(lockfile, 'utf8')).packages).sort()).toEqual([
      '',
      'node_modules/@s/c-lib',
      'node_modules/a-lib',
      'node_modules/b-lib',
    ]);

    // 2. A fresh, empty repository filled by sync alone.
    const offline = makeTempDir('artifact-cli-sync-offline-');
    await makeRepository(offline, config);
    const synced = await runCliJson(['sync', '--domain', 'acme', '--repository', 'store', '--from', lockfile, '--config', config], { root: offline });
    expect(synced).toEqual({ fetched: 3, alreadyPresent: 0, failed: [] });
    expect(await runCliJson(['sync', '--domain', 'acme', '--repository', 'store', '--from', lockfile, '--config', config], { root: offline })).toEqual({
      fetched: 0,
      alreadyPresent: 3,
      failed: [],
    });
    const missing = await runCli(['sync', '--domain', 'acme', '--repository', 'store', '--package', 'no-such-lib@1', '--config', config], { root: offline });
    expect(missing.code).toBe(8);
    expect(parseJson<{ failed: unknown[] }>(missing.stdout).failed[0]).toMatchObject({ package: 'no-such-lib' });

    // 3. The registry goes away; the offline server on the lockfile's port serves npm ci.
    await registry.close();
    registry = undefined;
    const server = await startTestServer({ root: offline, args: ['--offline', '--port', port, '--config', config] });
    await login(offline, server.url);
    const ci = await runNpm(['ci'], 'cache-2');
    expect(ci.code, ci.stderr).toBe(0);
    const loaded = await runClient(process.execPath, ['-e', "console.log(require('a-lib'), require('b-lib'), require('@s/c-lib'))"], project, {
      PATH: process.env.PATH,
    });
    expect(loaded.stdout.trim()).toBe('a-lib@1.0.0 b-lib@1.1.0 @s/c-lib@2.0.0');
    await server.stop();
  });
});
