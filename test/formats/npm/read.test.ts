import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PackageKey, VersionRecord } from '../../../src/core/model.js';
import { buildNpmTarball, type BuiltTarball } from '../../helpers/npm-tarball.js';
import { startHarness, type Harness } from './npm-registry-harness.js';
import { anyValue } from '../../helpers/matchers.js';

const ABBREVIATED = 'application/vnd.npm.install-v1+json';
const NPM_ACCEPT = `${ABBREVIATED}; q=1.0, application/json; q=0.8, */*`;

let registry: Harness;
let util: BuiltTarball;

const keyOf = (name: string, repository = 'main', namespace?: string): PackageKey => ({ domain: 'acme', repository, format: 'npm', namespace, name });

beforeAll(async () => {
  registry = await startHarness();
  util = buildNpmTarball({ name: '@acme/util', version: '1.0.0', dependencies: { 'left-pad-lite': '^1.0.0' }, files: { 'README.md': '# util' } });
  expect((await registry.publish(util)).status).toBe(201);
});

describe('packuments', () => {
  it('serves the abbreviated form when npm asks for it', async () => {
    const response = await registry.request('@acme%2futil', { headers: { accept: NPM_ACCEPT } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(ABBREVIATED);
    const document = await response.json();
    expect(Object.keys(document).sort()).toEqual(['dist-tags', 'modified', 'name', 'versions']);
    expect(document['dist-tags']).toEqual({ latest: '1.0.0' });
    const version = document.versions['1.0.0'];
    expect(version).toMatchObject({ name: '@acme/util', version: '1.0.0', dependencies: { 'left-pad-lite': '^1.0.0' } });
    expect(version).not.toHaveProperty('description');
    expect(version.dist).toEqual({
      tarball: `${registry.registry}@acme/util/-/util-1.0.0.tgz`,
      integrity: util.integrity,
      shasum: util.shasum,
      fileCount: 3,
      unpackedSize: anyValue(Number),
    });
  });

  it('keeps every field installers read in the abbreviated form, and nothing else', async () => {
    const installerFields = {
      optionalDependencies: { 'opt-lite': '^2.0.0' },
      devDependencies: { 'test-lite': '^3.0.0' },
      peerDependencies: { 'peer-lite': '>=4' },
      peerDependenciesMeta: { 'peer-lite': { optional: true } },
      bundleDependencies: ['bundled-lite'],
      bin: { 'rich-cli': 'cli.js' },
      directories: { lib: 'lib' },
      engines: { node: '>=20' },
      os: ['linux', '!win32'],
      cpu: ['x64', 'arm64'],
      libc: ['glibc'],
      funding: { type: 'individual', url: 'http://127.0.0.1/fund' },
      license: 'MIT',
    };
    const rich = buildNpmTarball({
      name: 'rich-manifest',
      version: '1.0.0',
      dependencies: { 'left-pad-lite': '^1.0.0' },
      manifest: { ...installerFields, scripts: { postinstall: 'node setup.js', test: 'true' }, keywords: ['not', 'abbreviated'] },
      files: { 'npm-shrinkwrap.json': '{"lockfileVersion":3}', 'cli.js': '' },
    });
    expect((await registry.publish(rich)).status).toBe(201);
    const writable = await (await registry.request('rich-manifest?write=true')).json();
    writable.versions['1.0.0'].deprecated = 'use rich-manifest@2';
    expect(
      (await registry.request('rich-manifest', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(writable) })).status,
    ).toBe(200);

    const document = await (await registry.request('rich-manifest', { headers: { accept: NPM_ACCEPT } })).json();
    expect(document.versions['1.0.0']).toEqual({
      name: 'rich-manifest',
      version: '1.0.0',
      dependencies: { 'left-pad-lite': '^1.0.0' },
      ...installerFields,
      deprecated: 'use rich-manifest@2',
      _hasShrinkwrap: true,
      hasInstallScript: true,
      dist: {
        tarball: `${registry.registry}rich-manifest/-/rich-manifest-1.0.0.tgz`,
        integrity: rich.integrity,
        shasum: rich.shasum,
        fileCount: 4,
        unpackedSize: anyValue(Number),
      },
    });
  });

  it('serves the full form with time, readme and _id otherwise', async () => {
    const response = await registry.request('@acme%2futil');
    expect(response.headers.get('content-type')).toBe('application/json');
    const document = await response.json();
    expect(document).toMatchObject({ _id: '@acme/util', name: '@acme/util', readme: '# util', description: '@acme/util for tests' });
    expect(document.versions['1.0.0']).toMatchObject({ _id: '@acme/util@1.0.0', main: 'index.js', _npmUser: { name: 'alice' } });
    expect(Object.keys(document.time).sort()).toEqual(['1.0.0', 'created', 'modified']);
    expect(Date.parse(document.time['1.0.0'])).not.toBeNaN();
    expect(document).not.toHaveProperty('_rev');
  });

  it.each(['@acme%2futil', '@acme%2Futil', '@acme/util'])('accepts the scoped name spelled %s', async (spelling) => {
    const response = await registry.request(spelling);
    expect(response.status).toBe(200);
    expect((await response.json()).name).toBe('@acme/util');
  });

  it('answers If-None-Match with 304 and no body', async () => {
    const first = await registry.request('@acme%2futil', { headers: { accept: NPM_ACCEPT } });
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^".+"$/);
    expect(first.headers.get('cache-control')).toBe('no-cache');
    const second = await registry.request('@acme%2futil', { headers: { accept: NPM_ACCEPT, 'if-none-match': etag as string } });
    expect(second.status).toBe(304);
    expect(await second.text()).toBe('');
  });

  it('includes _rev for ?write=true and never lets it be cached', async () => {
    const response = await registry.request('@acme%2futil?write=true');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect((await response.json())._rev).toMatch(/^1-[0-9a-f]{32}$/);
  });

  it('shows a new version at once: the cached document is replaced when the record changes', async () => {
    expect((await registry.publish(buildNpmTarball({ name: 'fresh', version: '1.0.0' }))).status).toBe(201);
    const before = await (await registry.request('fresh', { headers: { accept: NPM_ACCEPT } })).json();
    expect((await registry.publish(buildNpmTarball({ name: 'fresh', version: '1.1.0' }))).status).toBe(201);
    const after = await (await registry.request('fresh', { headers: { accept: NPM_ACCEPT } })).json();
    expect(Object.keys(before.versions)).toEqual(['1.0.0']);
    expect(Object.keys(after.versions)).toEqual(['1.0.0', '1.1.0']);
    expect(after['dist-tags'].latest).toBe('1.1.0');
  });

  it('serves one version, by number or by tag', async () => {
    expect(await (await registry.request('@acme%2futil/1.0.0')).json()).toMatchObject({ version: '1.0.0', dist: { integrity: util.integrity } });
    expect(await (await registry.request('@acme%2futil/latest')).json()).toMatchObject({ version: '1.0.0' });
    const missing = await registry.request('@acme%2futil/9.9.9');
    expect(missing.status).toBe(404);
    expect((await missing.json()).error).toMatch(/@acme\/util@9\.9\.9 is not in repository main/);
  });

  it('answers an unknown package and an unknown /-/ route with a JSON 404', async () => {
    for (const pathname of ['no-such-package', '-/no/such/route']) {
      const response = await registry.request(pathname);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toBe('application/json');
      expect(typeof (await response.json()).error).toBe('string');
    }
  });
});

