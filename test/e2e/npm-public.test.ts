/**
 * Opt-in (ARTIFACT_CLI_TEST_PUBLIC_NPM=1): installs a small real package through public:npmjs,
 * which reads its URL from npm's own configuration. Off by default: tests never need the internet.
 */
import { describe, expect, it } from 'vitest';
import { runCliJson } from '../helpers/run-cli.js';
import { findClient, setupNpmRegistry } from './helpers/npm-clients.js';
import { objectContaining } from '../helpers/matchers.js';

const enabled = process.env.ARTIFACT_CLI_TEST_PUBLIC_NPM === '1';
const npm = enabled ? findClient('npm') : undefined;

describe.skipIf(!enabled || !npm)('npm through public:npmjs (opt-in)', () => {
  it('installs a package from the public registry and retains it', async () => {
    const setup = await setupNpmRegistry();
    await runCliJson(['associate-external-connection', '--domain', 'acme', '--repository', 'main', '--external-connection', 'public:npmjs'], {
      root: setup.root,
    });
    const project = setup.emptyProject({ 'is-number': '7.0.0' });
    await setup.runOk(npm as string, ['install', '--no-audit', '--no-fund'], project);
    const versions = await runCliJson<{ versions: { version: string; origin: { originType: string } }[] }>(
      ['list-package-versions', '--domain', 'acme', '--repository', 'main', '--format', 'npm', '--package', 'is-number'],
      { root: setup.root },
    );
    expect(versions.versions).toEqual([objectContaining({ version: '7.0.0', origin: objectContaining({ originType: 'EXTERNAL' }) })]);
  }, 120_000);
});
