/**
 * public:npmjs on a machine where `artifact-cli login --tool npm` has run: ~/.npmrc names
 * artifact-cli, and `npm start` exports that as npm_config_registry to the server. The public
 * registry (a stand-in on 127.0.0.1) is where a user's npm configuration names it: npm's global
 * npmrc. The server must read it from there, and refuse any URL that leads back to itself.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeNpmRegistry, type FakeNpmRegistry } from '../helpers/fake-npm-registry.js';
import { freePort } from '../helpers/free-port.js';
import { runCli, runCliJson } from '../helpers/run-cli.js';
import { runClient } from '../helpers/run-client.js';
import { startTestServer } from '../helpers/server.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { findClient } from './helpers/npm-clients.js';
import { objectContaining } from '../helpers/matchers.js';
import { parseJson } from '../helpers/json.js';

const npm = findClient('npm');

/** A user's machine: a HOME of its own and npm's global npmrc naming the public registry. */
function userMachine(publicRegistry: string): { home: string; env: NodeJS.ProcessEnv } {
  const home = makeTempDir('npm-after-login-home-');
  const globalNpmrc = path.join(home, 'global-npmrc');
  writeFileSync(globalNpmrc, `registry=${publicRegistry}/\n`);
  return {
    home,
    env: {
      PATH: process.env.PATH,
      HOME: home,
      XDG_CONFIG_HOME: path.join(home, '.config'),
      XDG_DATA_HOME: path.join(home, '.local', 'share'),
      NO_COLOR: '1',
      npm_config_globalconfig: globalNpmrc,
      npm_config_cache: path.join(home, 'npm-cache'),
      npm_config_update_notifier: 'false',
      npm_config_audit: 'false',
      npm_config_fund: 'false',
    },
  };
}

/** local/npm-store holds public:npmjs; local/default reads through it. Made by hand, not by quickstart. */
async function rootWithNpmStore(): Promise<string> {
  const root = makeTempDir('npm-after-login-root-');
  await runCliJson(['create-domain', '--domain', 'local'], { root });
  await runCliJson(['create-repository', '--domain', 'local', '--repository', 'npm-store'], { root });
  await runCliJson(['associate-external-connection', '--domain', 'local', '--repository', 'npm-store', '--external-connection', 'public:npmjs'], { root });
  await runCliJson(['create-repository', '--domain', 'local', '--repository', 'default', '--upstreams', 'repositoryName=npm-store'], { root });
  return root;
}

describe.skipIf(!npm)('public:npmjs after login --tool npm', () => {
  let registry: FakeNpmRegistry;
  beforeAll(async () => {
    registry = await startFakeNpmRegistry();
    registry.add({ name: 'is-number', version: '7.0.0' });
  });
  afterAll(() => registry.close());

  it('installs a public package although ~/.npmrc and npm_config_registry name artifact-cli', async () => {
    const root = await rootWithNpmStore();
    const { home, env } = userMachine(registry.url);
    const port = await freePort();
    const self = `http://127.0.0.1:${port}/local/npm/default/`;
    // As under `npm start` after a login: npm exports the user's registry to the scripts it runs.
    const server = await startTestServer({ root, env: { ...env, npm_config_registry: self }, args: ['--port', String(port)] });
    const login = await runCli(['login', '--tool', 'npm', '--domain', 'local', '--repository', 'default', '--endpoint-url', server.url], { root, env });
    expect(login.stderr).toBe('');
    expect(readFileSync(path.join(home, '.npmrc'), 'utf8')).toContain(`registry=${self}`);

    const project = path.join(home, 'project');
    mkdirSync(project);
    // Its own package.json: without one npm installs into the nearest ancestor holding a node_modules.
    writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'project', version: '1.0.0', private: true }));
    const install = await runClient(npm as string, ['install', 'is-number@7.0.0'], project, env);
    expect(install.code, `${install.stdout}\n${install.stderr}\n${server.output()}`).toBe(0);
    expect(parseJson<{ version: string }>(readFileSync(path.join(project, 'node_modules', 'is-number', 'package.json'), 'utf8')).version).toBe('7.0.0');
    expect(registry.requests).toContain('/is-number');
    const versions = await runCliJson<{ versions: { version: string; origin: { originType: string } }[] }>(
      ['list-package-versions', '--domain', 'local', '--repository', 'npm-store', '--format', 'npm', '--package', 'is-number'],
      { root },
    );
    expect(versions.versions).toEqual([objectContaining({ version: '7.0.0', origin: objectContaining({ originType: 'EXTERNAL' }) })]);
  }, 120_000);

  it('refuses public:npmjs set to the server itself, at once and saying so', async () => {
    const root = await rootWithNpmStore();
    const { home, env } = userMachine(registry.url);
    const port = await freePort();
    const configFile = path.join(home, 'artifact-cli.json');
    writeFileSync(configFile, JSON.stringify({ externalConnections: { 'public:npmjs': `http://localhost:${port}/local/npm/default/` } }));
    // Anonymous reads: the request that used to come back to the server waited out the upstream time limit.
    const server = await startTestServer({ root, env, args: ['--port', String(port), '--config', configFile, '--allow-anonymous-read'] });
    const asked = registry.requests.length;
    const response = await fetch(`${server.url}/local/npm/default/is-number`, { signal: AbortSignal.timeout(20_000) });
    const body = await response.text();
    expect(response.status).toBe(502);
    expect(body).toContain(`public:npmjs points at this artifact-cli server itself (http://localhost:${port}/local/npm/default/)`);
    expect(body).not.toContain(root);
    expect(registry.requests.length).toBe(asked);
    expect(existsSync(path.join(home, '.npmrc'))).toBe(false);
  }, 60_000);
});
