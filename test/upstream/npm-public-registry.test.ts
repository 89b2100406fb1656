/**
 * public:npmjs reads npm's registry from npm's global and built-in configuration only: never
 * from ~/.npmrc, a project's .npmrc or npm_config_registry, which `artifact-cli login --tool npm`
 * (and `npm start`, which exports the user's settings) point at artifact-cli itself.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readNpmPublicRegistry, withoutRegistryOverrides } from '../../src/upstream/npm-public-registry.js';
import { makeTempDir } from '../helpers/temp-dir.js';

describe('withoutRegistryOverrides', () => {
  it('drops npm_config_registry in any case and keeps the rest', () => {
    expect(withoutRegistryOverrides({ npm_config_registry: 'a', NPM_CONFIG_REGISTRY: 'b', npm_config_globalconfig: 'c', PATH: 'd' })).toEqual({
      npm_config_globalconfig: 'c',
      PATH: 'd',
    });
  });
});

describe('readNpmPublicRegistry', () => {
  const saved = { ...process.env };
  const savedCwd = process.cwd();
  afterAll(() => {
    process.env = saved;
    process.chdir(savedCwd);
  });

  it('takes the global npmrc over the user npmrc, a project .npmrc and npm_config_registry', async () => {
    const dir = makeTempDir('npm-public-registry-');
    const home = path.join(dir, 'home');
    const project = path.join(dir, 'project');
    mkdirSync(home);
    mkdirSync(project);
    // What login and npm start leave behind: every one of these names artifact-cli.
    writeFileSync(path.join(home, '.npmrc'), 'registry=http://127.0.0.1:8573/local/npm/default/\n');
    writeFileSync(path.join(project, 'package.json'), '{"name":"p","version":"1.0.0"}');
    writeFileSync(path.join(project, '.npmrc'), 'registry=http://127.0.0.1:8573/project/npm/default/\n');
    writeFileSync(path.join(dir, 'global-npmrc'), 'registry=http://127.0.0.1:4873/\n');
    process.env = {
      PATH: saved.PATH,
      HOME: home,
      npm_config_cache: path.join(dir, 'cache'),
      npm_config_update_notifier: 'false',
      npm_config_globalconfig: path.join(dir, 'global-npmrc'),
      npm_config_userconfig: path.join(home, '.npmrc'),
      npm_config_registry: 'http://127.0.0.1:8573/local/npm/default/',
    };
    process.chdir(project);
    await expect(readNpmPublicRegistry()).resolves.toBe('http://127.0.0.1:4873/');
  }, 60_000);
});
