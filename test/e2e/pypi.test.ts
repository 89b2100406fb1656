/**
 * twine and pip against `artifact-cli serve`, configured by `artifact-cli login`: twine uploads a
 * wheel and an sdist; pip installs by name and by specifier into fresh virtualenvs, pulling one
 * dependency from an upstream repository and one from the stand-in public index; an Unlisted
 * (yanked) version downloads when pinned and is skipped otherwise; twine shows our refusals.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPythonClients, setupPypiClients, type PypiClientsSetup } from '../helpers/pypi-clients.js';
import { buildSdist, buildWheel, type DistSpec } from '../helpers/pypi-dist.js';
import { parseJson } from '../helpers/json.js';

const clients = findPythonClients();
let setup: PypiClientsSetup;

const demo = (version: string): DistSpec => ({
  name: 'demo-pkg',
  version,
  requiresPython: '>=3.7',
  requiresDist: ['team-dep>=1.0', 'public_dep'],
  files: { 'demo_pkg/__init__.py': `import team_dep, public_dep\nVERSION = ${JSON.stringify(version)}\nDEPS = (team_dep.VERSION, public_dep.VERSION)\n` },
});

function storedPackage(repository: string, project: string): { versions: Record<string, { status: string; assets: { name: string }[] }> } | undefined {
  const file = path.join(setup.root, 'domains', 'acme', 'repositories', repository, 'packages', 'pypi', '_', `${project}.json`);
  return existsSync(file) ? parseJson<{ versions: Record<string, { status: string; assets: { name: string }[] }> }>(readFileSync(file, 'utf8')) : undefined;
}

describe.skipIf(!clients.python || !clients.twine)('pip and twine against artifact-cli serve', () => {
  beforeAll(async () => {
    setup = await setupPypiClients();
    setup.index.add({ name: 'public-dep', version: '1.0' });
    setup.index.add({ name: 'public-dep', version: '2.0', requiresPython: '>=99' });
    // team-dep lives only in the upstream repository "team".
    const [teamDep] = setup.writeDists(buildWheel({ name: 'team-dep', version: '1.0' }));
    await setup.runOk('twine', ['upload', '--non-interactive', '--repository-url', setup.endpoint('team'), '-u', 'aws', '-p', tokenFromPypirc(), teamDep]);
  });
  afterAll(() => setup?.index.close());

  it('twine uploads a wheel and an sdist with the config login wrote', async () => {
    const files = setup.writeDists(buildWheel(demo('1.0')), buildSdist(demo('1.0')), buildWheel(demo('1.1')));
    const result = await setup.runOk('twine', ['upload', '--non-interactive', '--repository', 'codeartifact', ...files]);
    expect(result.stdout + result.stderr).toContain('Uploading demo_pkg-1.0.tar.gz');
    const stored = storedPackage('app', 'demo-pkg');
    expect(stored?.versions['1.0'].assets.map((asset) => asset.name).sort()).toEqual([
      'demo_pkg-1.0-py3-none-any.whl',
      'demo_pkg-1.0-py3-none-any.whl.metadata',
      'demo_pkg-1.0.tar.gz',
    ]);
    expect(Object.keys(stored?.versions ?? {}).sort()).toEqual(['1.0', '1.1']);
  });

  it('pip installs by name with the config login wrote, fetching dependencies from the upstream and the public index', async () => {
    const venv = await setup.makeVenv();
    await setup.runOk(venv.pip, ['install', 'demo-pkg']);
    const printed = await setup.runOk(venv.python, ['-c', 'import demo_pkg; print(demo_pkg.VERSION, *demo_pkg.DEPS)']);
    // public-dep 2.0 needs Python >= 99, so pip takes 1.0 (data-requires-python is honoured).
    expect(printed.stdout.trim()).toBe('1.1 1.0 1.0');
    expect(Object.keys(storedPackage('app', 'team-dep')?.versions ?? {})).toEqual(['1.0']);
    expect(Object.keys(storedPackage('app', 'public-dep')?.versions ?? {})).toEqual(['1.0']);
    expect(Object.keys(storedPackage('pypi-store', 'public-dep')?.versions ?? {})).toEqual(['1.0']);
    expect(storedPackage('team', 'public-dep')).toBeUndefined();
    // pip read the PEP 658 metadata files before it downloaded the wheels.
    expect(setup.server.output()).toMatch(/GET \/acme\/pypi\/app\/simple\/public-dep\/1\.0\/public_dep-1\.0-py3-none-any\.whl\.metadata 200/);
  });

  it('pip installs by version specifier', async () => {
    const venv = await setup.makeVenv();
    await setup.runOk(venv.pip, ['install', 'Demo_Pkg<1.1']);
    const printed = await setup.runOk(venv.python, ['-c', 'import demo_pkg; print(demo_pkg.VERSION)']);
    expect(printed.stdout.trim()).toBe('1.0');
  });

  it('downloads an Unlisted (yanked) version pinned exactly, and skips it otherwise', async () => {
    await setup.cli([
      'update-package-versions-status',
      '--domain',
      'acme',
      '--repository',
      'app',
      '--format',
      'pypi',
      '--package',
      'demo-pkg',
      '--versions',
      '1.1',
      '--target-status',
      'Unlisted',
    ]);
    expect(storedPackage('app', 'demo-pkg')?.versions['1.1'].status).toBe('Unlisted');
    const venv = await setup.makeVenv();
    const out = path.join(setup.home, 'downloads');
    await setup.runOk(venv.pip, ['download', '--no-deps', '-d', out, 'demo-pkg==1.1']);
    expect(existsSync(path.join(out, 'demo_pkg-1.1-py3-none-any.whl'))).toBe(true);
    await setup.runOk(venv.pip, ['install', 'demo-pkg']);
    const printed = await setup.runOk(venv.python, ['-c', 'import demo_pkg; print(demo_pkg.VERSION)']);
    expect(printed.stdout.trim()).toBe('1.0');
  });

  it('twine shows why an upload is refused, and --skip-existing skips a file that exists', async () => {
    const changed = setup.writeDists(buildWheel({ ...demo('1.0'), description: 'rebuilt with other bytes' }));
    const duplicate = await setup.run('twine', ['upload', '--non-interactive', '--repository', 'codeartifact', ...changed]);
    expect(duplicate.code).not.toBe(0);
    expect(duplicate.stdout + duplicate.stderr).toMatch(/409 Conflict[\s\S]*File already exists/);
    const skipped = await setup.runOk('twine', ['upload', '--non-interactive', '--skip-existing', '--repository', 'codeartifact', ...changed]);
    expect(skipped.stdout + skipped.stderr).toMatch(/Skipping demo_pkg-1\.0-py3-none-any\.whl/);

    const foreign = setup.writeDists(buildWheel({ ...demo('1.2'), metadataVersion: '9.9' }));
    const refused = await setup.run('twine', ['upload', '--non-interactive', '--repository', 'codeartifact', ...foreign]);
    expect(refused.code).not.toBe(0);
    // twine sends the version METADATA names, so the file name is what disagrees.
    expect(refused.stdout + refused.stderr).toMatch(
      /400 Bad Request[\s\S]*demo_pkg-1\.2-py3-none-any\.whl is for version 1\.2, but the upload says version 9\.9/,
    );
    expect(storedPackage('app', 'demo-pkg')?.versions['1.2']).toBeUndefined();
  });
});

/** The token login wrote into ~/.pypirc, reused for an upload to another repository. */
function tokenFromPypirc(): string {
  const text = readFileSync(path.join(setup.home, '.pypirc'), 'utf8');
  const match = /^password\s*[:=]\s*(\S+)/m.exec(text);
  if (!match) throw new Error(`login --tool twine wrote no password:\n${text}`);
  return match[1];
}
