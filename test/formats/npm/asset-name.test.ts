/**
 * An npm version's one asset is `package.tgz`, as CodeArtifact names it, in the version
 * commands; the tarball's own file name stays in the npm metadata. Records written before the
 * rename carry the file name and keep working under both names.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildNpmTarball, type BuiltTarball } from '../../helpers/npm-tarball.js';
import { runCli, runCliJson } from '../../helpers/run-cli.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { startHarness, type Harness } from './npm-registry-harness.js';
import { parseJson } from '../../helpers/json.js';

let registry: Harness;
let tarball: BuiltTarball;
const UTIL = ['--domain', 'acme', '--repository', 'main', '--format', 'npm', '--namespace', 'acme', '--package', 'util', '--package-version', '1.0.0'];
const KEY = { domain: 'acme', repository: 'main', format: 'npm' as const, namespace: 'acme', name: 'util' };

beforeAll(async () => {
  registry = await startHarness();
  tarball = buildNpmTarball({ name: '@acme/util', version: '1.0.0' });
  expect((await registry.publish(tarball)).status).toBe(201);
});

async function download(asset: string) {
  const outfile = path.join(makeTempDir(), 'out.tgz');
  const result = await runCli(['get-package-version-asset', ...UTIL, '--asset', asset, outfile], { root: registry.root });
  return { result, bytes: result.code === 0 ? await fs.readFile(outfile) : undefined };
}

async function tarballUrlAndBytes() {
  const packument = await (await registry.request('@acme%2futil')).json<{ versions: Record<string, { dist: { tarball: string; integrity: string } }> }>();
  const { tarball: url, integrity } = packument.versions['1.0.0'].dist;
  const response = await fetch(url, { headers: { authorization: `Bearer ${registry.token}` } });
  return { url, integrity, status: response.status, bytes: Buffer.from(await response.arrayBuffer()) };
}

describe('the asset of an npm version', () => {
  it('is package.tgz in list-package-version-assets and get-package-version-asset, which also takes the file name', async () => {
    const listed = await runCliJson<{ assets: { name: string; size: number }[] }>(['list-package-version-assets', ...UTIL], { root: registry.root });
    expect(listed.assets).toEqual([expect.objectContaining({ name: 'package.tgz', size: tarball.bytes.length })]);
    for (const name of ['package.tgz', 'util-1.0.0.tgz']) {
      const { result, bytes } = await download(name);
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ assetName: 'package.tgz', packageVersion: '1.0.0' });
      expect(bytes).toEqual(tarball.bytes);
    }
  });

  it('keeps the tarball file name in the npm metadata URL, which still downloads', async () => {
    const { url, integrity, status, bytes } = await tarballUrlAndBytes();
    expect(url.endsWith('/@acme/util/-/util-1.0.0.tgz')).toBe(true);
    expect(integrity).toMatch(/^sha512-/);
    expect(status).toBe(200);
    expect(bytes).toEqual(tarball.bytes);
  });

  it('refuses a name the version does not have, with exit 5 and the asset named', async () => {
    const { result } = await download('other-1.0.0.tgz');
    expect(result.code).toBe(5);
    expect(result.stderr.split('\n')[0]).toMatch(/^error ResourceNotFound: .*no asset "other-1.0.0.tgz"/);
  });
});

describe('a version recorded by an older store under the tarball file name', () => {
  beforeAll(async () => {
    await registry.store.index.updatePackage(KEY, (current) => {
      const next = structuredClone(current!);
      next.versions['1.0.0'].assets[0].name = 'util-1.0.0.tgz';
      return next;
    });
  });

  it('is listed as package.tgz and downloads under both names', async () => {
    const listed = await runCliJson<{ assets: { name: string }[] }>(['list-package-version-assets', ...UTIL], { root: registry.root });
    expect(listed.assets.map((asset) => asset.name)).toEqual(['package.tgz']);
    for (const name of ['package.tgz', 'util-1.0.0.tgz']) {
      const { result, bytes } = await download(name);
      expect(result.code, result.stderr).toBe(0);
      expect(parseJson<{ assetName: string }>(result.stdout).assetName).toBe('package.tgz');
      expect(bytes).toEqual(tarball.bytes);
    }
  });

  it('still serves its tarball and integrity to npm', async () => {
    const { integrity, status, bytes } = await tarballUrlAndBytes();
    expect(integrity).toMatch(/^sha512-/);
    expect(status).toBe(200);
    expect(bytes).toEqual(tarball.bytes);
  });
});
