/**
 * The package and version commands as a user runs them: the built CLI in a child process
 * (run `npm run build` first), JSON on stdout, one `error CODE: message` line and an exit status
 * on failure.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PackageFormat } from '../../src/core/model.js';
import { runCli, runCliJson } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { DOMAIN, genericKey, makePackageStore, putVersions, sha256, versionRecord } from '../operations/packages-fixture.js';
import { anyValue } from '../helpers/matchers.js';
import { parseJson } from '../helpers/json.js';

const WHERE = ['--domain', DOMAIN, '--repository', 'main'];
const TOOL = [...WHERE, '--format', 'generic', '--namespace', 'ns', '--package', 'tool'];

async function writeFile(content: string): Promise<string> {
  const file = path.join(makeTempDir(), 'asset.bin');
  await fs.writeFile(file, content);
  return file;
}

async function publish(root: string, version: string, content: string, extra: string[] = []) {
  const file = await writeFile(content);
  return runCli(
    [
      'publish-package-version',
      ...TOOL,
      '--package-version',
      version,
      '--asset-name',
      'tool.bin',
      '--asset-content',
      file,
      '--asset-sha256',
      sha256(content),
      ...extra,
    ],
    { root },
  );
}

function expectError(result: { code: number | null; stderr: string }, exitCode: number, pattern: RegExp): void {
  expect(result.code).toBe(exitCode);
  expect(result.stderr.split('\n')[0]).toMatch(pattern);
}

describe('publish-package-version (generic)', () => {
  it('publishes from a file and reports the version, revision and asset', async () => {
    const { root } = await makePackageStore();
    const result = await publish(root, '1.0', 'cli bytes', ['--unfinished']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      format: 'generic',
      namespace: 'ns',
      package: 'tool',
      version: '1.0',
      status: 'Unfinished',
      asset: { name: 'tool.bin', size: 9 },
    });
    expect(parseJson<{ status: string }>((await publish(root, '1.0', 'cli bytes')).stdout).status).toBe('Published');
  });

  it('exits 2 and stores nothing when the digest does not match', async () => {
    const { root, store } = await makePackageStore();
    const file = await writeFile('actual');
    const result = await runCli(
      ['publish-package-version', ...TOOL, '--package-version', '1.0', '--asset-name', 'a.bin', '--asset-content', file, '--asset-sha256', sha256('announced')],
      { root },
    );
    expectError(result, 2, /^error Validation: The SHA256 digest of the content does not match/);
    expect(await store.index.getPackage(genericKey())).toBeUndefined();
    expect(await store.blobs.size(sha256('actual'))).toBeUndefined();
  });

  it('refuses other formats, missing files and missing flags with exit 2', async () => {
    const { root } = await makePackageStore();
    const file = await writeFile('x');
    const base = ['--package-version', '1.0', '--asset-name', 'a.bin', '--asset-sha256', sha256('x')];
    expectError(
      await runCli(['publish-package-version', ...WHERE, '--format', 'npm', '--package', 'p', '--asset-content', file, ...base], { root }),
      2,
      /generic packages only/,
    );
    expectError(await runCli(['publish-package-version', ...TOOL, '--asset-content', path.join(file, 'nope'), ...base], { root }), 2, /is not a readable file/);
    expectError(
      await runCli(['publish-package-version', ...TOOL, '--asset-content', file, '--package-version', '1.0', '--asset-name', 'a.bin'], { root }),
      2,
      /--asset-sha256 is required/,
    );
  });

  it('exits 6 for other bytes under an existing asset name', async () => {
    const { root } = await makePackageStore();
    await publish(root, '1.0', 'first');
    expectError(await publish(root, '1.0', 'second'), 6, /^error Conflict: /);
  });
});

describe('reading packages and versions', () => {
  it('lists, describes and downloads what was published', async () => {
    const { root } = await makePackageStore();
    await publish(root, '1.0', 'one');
    await publish(root, '2.0', 'two');
    const listed = await runCliJson<{ packages: unknown[] }>(['list-packages', ...WHERE, '--format', 'generic'], { root });
    expect(listed.packages).toEqual([
      { format: 'generic', namespace: 'ns', package: 'tool', originConfiguration: { restrictions: { publish: 'ALLOW', upstream: 'BLOCK' } } },
    ]);
    expect(await runCliJson(['describe-package', ...TOOL], { root })).toMatchObject({ package: { format: 'generic', namespace: 'ns', name: 'tool' } });

    const versions = await runCliJson<{ versions: { version: string }[]; defaultDisplayVersion: string }>(
      ['list-package-versions', ...TOOL, '--max-results', '1'],
      { root },
    );
    expect(versions).toMatchObject({ defaultDisplayVersion: '2.0', versions: [{ version: '1.0', status: 'Published' }], nextToken: anyValue(String) });
    const described = await runCliJson<{ packageVersion: { revision: string } }>(['describe-package-version', ...TOOL, '--package-version', '2.0'], { root });
    expect(described.packageVersion).toMatchObject({ packageName: 'tool', displayName: 'ns:tool', version: '2.0', status: 'Published' });
    const assets = await runCliJson(['list-package-version-assets', ...TOOL, '--package-version', '2.0'], { root });
    expect(assets).toMatchObject({ versionRevision: described.packageVersion.revision, assets: [{ name: 'tool.bin', size: 3 }] });

    const outfile = path.join(makeTempDir(), 'downloaded.bin');
    const fetched = await runCliJson(['get-package-version-asset', ...TOOL, '--package-version', '2.0', '--asset', 'tool.bin', outfile], { root });
    expect(fetched).toEqual({ assetName: 'tool.bin', packageVersion: '2.0', packageVersionRevision: described.packageVersion.revision });
    expect(await fs.readFile(outfile, 'utf8')).toBe('two');
  });

  it('lists only the packages of registered formats: a directory another version left is skipped', async () => {
    const { root, store } = await makePackageStore();
    await publish(root, '1.0', 'one');
    const stray = { domain: DOMAIN, repository: 'main', format: 'conda' as PackageFormat, namespace: 'forge', name: 'numpy' };
    await store.index.updatePackage(stray, () => ({
      format: stray.format,
      namespace: 'forge',
      name: 'numpy',
      originConfiguration: { restrictions: { publish: 'ALLOW', upstream: 'ALLOW' } },
      versions: {},
    }));
    const listed = await runCliJson<{ packages: { format: string; package: string }[] }>(['list-packages', ...WHERE], { root });
    expect(listed.packages.map((entry) => `${entry.format}:${entry.package}`)).toEqual(['generic:tool']);
  });

  it('get-package-version-asset refuses an outfile that is a directory, writing nothing beside it', async () => {
    // Before: "Cannot write DIR: EISDIR: ... rename '<parent>/.DIR.<pid>.<hex>.tmp' -> 'DIR'", hinting that DIR's directory was not writable.
    const { root } = await makePackageStore();
    await publish(root, '1.0', 'bytes');
    const parent = makeTempDir();
    const dir = path.join(parent, 'downloads');
    await fs.mkdir(dir);
    const result = await runCli(['get-package-version-asset', ...TOOL, '--package-version', '1.0', '--asset', 'tool.bin', dir], { root });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`error Validation: Cannot write ${dir}: it is a directory.\nhint: Name the file to write, e.g. a path inside that directory.\n`);
    expect(await fs.readdir(parent)).toEqual(['downloads']);
    expect(await fs.readdir(dir)).toEqual([]);
  });

  it('get-package-version-asset with - writes the bytes to standard output and creates no file named -', async () => {
    const { root } = await makePackageStore();
    await publish(root, '1.0', 'bytes to stdout');
    const cwd = makeTempDir();
    const result = await runCli(['get-package-version-asset', ...TOOL, '--package-version', '1.0', '--asset', 'tool.bin', '-'], { root, cwd });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('bytes to stdout');
    expect(await fs.readdir(cwd)).toEqual([]);
    // `./-` still names a file called '-'.
    expect((await runCli(['get-package-version-asset', ...TOOL, '--package-version', '1.0', '--asset', 'tool.bin', './-'], { root, cwd })).code).toBe(0);
    expect(await fs.readFile(path.join(cwd, '-'), 'utf8')).toBe('bytes to stdout');
  });

  it('hints runnable commands: the origin controls a blocked publish needs, and --namespace for a scoped name', async () => {
    const { root } = await makePackageStore();
    await runCliJson(['put-package-origin-configuration', ...TOOL, '--restrictions', 'publish=BLOCK,upstream=ALLOW'], { root });
    const blocked = await publish(root, '1.0', 'one');
    expect(blocked.code).toBe(4);
    const command = /hint: .*`artifact-cli (put-package-origin-configuration [^`]+)`/.exec(blocked.stderr)?.[1];
    expect(command).toBe(`put-package-origin-configuration ${TOOL.join(' ')} --restrictions publish=ALLOW,upstream=BLOCK`);
    expect((await runCli(command!.split(' '), { root })).code).toBe(0);
    expect((await publish(root, '1.0', 'one')).code).toBe(0);

    const scoped = await runCli(['describe-package', ...WHERE, '--format', 'npm', '--package', '@acme/util'], { root });
    expectError(scoped, 2, /^error Validation: --package "@acme\/util" holds a scope as well as a name/);
    expect(scoped.stderr).toContain('hint: Use --namespace acme --package util.');
    const pasted = await runCli(['describe-package', ...WHERE, '--format', 'npm', '--namespace', 'acme', '--package', 'util'], { root });
    expectError(pasted, 5, /Package @acme\/util \(npm\) does not exist/);

    const noVersion = await runCli(['describe-package-version', ...TOOL, '--package-version', '9.9'], { root });
    expect(noVersion.stderr).toContain(`hint: List the versions with \`artifact-cli list-package-versions ${TOOL.join(' ')}\`.`);
    const noAsset = await runCli(['get-package-version-asset', ...TOOL, '--package-version', '1.0', '--asset', 'x', path.join(makeTempDir(), 'o')], { root });
    expect(noAsset.stderr).toContain(`hint: List them with \`artifact-cli list-package-version-assets ${TOOL.join(' ')} --package-version 1.0\`.`);
  });

  it('reads format-specific records: normalised pypi names, readme and dependencies', async () => {
    const { root, store } = await makePackageStore();
    const key = { domain: DOMAIN, repository: 'main', format: 'pypi' as const, name: 'foo-bar' };
    await putVersions(store, key, [
      versionRecord('1.0', { readme: 'Hello', dependencies: [{ dependencyType: 'install', package: 'requests', versionRequirement: '>=2' }] }),
    ]);
    const pypi = [...WHERE, '--format', 'pypi', '--package', 'Foo_Bar', '--package-version', '1.0'];
    expect(await runCliJson(['get-package-version-readme', ...pypi], { root })).toMatchObject({ package: 'foo-bar', readme: 'Hello' });
    expect(await runCliJson(['list-package-version-dependencies', ...pypi], { root })).toMatchObject({
      dependencies: [{ dependencyType: 'install', package: 'requests', versionRequirement: '>=2' }],
    });
  });

  it('exits 5 for an unknown package, version, asset or repository', async () => {
    const { root } = await makePackageStore();
    await publish(root, '1.0', 'one');
    expectError(
      await runCli(['describe-package', ...WHERE, '--format', 'generic', '--namespace', 'ns', '--package', 'ghost'], { root }),
      5,
      /^error ResourceNotFound: Package ns:ghost \(generic\) does not exist/,
    );
    expectError(await runCli(['describe-package-version', ...TOOL, '--package-version', '9.9'], { root }), 5, /version 9.9 does not exist/);
    expectError(
      await runCli(['get-package-version-asset', ...TOOL, '--package-version', '1.0', '--asset', 'x', path.join(makeTempDir(), 'o')], { root }),
      5,
      /has no asset "x"/,
    );
    expectError(await runCli(['list-packages', '--domain', DOMAIN, '--repository', 'ghost'], { root }), 5, /Repository ghost does not exist/);
  });

  it('exits 2 for bad filter values', async () => {
    const { root } = await makePackageStore();
    expectError(await runCli(['list-packages', ...WHERE, '--publish', 'maybe'], { root }), 2, /--publish must be ALLOW or BLOCK/);
    expectError(await runCli(['list-packages', ...WHERE, '--format', 'rpm'], { root }), 2, /--format must be one of/);
  });
});

describe('changing versions', () => {
  it('updates statuses with revisions given as version=revision, and reports NOT_ALLOWED transitions', async () => {
    const { root } = await makePackageStore();
    const published = JSON.parse((await publish(root, '1.0', 'one')).stdout) as { versionRevision: string };
    await publish(root, '2.0', 'two');
    const archived = await runCliJson(
      ['update-package-versions-status', ...TOOL, '--version-revisions', `1.0=${published.versionRevision}`, '--target-status', 'Archived'],
      { root },
    );
    expect(archived).toMatchObject({ successfulVersions: { '1.0': { status: 'Archived' } }, failedVersions: {} });

    await runCliJson(['dispose-package-versions', ...TOOL, '--versions', '2.0'], { root });
    const refused = await runCli(['update-package-versions-status', ...TOOL, '--versions', '2.0', '1.0', '--target-status', 'Published'], { root });
    expect(refused.code).toBe(0);
    expect(JSON.parse(refused.stdout)).toEqual({
      successfulVersions: {},
      failedVersions: { '2.0': { errorCode: 'NOT_ALLOWED', errorMessage: anyValue(String) }, '1.0': { errorCode: 'SKIPPED', errorMessage: anyValue(String) } },
    });
    expectError(
      await runCli(['update-package-versions-status', ...TOOL, '--versions', '1.0', '--target-status', 'Disposed'], { root }),
      2,
      /--target-status cannot be Disposed/,
    );
  });

  it('copies versions and reports ALREADY_EXISTS without --allow-overwrite', async () => {
    const { root } = await makePackageStore();
    await publish(root, '1.0', 'one');
    const args = [
      'copy-package-versions',
      '--domain',
      DOMAIN,
      '--source-repository',
      'main',
      '--destination-repository',
      'other',
      '--format',
      'generic',
      '--namespace',
      'ns',
      '--package',
      'tool',
      '--versions',
      '1.0',
    ];
    expect(await runCliJson(args, { root })).toMatchObject({ successfulVersions: { '1.0': { status: 'Published' } } });
    expect(await runCliJson(args, { root })).toMatchObject({ successfulVersions: {}, failedVersions: { '1.0': { errorCode: 'ALREADY_EXISTS' } } });
    expect(await runCliJson([...args, '--allow-overwrite'], { root })).toMatchObject({ successfulVersions: { '1.0': { status: 'Published' } } });
  });

  it('deletes versions and packages', async () => {
    const { root, store } = await makePackageStore();
    await publish(root, '1.0', 'one');
    await publish(root, '2.0', 'two');
    expect(await runCliJson(['delete-package-versions', ...TOOL, '--versions', '1.0', '--expected-status', 'Published'], { root })).toMatchObject({
      successfulVersions: { '1.0': { status: 'Deleted' } },
    });
    expect(Object.keys((await store.index.getPackage(genericKey()))!.versions)).toEqual(['2.0']);
    expect(await runCliJson(['delete-package', ...TOOL], { root })).toMatchObject({ deletedPackage: { package: 'tool' } });
    expectError(await runCli(['delete-package', ...TOOL], { root }), 5, /does not exist/);
  });
});
