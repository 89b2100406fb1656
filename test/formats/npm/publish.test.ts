import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { PackageKey } from '../../../src/core/model.js';
import { putPackageOriginConfiguration } from '../../../src/operations/origin-configuration.js';
import { buildNpmTarball } from '../../helpers/npm-tarball.js';
import { craftTarball } from './crafted-tarball.js';
import { encodePackageName, publishBody, startHarness, type Harness, type NpmVersionJson, type PublishBody } from './npm-registry-harness.js';

let registry: Harness;

beforeAll(async () => {
  registry = await startHarness({ maxUploadBytes: 200_000 });
});

describe('npm publish (PUT /{pkg})', () => {
  it('stores the tarball and records the version with its dependencies and readme', async () => {
    const tarball = buildNpmTarball({
      name: '@acme/util',
      version: '1.0.0',
      dependencies: { 'left-pad-lite': '^1.0.0', '@acme/core': '~2.1.0' },
      files: { 'README.md': '# util\nHelpers.' },
    });
    const response = await registry.publish(tarball);
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ ok: true });

    const record = await registry.store.index.getPackage({ domain: 'acme', repository: 'main', format: 'npm', namespace: 'acme', name: 'util' });
    const version = record?.versions['1.0.0'];
    expect(version).toMatchObject({
      status: 'Published',
      origin: { originType: 'INTERNAL', domainEntryPoint: { repositoryName: 'main' } },
      readme: '# util\nHelpers.',
      summary: '@acme/util for tests',
      dependencies: [
        { dependencyType: 'regular', package: 'left-pad-lite', versionRequirement: '^1.0.0' },
        { dependencyType: 'regular', namespace: 'acme', package: 'core', versionRequirement: '~2.1.0' },
      ],
    });
    expect(version?.formatMetadata).toMatchObject({ name: '@acme/util', version: '1.0.0', _npmUser: { name: 'alice' } });
    expect(version?.formatMetadata).not.toHaveProperty('readme');
    expect(record?.formatMetadata?.['dist-tags']).toEqual({ latest: '1.0.0' });

    const [asset] = version?.assets ?? [];
    expect(asset.name).toBe('package.tgz');
    expect(asset.hashes['SHA-512']).toBe(createHash('sha512').update(tarball.bytes).digest('hex'));
    expect(readFileSync(registry.store.blobs.pathOf(asset.hashes['SHA-256']))).toEqual(tarball.bytes);
  });

  it('keeps only the package.json fields clients read, so the index does not grow with what the tarball carries', async () => {
    const packageJson = {
      name: 'lean',
      version: '1.0.0',
      description: 'lean for tests',
      license: 'MIT',
      main: 'index.js',
      dependencies: { 'left-pad-lite': '^1.0.0' },
      peerDependenciesMeta: { react: { optional: true } },
      engines: { node: '>=18' },
      bin: { lean: 'cli.js' },
      os: ['linux'],
      cpu: ['x64'],
      funding: 'https://example.test/fund',
      scripts: { postinstall: 'node setup.js', test: 'x'.repeat(10_000) },
      // What no client reads of a packument: kept before, on every version.
      'x-payload': 'y'.repeat(150_000),
      eslintConfig: { rules: {} },
      devEngines: {},
      files: ['dist'],
      // Set by the registry from the scripts, never taken as written.
      hasInstallScript: false,
    };
    const tarball = buildNpmTarball({ name: 'lean', version: '1.0.0', files: { 'package.json': JSON.stringify(packageJson) } });
    const response = await registry.publish(tarball);
    expect(response.status, await response.text()).toBe(201);
    const record = await registry.store.index.getPackage({ domain: 'acme', repository: 'main', format: 'npm', name: 'lean' });
    const kept = record?.versions['1.0.0'].formatMetadata ?? {};
    expect(kept).toMatchObject({
      name: 'lean',
      version: '1.0.0',
      description: 'lean for tests',
      license: 'MIT',
      dependencies: { 'left-pad-lite': '^1.0.0' },
      peerDependenciesMeta: { react: { optional: true } },
      engines: { node: '>=18' },
      bin: { lean: 'cli.js' },
      os: ['linux'],
      cpu: ['x64'],
      funding: 'https://example.test/fund',
      hasInstallScript: true,
      main: 'index.js',
    });
    for (const dropped of ['x-payload', 'eslintConfig', 'devEngines', 'files', 'scripts']) expect(kept).not.toHaveProperty(dropped);
    expect(JSON.stringify(record).length).toBeLessThan(4_000);
    // The packument npm installs from still has what it needs.
    const document = await (await registry.request('lean')).json();
    expect(document.versions['1.0.0']).toMatchObject({ hasInstallScript: true, bin: { lean: 'cli.js' }, dependencies: { 'left-pad-lite': '^1.0.0' } });
  });

  it('refuses a version whose install fields are too large to keep, and stores nothing', async () => {
    const tarball = buildNpmTarball({
      name: 'bloated',
      version: '1.0.0',
      files: { 'package.json': JSON.stringify({ name: 'bloated', version: '1.0.0', engines: { node: `>=${'9'.repeat(300_000)}` } }) },
    });
    const response = await registry.publish(tarball);
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/engines.*at most 262144/);
    expect(await registry.store.index.getPackage({ domain: 'acme', repository: 'main', format: 'npm', name: 'bloated' })).toBeUndefined();
  });

  it('takes the readme from the publish body when it has one', async () => {
    const tarball = buildNpmTarball({ name: 'readme-body', version: '1.0.0', files: { 'README.md': 'from the tarball' } });
    const response = await registry.publish(tarball, { tamper: (body) => (body.readme = 'from the body') });
    expect(response.status).toBe(201);
    const record = await registry.store.index.getPackage({ domain: 'acme', repository: 'main', format: 'npm', name: 'readme-body' });
    expect(record?.versions['1.0.0'].readme).toBe('from the body');
  });

  it('adds the requested dist-tag and keeps latest where it was', async () => {
    expect((await registry.publish(buildNpmTarball({ name: 'tagged', version: '1.0.0' }))).status).toBe(201);
    expect((await registry.publish(buildNpmTarball({ name: 'tagged', version: '2.0.0-beta.1' }), { tag: 'beta' })).status).toBe(201);
    const tags = await (await registry.request('-/package/tagged/dist-tags')).json();
    expect(tags).toEqual({ latest: '1.0.0', beta: '2.0.0-beta.1' });
  });

  it('keeps every version when many are published at once', async () => {
    const versions = Array.from({ length: 8 }, (_, index) => `1.0.${index}`);
    const responses = await Promise.all(versions.map((version) => registry.publish(buildNpmTarball({ name: 'crowded', version }))));
    expect(responses.map((response) => response.status)).toEqual(versions.map(() => 201));
    const record = await registry.store.index.getPackage({ domain: 'acme', repository: 'main', format: 'npm', name: 'crowded' });
    expect(Object.keys(record?.versions ?? {}).sort()).toEqual(versions);
  });

  it('refuses a version that exists with 403 and the npm error shape', async () => {
    const tarball = buildNpmTarball({ name: 'twice', version: '1.0.0' });
    expect((await registry.publish(tarball)).status).toBe(201);
    const before = registry.storedFiles();
    const again = await registry.publish(buildNpmTarball({ name: 'twice', version: '1.0.0', files: { 'extra.js': 'changed' } }));
    expect(again.status).toBe(403);
    expect((await again.json()).error).toMatch(/cannot publish over the previously published version twice@1\.0\.0/);
    expect(registry.storedFiles()).toEqual(before);
  });

  it('refuses a version an upstream repository already has', async () => {
    expect((await registry.publish(buildNpmTarball({ name: 'in-shared', version: '1.0.0' }), { repository: 'shared' })).status).toBe(201);
    const response = await registry.publish(buildNpmTarball({ name: 'in-shared', version: '1.0.0' }));
    expect(response.status).toBe(403);
    expect((await response.json()).error).toMatch(/repository shared/);
  });
});

