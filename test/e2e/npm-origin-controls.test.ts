/**
 * The dependency-substitution attack with the real npm client: @acme/util 1.0.0 is published
 * internally, the stand-in public registry offers @acme/util 99.0.0, and `npm install` through
 * the repository still gets 1.0.0. put-package-origin-configuration can open the door on purpose.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startFakeNpmRegistry, type FakeNpmRegistry } from '../helpers/fake-npm-registry.js';
import { runCli, runCliJson } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { DOMAIN, findClient, REPOSITORY, setupNpmRegistry } from './helpers/npm-clients.js';
import { parseJson } from '../helpers/json.js';

/** The part of package-lock.json the test reads. */
interface PackageLock {
  packages: Record<string, { version: string }>;
}

const npm = findClient('npm');
let registry: FakeNpmRegistry | undefined;
afterAll(async () => registry?.close());

describe.skipIf(!npm)('origin controls with the real npm client', () => {
  it('keeps a public 99.0.0 out of an internally published package', async () => {
    registry = await startFakeNpmRegistry();
    registry.add({ name: 'public-only', version: '1.0.0' });
    const config = path.join(makeTempDir('artifact-cli-origin-'), 'artifact-cli.json');
    writeFileSync(config, JSON.stringify({ externalConnections: { 'public:npmjs': `${registry.url}/` } }));
    const setup = await setupNpmRegistry(['--config', config]);
    const associate = await runCli(['associate-external-connection', '--domain', DOMAIN, '--repository', REPOSITORY, '--external-connection', 'public:npmjs'], {
      root: setup.root,
    });
    expect(associate.code, associate.stderr).toBe(0);

    await setup.runOk(npm as string, ['publish'], setup.fixtureCopy('left-pad-lite'));
    await setup.runOk(npm as string, ['publish'], setup.fixtureCopy('acme-util'));
    // The attacker's version appears on the public registry after the internal publish.
    registry.add({ name: '@acme/util', version: '99.0.0' });
    const project = setup.emptyProject();
    await setup.runOk(npm as string, ['install', '@acme/util', 'public-only', '--no-audit', '--no-fund'], project);
    const lock = parseJson<PackageLock>(readFileSync(path.join(project, 'package-lock.json'), 'utf8'));
    expect(lock.packages['node_modules/@acme/util'].version).toBe('1.0.0');
    expect(lock.packages['node_modules/public-only'].version).toBe('1.0.0');
    const view = parseJson<string[]>((await setup.runOk(npm as string, ['view', '@acme/util', 'versions', '--json'], project)).stdout);
    expect(view).not.toContain('99.0.0');
    expect(registry.requests.some((request) => request.includes('util-99.0.0.tgz'))).toBe(false);

    const described = await runCliJson<{ package: { originConfiguration: { restrictions: Record<string, string> } } }>(
      ['describe-package', '--domain', DOMAIN, '--repository', REPOSITORY, '--format', 'npm', '--namespace', 'acme', '--package', 'util'],
      { root: setup.root },
    );
    expect(described.package.originConfiguration.restrictions).toEqual({ publish: 'ALLOW', upstream: 'BLOCK' });

    // An administrator can let upstream versions in deliberately.
    const opened = await runCliJson(
      [
        'put-package-origin-configuration',
        '--domain',
        DOMAIN,
        '--repository',
        REPOSITORY,
        '--format',
        'npm',
        '--namespace',
        '@acme',
        '--package',
        'util',
        '--restrictions',
        'publish=ALLOW,upstream=ALLOW',
      ],
      { root: setup.root },
    );
    expect(opened).toEqual({ originConfiguration: { restrictions: { publish: 'ALLOW', upstream: 'ALLOW' } } });
    const after = parseJson<string[]>((await setup.runOk(npm as string, ['view', '@acme/util', 'versions', '--json'], project)).stdout);
    expect(after).toEqual(['1.0.0', '99.0.0']);
  });

  it('refuses bad restrictions with a one-line error', async () => {
    const root = makeTempDir('artifact-cli-origin-cli-');
    await runCliJson(['create-domain', '--domain', 'acme'], { root });
    await runCliJson(['create-repository', '--domain', 'acme', '--repository', 'main'], { root });
    const base = ['put-package-origin-configuration', '--domain', 'acme', '--repository', 'main', '--format', 'npm', '--package', 'x'];
    for (const restrictions of ['publish=ALLOW', 'publish=MAYBE,upstream=ALLOW', 'publish=ALLOW,upstream=ALLOW,extra=1']) {
      const result = await runCli([...base, '--restrictions', restrictions], { root });
      expect(result.code).toBe(2);
      expect(result.stderr.split('\n')[0]).toMatch(/^error Validation: --restrictions/);
    }
    const unknownRepository = ['put-package-origin-configuration', '--domain', 'acme', '--repository', 'nope', '--format', 'npm', '--package', 'x'];
    expect((await runCli([...unknownRepository, '--restrictions', 'publish=ALLOW,upstream=ALLOW'], { root })).code).toBe(5);
  });
});
