/**
 * The package and version commands on gems pushed over HTTP (dependencies with their types,
 * summary, readme, licences, home page, assets), and what their status changes, copies and
 * deletions do to the compact index. The CLI runs as its own process on the server's store.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRepository } from '../../../src/operations/repositories.js';
import { buildGem } from '../../helpers/ruby-gem.js';
import { DOMAIN, getWithToken, pushGem, startRubyServer, type RubyTestServer } from '../../helpers/ruby-server.js';
import { runCli } from '../../helpers/run-cli.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

let server: RubyTestServer;
const lib = buildGem({
  name: 'cli_lib',
  version: '1.2.0',
  summary: 'A library for the CLI tests',
  description: 'Longer words about cli_lib.',
  homepage: 'http://example.invalid/cli_lib',
  licenses: ['MIT'],
  dependencies: { base_gem: [['~>', '1.0']] },
  developmentDependencies: { rspec: [['>=', '3']] },
});

async function cli(...args: string[]): Promise<Record<string, unknown>> {
  const result = await runCli([...args, '--domain', DOMAIN], { root: server.root });
  if (result.code !== 0) throw new Error(`artifact-cli ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return result.stdout ? (JSON.parse(result.stdout) as Record<string, unknown>) : {};
}

// The gem most tests below work on, as the CLI names it.
const CLI_LIB_IN_APP = ['--repository', 'app', '--format', 'ruby', '--package', 'cli_lib'];

const info = async (repository: string, name: string) => getWithToken(server, `${server.endpoint(repository)}info/${name}`);

beforeAll(async () => {
  server = await startRubyServer({ repositories: [{ name: 'app' }] });
  await createRepository(server.store, { domain: DOMAIN, repository: 'other' });
  expect((await pushGem(server, 'app', lib.bytes)).status).toBe(200);
  expect((await pushGem(server, 'app', buildGem({ name: 'cli_lib', version: '1.3.0' }).bytes)).status).toBe(200);
});

describe('package and version commands for ruby', () => {
  it('list-packages and list-package-versions show the gem and its versions', async () => {
    const packages = await cli('list-packages', '--repository', 'app', '--format', 'ruby');
    expect(packages.packages).toEqual([expect.objectContaining({ format: 'ruby', package: 'cli_lib' })]);
    const versions = await cli('list-package-versions', '--repository', 'app', '--format', 'ruby', '--package', 'cli_lib');
    expect((versions.versions as { version: string }[]).map((entry) => entry.version).sort()).toEqual(['1.2.0', '1.3.0']);
  });

  it('describe-package-version shows summary, licences and home page; the readme is the description', async () => {
    const described = await cli('describe-package-version', ...CLI_LIB_IN_APP, '--package-version', '1.2.0');
    expect(described.packageVersion).toMatchObject({
      summary: 'A library for the CLI tests',
      homePage: 'http://example.invalid/cli_lib',
      licenses: [{ name: 'MIT' }],
      status: 'Published',
    });
    const readme = await cli('get-package-version-readme', ...CLI_LIB_IN_APP, '--package-version', '1.2.0');
    expect(readme.readme).toBe('Longer words about cli_lib.');
  });

  it('list-package-version-dependencies gives runtime and development dependencies with their requirements', async () => {
    const listed = await cli('list-package-version-dependencies', ...CLI_LIB_IN_APP, '--package-version', '1.2.0');
    expect(listed.dependencies).toEqual([
      { dependencyType: 'runtime', package: 'base_gem', versionRequirement: '~> 1.0' },
      { dependencyType: 'development', package: 'rspec', versionRequirement: '>= 3' },
    ]);
  });

  it('get-package-version-asset writes the .gem with the bytes pushed', async () => {
    const out = path.join(makeTempDir('ruby-cli-asset-'), 'out.gem');
    await cli('get-package-version-asset', ...CLI_LIB_IN_APP, '--package-version', '1.2.0', '--asset', 'cli_lib-1.2.0.gem', out);
    expect(createHash('sha256').update(readFileSync(out)).digest('hex')).toBe(lib.sha256);
  });
});

describe('statuses, copies and deletions in the compact index', () => {
  it('an Unlisted version leaves /info; Published again brings it back', async () => {
    await cli('update-package-versions-status', ...CLI_LIB_IN_APP, '--versions', '1.3.0', '--target-status', 'Unlisted');
    expect(await (await info('app', 'cli_lib')).text()).not.toContain('1.3.0');
    await cli('update-package-versions-status', ...CLI_LIB_IN_APP, '--versions', '1.3.0', '--target-status', 'Published');
    expect(await (await info('app', 'cli_lib')).text()).toContain('1.3.0 |checksum:');
  });

  it('an Archived version is neither listed nor downloadable', async () => {
    await cli('update-package-versions-status', ...CLI_LIB_IN_APP, '--versions', '1.3.0', '--target-status', 'Archived');
    expect(await (await info('app', 'cli_lib')).text()).not.toContain('1.3.0');
    expect((await getWithToken(server, `${server.endpoint('app')}gems/cli_lib-1.3.0.gem`)).status).toBe(404);
  });

  it('copy-package-versions makes the version installable from the other repository, with the same /info line', async () => {
    await cli(
      'copy-package-versions',
      '--source-repository',
      'app',
      '--destination-repository',
      'other',
      '--format',
      'ruby',
      '--package',
      'cli_lib',
      '--versions',
      '1.2.0',
    );
    const copied = await (await info('other', 'cli_lib')).text();
    expect(copied).toBe(`---\n1.2.0 base_gem:~> 1.0|checksum:${lib.sha256},ruby:>= 0,rubygems:>= 0\n`);
    expect((await getWithToken(server, `${server.endpoint('other')}gems/cli_lib-1.2.0.gem`)).status).toBe(200);
  });

  it('delete-package-versions removes the version from /info and its file from the source', async () => {
    await cli('delete-package-versions', '--repository', 'other', '--format', 'ruby', '--package', 'cli_lib', '--versions', '1.2.0');
    expect((await info('other', 'cli_lib')).status).toBe(404);
    expect((await getWithToken(server, `${server.endpoint('other')}gems/cli_lib-1.2.0.gem`)).status).toBe(404);
  });
});