describe('npm publish and origin controls', () => {
  const keyOf = (name: string): PackageKey => ({ domain: 'acme', repository: 'main', format: 'npm', name });

  it('refuses a direct publish of a package set to publish=BLOCK with 403 and records nothing', async () => {
    expect((await registry.publish(buildNpmTarball({ name: 'blocked', version: '1.0.0' }))).status).toBe(201);
    await putPackageOriginConfiguration(registry.store, keyOf('blocked'), { publish: 'BLOCK', upstream: 'ALLOW' });
    const response = await registry.publish(buildNpmTarball({ name: 'blocked', version: '1.1.0' }));
    expect(response.status).toBe(403);
    expect((await response.json()).error).toMatch(/blocked by the package's origin controls \(publish=BLOCK\)/);
    expect(Object.keys((await registry.store.index.getPackage(keyOf('blocked')))?.versions ?? {})).toEqual(['1.0.0']);
  });

  it('refuses a publish when publish=BLOCK lands between the first check and the locked write (race)', async () => {
    expect((await registry.publish(buildNpmTarball({ name: 'raced', version: '1.0.0' }))).status).toBe(201);
    // The administrator's change lands just before the publish takes the package's lock: only the
    // check made under that lock can see it.
    const index = registry.store.index;
    const original = index.updatePackage.bind(index);
    let flipped = false;
    const spy = vi.spyOn(index, 'updatePackage').mockImplementation(async (key, update) => {
      if (!flipped && key.name === 'raced') {
        flipped = true;
        await putPackageOriginConfiguration(registry.store, keyOf('raced'), { publish: 'BLOCK', upstream: 'ALLOW' });
      }
      return original(key, update);
    });
    try {
      const response = await registry.publish(buildNpmTarball({ name: 'raced', version: '1.1.0' }));
      expect(flipped).toBe(true);
      expect(response.status).toBe(403);
      expect((await response.json()).error).toMatch(/publish=BLOCK/);
    } finally {
      spy.mockRestore();
    }
    expect(Object.keys((await registry.store.index.getPackage(keyOf('raced')))?.versions ?? {})).toEqual(['1.0.0']);
  });
});

describe('npm publish refuses bad input and stores nothing', () => {
  const good = () => buildNpmTarball({ name: 'careful', version: '1.0.0' });
  const tamperings: [string, (body: PublishBody) => void, RegExp][] = [
    ['a name that differs from the URL', (body) => (body.name = 'other'), /does not match careful in the URL/],
    ['no versions', (body) => delete (body as Partial<PublishBody>).versions, /exactly one version; this one has 0/],
    [
      'no attachment',
      (body) => delete (body as Partial<PublishBody>)._attachments,
      /careful@1\.0\.0 is new but the request carries no tarball in _attachments/,
    ],
    ['two versions', (body) => (body.versions['1.0.1'] = { ...body.versions['1.0.0'], version: '1.0.1' }), /exactly one version; this one has 2/],
    [
      'a version that is not semver',
      (body) => (body.versions = { 'one.two': { ...body.versions['1.0.0'], version: 'one.two' } }),
      /not a valid semver version/,
    ],
    ['a version manifest of another package', (body) => (body.versions['1.0.0'].name = 'other'), /names "other"@"1.0.0"/],
    ['two attachments', (body) => (body._attachments.second = body._attachments['careful-1.0.0.tgz']), /exactly one tarball attachment/],
    ['attachment data that is not base64', (body) => (body._attachments['careful-1.0.0.tgz'].data = '!!not base64!!'), /base64/],
    ['a wrong length', (body) => (body._attachments['careful-1.0.0.tgz'].length += 1), /but its `length` says/],
    ['a wrong dist.integrity', (body) => (body.versions['1.0.0'].dist.integrity = `sha512-${Buffer.alloc(64).toString('base64')}`), /dist\.integrity/],
    ['a wrong dist.shasum', (body) => (body.versions['1.0.0'].dist.shasum = '0'.repeat(40)), /dist\.shasum/],
    [
      'a wrong dist.integrity with options after it',
      (body) =>
        ((body.versions as Record<string, { dist: Record<string, unknown> }>)['1.0.0'].dist.integrity = `sha512-${Buffer.alloc(64).toString('base64')}?opt=1`),
      /dist\.integrity/,
    ],
  ];

  it.each(tamperings)('with %s: 400', async (_label, tamper, message) => {
    const before = registry.storedFiles();
    const response = await registry.publish(good(), { tamper });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect((await response.json()).error).toMatch(message);
    expect(registry.storedFiles()).toEqual(before);
  });

  const accepted: [string, (body: PublishBody, tarball: { integrity: string; shasum: string }) => void][] = [
    [
      'an integrity listing other digests beside the right sha512',
      (body, t) => (body.versions['1.0.0'].dist.integrity = `sha1-${Buffer.from(t.shasum, 'hex').toString('base64')}  ${t.integrity}?opt`),
    ],
    [
      'an integrity without a sha512 to compare',
      (body, t) => (body.versions['1.0.0'].dist.integrity = `sha1-${Buffer.from(t.shasum, 'hex').toString('base64')} xsha512-AAAA`),
    ],
    ['a shasum in upper case', (body, t) => (body.versions['1.0.0'].dist.shasum = t.shasum.toUpperCase())],
    ['digests that are not strings', (body) => Object.assign(body.versions['1.0.0'].dist, { integrity: 42, shasum: null })],
    ['a dist that is not an object', (body) => (body.versions['1.0.0'] = { ...body.versions['1.0.0'], dist: 'none' as unknown as NpmVersionJson['dist'] })],
    ['a dist that is null', (body) => (body.versions['1.0.0'] = { ...body.versions['1.0.0'], dist: null as unknown as NpmVersionJson['dist'] })],
    ['no dist at all', (body) => (body.versions['1.0.0'] = { ...body.versions['1.0.0'], dist: undefined as unknown as NpmVersionJson['dist'] })],
  ];

  it.each(accepted)('accepts %s', async (_label, tamper) => {
    const tarball = buildNpmTarball({ name: `digests-${accepted.findIndex(([label]) => label === _label)}`, version: '1.0.0' });
    const response = await registry.publish(tarball, { tamper: (body) => tamper(body, tarball) });
    expect(response.status, await response.clone().text()).toBe(201);
  });

  const putRaw = (pathname: string, body: string | Record<string, unknown>) =>
    registry.request(pathname, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('with a tarball whose package.json names another package: 400', async () => {
    const before = registry.storedFiles();
    const other = buildNpmTarball({ name: 'impostor', version: '1.0.0' });
    const body = publishBody(other, registry.registry);
    body.name = body._id = 'careful';
    body.versions['1.0.0'].name = 'careful';
    const response = await putRaw('careful', body);
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatch(/inside the tarball is "impostor"@"1.0.0"/);
    expect(registry.storedFiles()).toEqual(before);
  });

  it('with more dependencies than a version may declare: 400', async () => {
    const before = registry.storedFiles();
    const dependencies = Object.fromEntries(Array.from({ length: 10_001 }, (_, index) => [`d${index}`, '*']));
    const response = await registry.publish(buildNpmTarball({ name: 'careful', version: '1.0.0', dependencies }));
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatch(/careful 1\.0\.0 declares 10001 dependencies; a version may declare at most 10000/);
    expect(registry.storedFiles()).toEqual(before);
  });

  it('with a tarball that climbs out of its folder: 400', async () => {
    const before = registry.storedFiles();
    const bytes = craftTarball([
      { path: 'package/package.json', content: JSON.stringify({ name: 'careful', version: '1.0.0' }) },
      { path: 'package/../../outside.js', content: 'x' },
    ]);
    const tarball = {
      bytes,
      manifest: { name: 'careful', version: '1.0.0' },
      integrity: `sha512-${createHash('sha512').update(bytes).digest('base64')}`,
      shasum: createHash('sha1').update(bytes).digest('hex'),
    };
    const response = await registry.publish(tarball);
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatch(/unsafe path/);
    expect(registry.storedFiles()).toEqual(before);
  });

  it.each([
    ['a body that is not JSON', '{"name": '],
    ['a JSON array', '[1, 2]'],
  ])('with %s: 400', async (_label, text) => {
    const before = registry.storedFiles();
    const response = await putRaw('careful', text);
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatch(/JSON/);
    expect(registry.storedFiles()).toEqual(before);
  });

  it('with an uppercase name: 400', async () => {
    const response = await registry.publish(buildNpmTarball({ name: 'Careful', version: '1.0.0' }));
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatch(/must be lowercase/);
  });

  it.each([
    ['node_modules', /is not a valid npm package name/],
    ['favicon.ico', /is not a valid npm package name/],
    ["it's", /may not contain the characters/],
    ['wow!', /may not contain the characters/],
    ['@acme/util(2)', /may not contain the characters/],
    ['http', /Node\.js core module/],
    ['fs', /Node\.js core module/],
  ])('with %s, a name npm refuses for new packages: 400, nothing stored', async (name, message) => {
    const before = registry.storedFiles();
    const response = await registry.publish(buildNpmTarball({ name, version: '1.0.0' }));
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatch(message);
    expect(registry.storedFiles()).toEqual(before);
  });

  // `events` and `buffer` are real packages older than npm's rule; a patched version published here is theirs.
  it('accepts a new version of a package the chain already holds under a core module name', async () => {
    expect((await registry.publish(buildNpmTarball({ name: 'core-seed', version: '1.0.0' }), { repository: 'shared' })).status).toBe(201);
    const seed = await registry.store.index.getPackage({ domain: 'acme', repository: 'shared', format: 'npm', name: 'core-seed' });
    await registry.store.index.updatePackage({ domain: 'acme', repository: 'shared', format: 'npm', name: 'events' }, () => ({ ...seed!, name: 'events' }));
    const response = await registry.publish(buildNpmTarball({ name: 'events', version: '1.0.1' }));
    expect(response.status, await response.clone().text()).toBe(201);
  });

  // npm's rule against a leading '_' is on the whole name, which for a scoped package starts with '@'.
  it("accepts and serves a scoped name whose part after the scope starts with '_', and refuses an unscoped one", async () => {
    const response = await registry.publish(buildNpmTarball({ name: '@acme/_internal', version: '1.0.0' }));
    expect(response.status, await response.clone().text()).toBe(201);
    const packument = await registry.request(encodePackageName('@acme/_internal'));
    expect(packument.status).toBe(200);
    expect(Object.keys((await packument.json()).versions)).toEqual(['1.0.0']);
    const unscoped = await registry.publish(buildNpmTarball({ name: '_internal', version: '1.0.0' }));
    expect(unscoped.status).toBe(400);
  });

  it('accepts a core module name under a scope', async () => {
    const response = await registry.publish(buildNpmTarball({ name: '@acme/http', version: '1.0.0' }));
    expect(response.status).toBe(201);
  });

  it('over the upload limit: 413', async () => {
    const before = registry.storedFiles();
    const big = buildNpmTarball({ name: 'careful', version: '1.0.0', files: { 'noise.bin': createHash('sha512').update('x').digest('hex').repeat(4000) } });
    const response = await registry.publish(big, { tamper: (body) => (body.padding = 'x'.repeat(250_000)) });
    expect(response.status).toBe(413);
    expect((await response.json()).error).toMatch(/limit/);
    expect(registry.storedFiles()).toEqual(before);
  });

  it('with a scoped name whose scope differs from the URL: 400', async () => {
    const tarball = buildNpmTarball({ name: '@acme/careful', version: '1.0.0' });
    const response = await registry.request(encodePackageName('@other/careful'), {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(publishBody(tarball, registry.registry)),
    });
    expect(response.status).toBe(400);
  });
});
