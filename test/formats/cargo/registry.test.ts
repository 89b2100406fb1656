/**
 * The Cargo registry over HTTP, as cargo talks to it (docs/formats/cargo.md): config.json and
 * auth-required, publish bodies, index lines, downloads checked against cksum, yank, search,
 * owners, cargo's error shape, and every refused upload leaving nothing stored.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { indexFiles } from '../../../src/formats/cargo/index-routes.js';
import { createDomain } from '../../../src/operations/domains.js';
import { getAuthorizationToken } from '../../../src/operations/tokens.js';
import { updatePackageVersionsStatus } from '../../../src/operations/version-status.js';
import { buildCrate, indexPathOf, publishBody, sha256, type CrateMetadata } from '../../helpers/cargo-crate.js';
import { startInProcessServer, type InProcessServer } from '../../helpers/in-process-server.js';

let setup: InProcessServer;
let base: string;

beforeAll(async () => {
  setup = await startInProcessServer({ tempPrefix: 'cargo-registry-' });
  base = `${setup.server.url}/acme/cargo/main/`;
});

afterAll(async () => {
  await setup.server.close();
});

function get(path: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base}${path}`, { headers: { authorization: setup.token, ...headers } });
}

function publish(body: Buffer, token = setup.token): Promise<Response> {
  return fetch(`${base}api/v1/crates/new`, {
    method: 'PUT',
    body: new Uint8Array(body),
    headers: { authorization: token, 'content-type': 'application/octet-stream' },
  });
}

async function publishCrate(metadata: CrateMetadata, crate = buildCrate(metadata.name, metadata.vers)): Promise<Response> {
  return publish(publishBody(metadata, crate));
}

async function expectCargoError(response: Response, status: number, detail: RegExp): Promise<void> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const body = (await response.json()) as { errors: { detail: string }[] };
  expect(body.errors[0].detail).toMatch(detail);
  expect(JSON.stringify(body)).not.toContain(setup.root);
}

async function indexLines(name: string): Promise<Record<string, unknown>[]> {
  const response = await get(indexPathOf(name));
  expect(response.status).toBe(200);
  const text = await response.text();
  expect(text.endsWith('\n')).toBe(true);
  return text
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

async function storedVersions(name: string): Promise<string[]> {
  const record = await setup.store.index.getPackage({ domain: 'acme', repository: 'main', format: 'cargo', name });
  return Object.keys(record?.versions ?? {});
}

describe('config.json and auth', () => {
  it('answers 401 without a token so cargo retries with it, and says auth-required', async () => {
    const anonymous = await fetch(`${base}config.json`);
    expect(anonymous.status).toBe(401);
    const config = (await (await get('config.json')).json()) as Record<string, unknown>;
    expect(config).toEqual({ dl: `${base}api/v1/crates/{crate}/{version}/download`, api: base.replace(/\/$/, ''), 'auth-required': true });
  });

  it('refuses a token of another domain with the cargo error shape, and stores nothing', async () => {
    await createDomain(setup.store, { domain: 'other' });
    const { authorizationToken } = await getAuthorizationToken(setup.store, { domain: 'other' });
    await expectCargoError(
      await publish(publishBody({ name: 'intruder', vers: '1.0.0' }, buildCrate('intruder', '1.0.0')), authorizationToken),
      401,
      /not valid for domain acme/,
    );
    await expectCargoError(await get('config.json', { authorization: authorizationToken }), 401, /not valid for domain acme/);
    expect(await storedVersions('intruder')).toEqual([]);
  });
});

describe('anonymous reads', () => {
  it('config.json says auth-required: false when the server allows anonymous reads; writes still need a token', async () => {
    const open = await startInProcessServer({ tempPrefix: 'cargo-anonymous-', configure: (config) => (config.server.allowAnonymousRead = true) });
    try {
      const endpoint = `${open.server.url}/acme/cargo/main/`;
      const config = await fetch(`${endpoint}config.json`);
      expect(config.status).toBe(200);
      expect(((await config.json()) as Record<string, unknown>)['auth-required']).toBe(false);
      const body = new Uint8Array(publishBody({ name: 'anon', vers: '1.0.0' }, buildCrate('anon', '1.0.0')));
      await expectCargoError(await fetch(`${endpoint}api/v1/crates/new`, { method: 'PUT', body }), 401, /token of domain acme is required/);
    } finally {
      await open.server.close();
    }
  });
});

describe('publish, index and download', () => {
  it('publishes a crate whose line has every field, visible at once, and serves bytes matching cksum', async () => {
    const crate = buildCrate('Demo_Crate', '0.2.0');
    const response = await publishCrate(
      {
        name: 'Demo_Crate',
        vers: '0.2.0',
        deps: [
          {
            name: 'serde',
            version_req: '^1.0',
            features: ['derive'],
            optional: false,
            default_features: true,
            target: null,
            kind: 'normal',
            registry: 'https://example.invalid/index',
            explicit_name_in_toml: null,
          },
          {
            name: 'helper',
            version_req: '0.1',
            features: [],
            optional: true,
            default_features: false,
            target: 'cfg(unix)',
            kind: 'dev',
            registry: null,
            explicit_name_in_toml: 'aliased',
          },
        ],
        features: { std: [], fancy: ['dep:aliased'] },
        description: 'A demo',
        license: 'MIT',
        homepage: 'https://example.invalid/home',
        repository: 'https://example.invalid/repo',
        links: 'demo',
        rust_version: '1.70',
      },
      crate,
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ warnings: { invalid_categories: [], invalid_badges: [], other: [] } });
    const lines = await indexLines('Demo_Crate');
    expect(lines).toEqual([
      {
        name: 'Demo_Crate',
        vers: '0.2.0',
        deps: [
          {
            name: 'serde',
            req: '^1.0',
            features: ['derive'],
            optional: false,
            default_features: true,
            target: null,
            kind: 'normal',
            registry: 'https://example.invalid/index',
          },
          {
            name: 'aliased',
            req: '0.1',
            features: [],
            optional: true,
            default_features: false,
            target: 'cfg(unix)',
            kind: 'dev',
            registry: null,
            package: 'helper',
          },
        ],
        cksum: sha256(crate),
        features: { std: [] },
        features2: { fancy: ['dep:aliased'] },
        yanked: false,
        links: 'demo',
        v: 2,
        rust_version: '1.70',
      },
    ]);
    // Any casing of the path finds the same file.
    expect(await (await get(indexPathOf('demo_crate').toUpperCase())).text()).toContain('"vers":"0.2.0"');
    const download = await get('api/v1/crates/Demo_Crate/0.2.0/download');
    expect(download.status).toBe(200);
    expect(download.headers.get('content-encoding')).toBeNull();
    expect(sha256(Buffer.from(await download.arrayBuffer()))).toBe(lines[0].cksum);
  });

  it('accepts the same version with identical bytes, refuses it with other bytes', async () => {
    const crate = buildCrate('repeat', '1.0.0');
    expect((await publishCrate({ name: 'repeat', vers: '1.0.0' }, crate)).status).toBe(200);
    expect((await publishCrate({ name: 'repeat', vers: '1.0.0' }, crate)).status).toBe(200);
    await expectCargoError(
      await publishCrate({ name: 'repeat', vers: '1.0.0' }, buildCrate('repeat', '1.0.0', { body: '// changed\n' })),
      409,
      /already exists in repository main with other contents/,
    );
    await expectCargoError(await publishCrate({ name: 'repeat', vers: '1.0.0+build5' }, buildCrate('repeat', '1.0.0+build5')), 409, /already exists/);
    expect(await storedVersions('repeat')).toEqual(['1.0.0']);
  });

  it('answers 404 for unknown crates and wrong prefix paths, and 304 to a matching ETag', async () => {
    expect((await get(indexPathOf('nothing-here'))).status).toBe(404);
    expect((await get('ab/cd/repeat')).status).toBe(404);
    const first = await get(indexPathOf('repeat'));
    const etag = first.headers.get('etag') as string;
    expect(etag).toBeTruthy();
    expect(first.headers.get('cache-control')).toBe('no-cache');
    expect((await get(indexPathOf('repeat'), { 'if-none-match': etag })).status).toBe(304);
    expect((await publishCrate({ name: 'repeat', vers: '1.1.0' })).status).toBe(200);
    const after = await get(indexPathOf('repeat'), { 'if-none-match': etag });
    expect(after.status).toBe(200);
    expect(await after.text()).toContain('"vers":"1.1.0"');
  });
});

describe('bad input is refused with the cargo error shape and stores nothing', () => {
  const cases: [string, () => Buffer, RegExp][] = [
    [
      'a metadata length that overruns the body',
      () => publishBody({ name: 'overrun', vers: '1.0.0' }, buildCrate('overrun', '1.0.0'), { json: 10_000 }),
      /runs past the end/,
    ],
    [
      'a .crate length that overruns the body (truncated upload)',
      () => publishBody({ name: 'truncated', vers: '1.0.0' }, buildCrate('truncated', '1.0.0')).subarray(0, 60),
      /runs past the end|cut off/,
    ],
    [
      'bytes after the .crate',
      () => Buffer.concat([publishBody({ name: 'trailing', vers: '1.0.0' }, buildCrate('trailing', '1.0.0')), Buffer.from('x')]),
      /after the \.crate/,
    ],
    ['a crate name with ..', () => publishBody({ name: '..', vers: '1.0.0' }, buildCrate('..', '1.0.0')), /not a valid crate name/],
    ['a crate name with a slash', () => publishBody({ name: 'a/../b', vers: '1.0.0' }, buildCrate('b', '1.0.0')), /not a valid crate name/],
    ['a reserved device name', () => publishBody({ name: 'CON', vers: '1.0.0' }, buildCrate('CON', '1.0.0')), /not a valid crate name/],
    ['a version that is not SemVer', () => publishBody({ name: 'badver', vers: '1.0' }, buildCrate('badver', '1.0')), /not a SemVer/],
    [
      'a Cargo.toml naming another version (the upload does not match its metadata)',
      () => publishBody({ name: 'mismatch', vers: '1.0.0' }, buildCrate('mismatch', '1.0.0', { manifestVersion: '9.9.9' })),
      /is for mismatch 9\.9\.9/,
    ],
    [
      'a tar entry escaping its folder',
      () => publishBody({ name: 'escape', vers: '1.0.0' }, buildCrate('escape', '1.0.0', { extra: [{ path: 'escape-1.0.0/../../etc/passwd', content: 'x' }] })),
      /outside escape-1\.0\.0\//,
    ],
    [
      'a tar entry beside the crate folder',
      () => publishBody({ name: 'beside', vers: '1.0.0' }, buildCrate('beside', '1.0.0', { extra: [{ path: 'other/file', content: 'x' }] })),
      /outside beside-1\.0\.0\//,
    ],
    [
      'a symbolic link out of the crate',
      () =>
        publishBody(
          { name: 'linky', vers: '1.0.0' },
          buildCrate('linky', '1.0.0', { extra: [{ path: 'linky-1.0.0/evil', type: '2', linkTarget: '../../../etc/passwd' }] }),
        ),
      /outside linky-1\.0\.0\//,
    ],
    [
      'a second Cargo.toml, which unpacking would keep instead of the one checked',
      () =>
        publishBody(
          { name: 'twice', vers: '1.0.0' },
          buildCrate('twice', '1.0.0', { extra: [{ path: 'twice-1.0.0/Cargo.toml', content: '[package]\nname = "other"\nversion = "9.0.0"\n' }] }),
        ),
      /"twice-1\.0\.0\/Cargo\.toml" twice/,
    ],
    [
      'a second Cargo.toml written as ./Cargo.toml',
      () =>
        publishBody(
          { name: 'dotted', vers: '1.0.0' },
          buildCrate('dotted', '1.0.0', { extra: [{ path: 'dotted-1.0.0/./Cargo.toml', content: '[package]\nname = "other"\nversion = "9.0.0"\n' }] }),
        ),
      /"dotted-1\.0\.0\/\.\/Cargo\.toml", whose path has an empty or "\." part/,
    ],
    [
      'a dependency requirement cargo cannot parse (it would call the index entry invalid)',
      () =>
        publishBody(
          {
            name: 'badreq',
            vers: '1.0.0',
            deps: [
              { name: 'base', version_req: 'not a req!!', features: [], optional: false, default_features: true, target: null, kind: 'normal', registry: null },
            ],
          },
          buildCrate('badreq', '1.0.0'),
        ),
      /requirement "not a req!!" of base is not a version requirement/,
    ],
    ['a body that is not a tar.gz', () => publishBody({ name: 'notgz', vers: '1.0.0' }, Buffer.from('definitely not gzip')), /not a valid gzipped tar/],
    ['metadata that is not JSON', () => Buffer.concat([Buffer.from([3, 0, 0, 0]), Buffer.from('{{{'), Buffer.from([0, 0, 0, 0])]), /not valid JSON/],
  ];
  for (const [what, body, detail] of cases) {
    it(what, async () => {
      await expectCargoError(await publish(body()), 400, detail);
    });
  }

  it('stored none of them', async () => {
    const names = (await setup.store.index.listPackages('acme', 'main', 'cargo')).map((ref) => ref.name);
    for (const refused of [
      'overrun',
      'truncated',
      'trailing',
      'badver',
      'mismatch',
      'escape',
      'beside',
      'linky',
      'twice',
      'dotted',
      'badreq',
      'notgz',
      'con',
      'b',
    ])
      expect(names).not.toContain(refused);
  });

  it('refuses a name that differs from a stored crate only in - and _ or in case', async () => {
    expect((await publishCrate({ name: 'dash-name', vers: '1.0.0' })).status).toBe(200);
    await expectCargoError(await publishCrate({ name: 'dash_name', vers: '2.0.0' }), 409, /clashes with the crate dash-name/);
    await expectCargoError(await publishCrate({ name: 'Dash-Name', vers: '2.0.0' }), 409, /published here as dash-name/);
    expect(await storedVersions('dash_name')).toEqual([]);
    expect(await storedVersions('dash-name')).toEqual(['1.0.0']);
  });
});

describe('yank, statuses, search and owners', () => {
  it('yank and unyank flip the line, and the version stays downloadable', async () => {
    expect((await publishCrate({ name: 'yanky', vers: '1.0.0' })).status).toBe(200);
    const yank = await fetch(`${base}api/v1/crates/yanky/1.0.0/yank`, { method: 'DELETE', headers: { authorization: setup.token } });
    expect(await yank.json()).toEqual({ ok: true });
    expect((await indexLines('yanky'))[0].yanked).toBe(true);
    expect((await get('api/v1/crates/yanky/1.0.0/download')).status).toBe(200);
    const unyank = await fetch(`${base}api/v1/crates/yanky/1.0.0/unyank`, { method: 'PUT', headers: { authorization: setup.token } });
    expect(await unyank.json()).toEqual({ ok: true });
    expect((await indexLines('yanky'))[0].yanked).toBe(false);
    await expectCargoError(
      await fetch(`${base}api/v1/crates/yanky/9.9.9/yank`, { method: 'DELETE', headers: { authorization: setup.token } }),
      404,
      /yanky 9\.9\.9 is not in repository main/,
    );
  });

  it('maps Unlisted and Archived to yanked, hides Disposed, and refuses downloads of Archived', async () => {
    for (const vers of ['1.0.0', '1.1.0', '1.2.0', '1.3.0']) expect((await publishCrate({ name: 'statuses', vers })).status).toBe(200);
    const key = { domain: 'acme', repository: 'main', format: 'cargo' as const, name: 'statuses' };
    await updatePackageVersionsStatus(setup.store, key, { versions: ['1.1.0'], targetStatus: 'Unlisted' });
    await updatePackageVersionsStatus(setup.store, key, { versions: ['1.2.0'], targetStatus: 'Archived' });
    const { disposePackageVersions } = await import('../../../src/operations/version-status.js');
    await disposePackageVersions(setup.store, key, { versions: ['1.3.0'] });
    expect((await indexLines('statuses')).map((line) => [line.vers, line.yanked])).toEqual([
      ['1.0.0', false],
      ['1.1.0', true],
      ['1.2.0', true],
    ]);
    await expectCargoError(await publishCrate({ name: 'statuses', vers: '1.3.0' }), 409, /was disposed/);
    expect((await get('api/v1/crates/statuses/1.1.0/download')).status).toBe(200);
    await expectCargoError(await get('api/v1/crates/statuses/1.2.0/download'), 404, /statuses 1\.2\.0/);
    await expectCargoError(await get('api/v1/crates/statuses/1.3.0/download'), 404, /statuses 1\.3\.0/);
  });

  it('search finds crates by name and description with the newest unyanked version', async () => {
    expect((await publishCrate({ name: 'searchable', vers: '0.1.0', description: 'Finds needles' })).status).toBe(200);
    const found = (await (await get('api/v1/crates?q=needles&per_page=5')).json()) as { crates: unknown[]; meta: { total: number } };
    expect(found).toEqual({ crates: [{ name: 'searchable', max_version: '0.1.0', description: 'Finds needles' }], meta: { total: 1 } });
    await expectCargoError(await get('api/v1/crates?q=x&per_page=0'), 400, /per_page/);
  });

  it('search finds a version published since the last search, reading only its crate', async () => {
    const search = async (q: string) => (await (await get(`api/v1/crates?q=${q}`)).json()) as { crates: { name: string; max_version: string }[] };
    expect((await search('haystacks')).crates).toEqual([]);
    expect((await publishCrate({ name: 'searchable', vers: '0.2.0', description: 'Finds needles in haystacks' })).status).toBe(200);
    const reads = vi.spyOn(setup.store.index, 'summarizePackage');
    try {
      expect((await search('haystacks')).crates).toMatchObject([{ name: 'searchable', max_version: '0.2.0' }]);
      expect(reads.mock.calls.map(([key]) => key.name)).toEqual(['searchable']);
    } finally {
      reads.mockRestore();
    }
  });

  it('owners --list has a fixed answer, and changes are refused with the reason', async () => {
    const owners = (await (await get('api/v1/crates/searchable/owners')).json()) as { users: { login: string }[] };
    expect(owners.users).toHaveLength(1);
    const add = await fetch(`${base}api/v1/crates/searchable/owners`, { method: 'PUT', body: '{"users":["bob"]}', headers: { authorization: setup.token } });
    await expectCargoError(add, 400, /no crate owners to change/);
  });
});

describe('copy and delete through the API', () => {
  it('a copied version keeps its index line; a deleted package is gone from the index', async () => {
    const { createRepository } = await import('../../../src/operations/repositories.js');
    const { copyPackageVersions } = await import('../../../src/operations/copy-versions.js');
    const { deletePackage } = await import('../../../src/operations/packages.js');
    await createRepository(setup.store, { domain: 'acme', repository: 'copies' });
    await copyPackageVersions(setup.store, {
      domain: 'acme',
      sourceRepository: 'main',
      destinationRepository: 'copies',
      package: { format: 'cargo', name: 'repeat' },
      versions: ['1.0.0'],
    });
    const copied = await fetch(`${setup.server.url}/acme/cargo/copies/${indexPathOf('repeat')}`, { headers: { authorization: setup.token } });
    const [line] = (await copied.text())
      .trimEnd()
      .split('\n')
      .map((text) => JSON.parse(text) as Record<string, unknown>);
    expect(line).toMatchObject({ name: 'repeat', vers: '1.0.0', cksum: sha256(buildCrate('repeat', '1.0.0')), yanked: false });
    await deletePackage(setup.store, { domain: 'acme', repository: 'copies', format: 'cargo', name: 'repeat' });
    expect((await fetch(`${setup.server.url}/acme/cargo/copies/${indexPathOf('repeat')}`, { headers: { authorization: setup.token } })).status).toBe(404);
  });
});

describe('the rendered index file is cached', () => {
  it('renders a crate with 1,000 versions once and answers later reads from the cache', async () => {
    const line = (vers: string) => ({ name: 'many', vers, deps: [], cksum: '0'.repeat(64), features: {}, links: null });
    await setup.store.index.updatePackage({ domain: 'acme', repository: 'main', format: 'cargo', name: 'many' }, () => {
      const versions: Record<string, unknown> = {};
      for (let i = 0; i < 1000; i += 1) {
        const vers = `1.0.${i}`;
        versions[vers] = {
          version: vers,
          status: 'Published',
          revision: 'r',
          publishedTime: new Date(0).toISOString(),
          origin: { domainEntryPoint: { repositoryName: 'main' }, originType: 'INTERNAL' },
          assets: [],
          formatMetadata: { index: line(vers) },
        };
      }
      return { format: 'cargo', name: 'many', originConfiguration: { restrictions: { publish: 'ALLOW', upstream: 'BLOCK' } }, versions } as never;
    });
    const before = indexFiles.renders;
    const first = await (await get(indexPathOf('many'))).text();
    expect(first.trimEnd().split('\n')).toHaveLength(1000);
    for (let i = 0; i < 5; i += 1) expect(await (await get(indexPathOf('many'), { 'x-bust': String(i) })).text()).toBe(first);
    expect(indexFiles.renders - before).toBe(1);
  });
});