describe('tarballs', () => {
  const tarballPath = '@acme/util/-/util-1.0.0.tgz';

  it('streams the stored bytes, whose digests match the packument', async () => {
    const response = await registry.request(tarballPath);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(Number(response.headers.get('content-length'))).toBe(bytes.length);
    expect(`sha512-${createHash('sha512').update(bytes).digest('base64')}`).toBe(util.integrity);
    expect(createHash('sha1').update(bytes).digest('hex')).toBe(util.shasum);
  });

  it('answers HEAD with the length and no body, and If-None-Match with 304', async () => {
    const head = await registry.request(tarballPath, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBe(util.bytes.length);
    expect(await head.text()).toBe('');
    const cached = await registry.request('@acme%2futil/-/util-1.0.0.tgz', { headers: { 'if-none-match': head.headers.get('etag') as string } });
    expect(cached.status).toBe(304);
  });

  it('is 404 for a version that does not exist or a file of another package', async () => {
    expect((await registry.request('@acme/util/-/util-9.9.9.tgz')).status).toBe(404);
    expect((await registry.request('@acme/util/-/other-1.0.0.tgz')).status).toBe(404);
  });
});

describe('reading through upstreams and version status', () => {
  it('merges versions along the chain when allowed, and the nearest repository wins dist-tags', async () => {
    const shared = buildNpmTarball({ name: 'merged', version: '2.0.0' });
    expect((await registry.publish(shared, { repository: 'shared' })).status).toBe(201);
    // Publishing in main is allowed: the package has no record in main yet.
    expect((await registry.publish(buildNpmTarball({ name: 'merged', version: '1.5.0' }))).status).toBe(201);
    // A first publish blocks upstream versions of the package here (origin controls) ...
    const blocked = await (await registry.request('merged', { headers: { accept: NPM_ACCEPT } })).json();
    expect(Object.keys(blocked.versions)).toEqual(['1.5.0']);
    // ... and once upstream versions are allowed, both show, while main's latest still wins.
    await registry.store.index.updatePackage(keyOf('merged'), (current) => ({
      ...current!,
      originConfiguration: { restrictions: { publish: 'ALLOW', upstream: 'ALLOW' } },
    }));
    const merged = await (await registry.request('merged', { headers: { accept: NPM_ACCEPT } })).json();
    expect(Object.keys(merged.versions)).toEqual(['1.5.0', '2.0.0']);
    expect(merged['dist-tags']).toEqual({ latest: '1.5.0' });
  });

  it('shows upstream versions when this repository has none of the package', async () => {
    const shared = buildNpmTarball({ name: 'only-upstream', version: '3.0.0' });
    expect((await registry.publish(shared, { repository: 'shared' })).status).toBe(201);
    const document = await (await registry.request('only-upstream')).json();
    expect(document['dist-tags'].latest).toBe('3.0.0');
    expect(document.versions['3.0.0'].dist.tarball).toBe(`${registry.registry}only-upstream/-/only-upstream-3.0.0.tgz`);
    const bytes = Buffer.from(await (await registry.request('only-upstream/-/only-upstream-3.0.0.tgz')).arrayBuffer());
    expect(bytes).toEqual(shared.bytes);
  });

  it('hides Unlisted versions from the packument but keeps their tarballs; Archived ones are gone', async () => {
    for (const version of ['1.0.0', '1.1.0', '1.2.0']) expect((await registry.publish(buildNpmTarball({ name: 'statuses', version }))).status).toBe(201);
    await setStatus('statuses', '1.1.0', 'Unlisted');
    await setStatus('statuses', '1.2.0', 'Archived');
    const document = await (await registry.request('statuses')).json();
    expect(Object.keys(document.versions)).toEqual(['1.0.0']);
    expect(document['dist-tags'].latest).toBe('1.0.0');
    expect((await registry.request('statuses/-/statuses-1.1.0.tgz')).status).toBe(200);
    expect((await registry.request('statuses/-/statuses-1.2.0.tgz')).status).toBe(404);
  });
});

async function setStatus(name: string, version: string, status: VersionRecord['status']): Promise<void> {
  await registry.store.index.updatePackage(keyOf(name), (current) => {
    const next = structuredClone(current)!;
    next.versions[version].status = status;
    return next;
  });
}
