/**
 * pnpm and Yarn 1 install what npm published to `artifact-cli serve`, reading the same
 * .npmrc (registry and token), and pin the integrity of the stored tarballs in their lockfiles.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { DOMAIN, findClient, REPOSITORY, setupNpmRegistry, type NpmRegistrySetup } from './helpers/npm-clients.js';
import { responseJson } from '../helpers/json.js';

const npm = findClient('npm');
const pnpm = findClient('pnpm');
const yarn = findClient('yarn');

let setup: NpmRegistrySetup;
/** name@version -> dist.integrity as the server reports it. */
const integrity = new Map<string, string>();

beforeAll(async () => {
  if (!npm || !(pnpm || yarn)) return;
  setup = await setupNpmRegistry();
  await setup.runOk(npm, ['publish'], setup.fixtureCopy('left-pad-lite'));
  await setup.runOk(npm, ['publish'], setup.fixtureCopy('left-pad-lite', '1.2.0'));
  await setup.runOk(npm, ['publish', '--tag', 'next'], setup.fixtureCopy('left-pad-lite', '2.0.0'));
  await setup.runOk(npm, ['publish'], setup.fixtureCopy('acme-util'));
  for (const name of ['left-pad-lite', '@acme/util']) {
    const response = await fetch(`${setup.registry}${name.replace('/', '%2f')}`, { headers: { authorization: `Bearer ${setup.token}` } });
    const document = await responseJson<{ versions: Record<string, { dist: { integrity: string } }> }>(response);
    for (const [version, manifest] of Object.entries(document.versions)) integrity.set(`${name}@${version}`, manifest.dist.integrity);
  }
});

describe.skipIf(!npm || !pnpm)('pnpm install', () => {
  it('installs a scoped package, a range and a dist-tag, with integrity from the server', async () => {
    const project = setup.emptyProject({ '@acme/util': '^1.0.0', 'left-pad-lite': 'next' });
    await setup.runOk(pnpm as string, ['install', '--reporter=append-only'], project);
    const lock = readFileSync(path.join(project, 'pnpm-lock.yaml'), 'utf8');
    for (const key of ['@acme/util@1.0.0', 'left-pad-lite@1.2.0', 'left-pad-lite@2.0.0']) {
      expect(lock).toMatch(new RegExp(`'?${escape(key)}'?:\\s*\\n\\s*resolution: \\{integrity: ${escape(integrity.get(key) as string)}\\}`));
    }
    const printed = await setup.runOk(process.execPath, ['-e', "console.log(require('@acme/util').orderNumber(7))"], project);
    expect(printed.stdout.trim()).toBe('#000007');
  });
});

describe.skipIf(!npm || !yarn)('yarn (classic) install', () => {
  it('installs a scoped package, a range and a dist-tag, with integrity from the server', async () => {
    const project = setup.emptyProject({ '@acme/util': '^1.0.0', 'left-pad-lite': 'next' });
    // Yarn 1 sends the token with unscoped packages only when always-auth is set, which
    // `login --tool yarn` adds for this registry when the yarn on PATH is Yarn 1: this one.
    const login = await runCli(['login', '--tool', 'yarn', '--domain', DOMAIN, '--repository', REPOSITORY, '--endpoint-url', setup.server.url], {
      root: setup.root,
      env: {
        HOME: setup.home,
        npm_config_userconfig: setup.env.npm_config_userconfig,
        PATH: `${path.dirname(yarn as string)}${path.delimiter}${process.env.PATH}`,
      },
    });
    expect(login.code, login.stderr).toBe(0);
    expect(readFileSync(setup.env.npm_config_userconfig as string, 'utf8')).toContain(':always-auth=true');
    await setup.runOk(yarn as string, ['install', '--non-interactive', '--no-progress'], project);
    const lock = readFileSync(path.join(project, 'yarn.lock'), 'utf8');
    for (const key of ['@acme/util@1.0.0', 'left-pad-lite@1.2.0', 'left-pad-lite@2.0.0']) {
      const [, version] = /@([^@]+)$/.exec(key) as RegExpExecArray;
      const name = key.slice(0, -(version.length + 1));
      expect(lock).toMatch(
        new RegExp(
          `version "${escape(version)}"\\n\\s*resolved "${escape(setup.registry)}${escape(name)}/-/[^"]+"\\n\\s*integrity ${escape(integrity.get(key) as string)}`,
        ),
      );
    }
    const printed = await setup.runOk(process.execPath, ['-e', "console.log(require('@acme/util').orderNumber(7))"], project);
    expect(printed.stdout.trim()).toBe('#000007');
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
