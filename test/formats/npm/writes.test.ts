import { beforeAll, describe, expect, it, vi } from 'vitest';
import { getAuthorizationToken } from '../../../src/operations/tokens.js';
import { buildNpmTarball } from '../../helpers/npm-tarball.js';
import { startHarness, type Harness, type NpmJson } from './npm-registry-harness.js';

let registry: Harness;

const json = (value: unknown): RequestInit => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) });
const read = async <T = NpmJson>(pathname: string) => (await registry.request(pathname)).json<T>();

interface SearchJson {
  total: number;
  objects: { package: unknown }[];
}

async function publishVersions(name: string, versions: string[]): Promise<void> {
  for (const version of versions) expect((await registry.publish(buildNpmTarball({ name, version }))).status).toBe(201);
}

beforeAll(async () => {
  registry = await startHarness();
});

describe('dist-tags', () => {
  it('lists, adds and removes tags', async () => {
    await publishVersions('tags', ['1.0.0', '1.1.0']);
    expect(await read('-/package/tags/dist-tags')).toEqual({ latest: '1.1.0' });
    expect((await registry.request('-/package/tags/dist-tags/stable', { method: 'PUT', ...json('1.0.0') })).status).toBe(201);
    expect(await read('-/package/tags/dist-tags')).toEqual({ latest: '1.1.0', stable: '1.0.0' });
    expect((await read('tags'))['dist-tags'].stable).toBe('1.0.0');
    expect((await registry.request('-/package/tags/dist-tags/stable', { method: 'DELETE' })).status).toBe(200);
    expect(await read('-/package/tags/dist-tags')).toEqual({ latest: '1.1.0' });
  });

  it.each([
    ['a tag that is a semver range', '-/package/tags/dist-tags/1.x', '1.0.0', 400, /semver range/],
    ['a version that does not exist', '-/package/tags/dist-tags/next', '9.9.9', 404, /not a published version/],
    ['a package that does not exist', '-/package/nope/dist-tags/next', '1.0.0', 404, /nope/],
    ['a body that is not a string', '-/package/tags/dist-tags/next', { version: '1.0.0' }, 400, /JSON string/],
  ])('refuses %s', async (_label, pathname, body, status, message) => {
    const response = await registry.request(pathname, { method: 'PUT', ...json(body) });
    expect(response.status).toBe(status);
    expect((await response.json()).error).toMatch(message);
    expect(await read('-/package/tags/dist-tags')).toEqual({ latest: '1.1.0' });
  });

  it('keeps a package to 1,000 tags, whether they come with a publish, one by one or with the document', async () => {
    const tagsFor = (count: number, version: string) => Object.fromEntries(Array.from({ length: count }, (_, index) => [`t${index}`, version]));
    const flood = await registry.publish(buildNpmTarball({ name: 'tag-flood', version: '1.0.0' }), {
      tamper: (body) => (body['dist-tags'] = tagsFor(1001, '1.0.0')),
    });
    expect(flood.status).toBe(400);
    expect((await flood.json()).error).toMatch(/at most 1000 dist-tags; this change would leave it with 1001/);
    expect(await registry.request('tag-flood').then((response) => response.status)).toBe(404);

    const full = await registry.publish(buildNpmTarball({ name: 'tag-flood', version: '1.0.0' }), {
      tamper: (body) => (body['dist-tags'] = { ...tagsFor(999, '1.0.0'), latest: '1.0.0' }),
    });
    expect(full.status).toBe(201);
    const oneMore = await registry.request('-/package/tag-flood/dist-tags/extra', { method: 'PUT', ...json('1.0.0') });
    expect(oneMore.status).toBe(400);
    const withTag = await registry.publish(buildNpmTarball({ name: 'tag-flood', version: '1.1.0' }), {
      tamper: (body) => (body['dist-tags'] = { next: '1.1.0' }),
    });
    expect(withTag.status).toBe(400);
    const document = await read('tag-flood?write=true');
    document['dist-tags'].another = '1.0.0';
    expect((await registry.request('tag-flood', { method: 'PUT', ...json(document) })).status).toBe(400);
    expect(Object.keys(await read<Record<string, string>>('-/package/tag-flood/dist-tags'))).toHaveLength(1000);
    expect(Object.keys((await read('tag-flood')).versions)).toEqual(['1.0.0']);
  });

  it('never removes latest, and says so', async () => {
    const response = await registry.request('-/package/tags/dist-tags/latest', { method: 'DELETE' });
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatch(/latest tag cannot be removed/);
  });
});

describe('deprecate (PUT of the whole document without attachments)', () => {
  it('sets and clears the deprecation message, and creates no versions', async () => {
    await publishVersions('old-thing', ['1.0.0', '2.0.0']);
    const document = await read('old-thing?write=true');
    document.versions['1.0.0'].deprecated = 'use 2.0.0';
    const withNewVersion = structuredClone(document);
    withNewVersion.versions['9.0.0'] = { ...document.versions['2.0.0'], version: '9.0.0' };
    const refused = await registry.request('old-thing', { method: 'PUT', ...json(withNewVersion) });
    expect(refused.status).toBe(400);
    expect((await refused.json()).error).toMatch(/old-thing@9\.0\.0 is new but the request carries no tarball/);
    expect((await read('old-thing')).versions['1.0.0']).not.toHaveProperty('deprecated');

    expect((await registry.request('old-thing', { method: 'PUT', ...json(document) })).status).toBe(200);
    const deprecated = await read('old-thing');
    expect(deprecated.versions['1.0.0'].deprecated).toBe('use 2.0.0');
    expect(Object.keys(deprecated.versions)).toEqual(['1.0.0', '2.0.0']);
    const abbreviated = await (await registry.request('old-thing', { headers: { accept: 'application/vnd.npm.install-v1+json' } })).json();
    expect(abbreviated.versions['1.0.0'].deprecated).toBe('use 2.0.0');

    deprecated.versions['1.0.0'].deprecated = '';
    expect((await registry.request('old-thing', { method: 'PUT', ...json(deprecated) })).status).toBe(200);
    expect((await read('old-thing')).versions['1.0.0']).not.toHaveProperty('deprecated');
  });
});

describe('unpublish', () => {
  it('removes one version the way npm does it, keeping latest on a version that exists', async () => {
    await publishVersions('going', ['1.0.0', '1.1.0']);
    const document = await read('going?write=true');
    delete document.versions['1.1.0'];
    document['dist-tags'].latest = '1.0.0';
    expect((await registry.request(`going/-rev/${document._rev}`, { method: 'PUT', ...json(document) })).status).toBe(200);
    const { _rev } = await read('going?write=true');
    expect((await registry.request(`going/-/going-1.1.0.tgz/-rev/${_rev}`, { method: 'DELETE' })).status).toBe(200);
    const after = await read('going');
    expect(Object.keys(after.versions)).toEqual(['1.0.0']);
    expect(after['dist-tags']).toEqual({ latest: '1.0.0' });
    expect((await registry.request('going/-/going-1.1.0.tgz')).status).toBe(404);
  });

  it('keeps Unlisted versions, which the client never saw, when it unpublishes another', async () => {
    await publishVersions('half-hidden', ['1.0.0', '1.1.0', '1.2.0']);
    await registry.store.index.updatePackage({ domain: 'acme', repository: 'main', format: 'npm', name: 'half-hidden' }, (current) => {
      const next = structuredClone(current)!;
      next.versions['1.0.0'].status = 'Unlisted';
      return next;
    });
    const document = await read('half-hidden?write=true');
    expect(Object.keys(document.versions)).toEqual(['1.1.0', '1.2.0']);
    delete document.versions['1.2.0'];
    document['dist-tags'].latest = '1.1.0';
    expect((await registry.request(`half-hidden/-rev/${document._rev}`, { method: 'PUT', ...json(document) })).status).toBe(200);
    const record = await registry.store.index.getPackage({ domain: 'acme', repository: 'main', format: 'npm', name: 'half-hidden' });
    expect(Object.keys(record?.versions ?? {}).sort()).toEqual(['1.0.0', '1.1.0']);
    expect((await registry.request('half-hidden/-/half-hidden-1.0.0.tgz')).status).toBe(200);
  });

  it('moves latest off a version that is gone even when the client does not', async () => {
    await publishVersions('careless', ['1.0.0', '1.1.0']);
    const document = await read('careless?write=true');
    delete document.versions['1.1.0'];
    delete document['dist-tags'].latest;
    expect((await registry.request(`careless/-rev/${document._rev}`, { method: 'PUT', ...json(document) })).status).toBe(200);
    expect((await read('careless'))['dist-tags']).toEqual({ latest: '1.0.0' });
  });

  it('refuses a stale _rev with 409 and changes nothing', async () => {
    await publishVersions('raced', ['1.0.0', '1.1.0']);
    const stale = await read('raced?write=true');
    await publishVersions('raced', ['1.2.0']);
    delete stale.versions['1.0.0'];
    const response = await registry.request(`raced/-rev/${stale._rev}`, { method: 'PUT', ...json(stale) });
    expect(response.status).toBe(409);
    expect((await response.json()).error).toMatch(/changed since it was read/);
    expect(Object.keys((await read('raced')).versions)).toEqual(['1.0.0', '1.1.0', '1.2.0']);
  });

  it('removes a whole package', async () => {
    await publishVersions('doomed', ['1.0.0', '2.0.0']);
    const { _rev } = await read('doomed?write=true');
    expect((await registry.request(`doomed/-rev/${_rev}`, { method: 'DELETE' })).status).toBe(200);
    expect((await registry.request('doomed')).status).toBe(404);
    expect(await registry.store.index.getPackage({ domain: 'acme', repository: 'main', format: 'npm', name: 'doomed' })).toBeUndefined();
    expect((await registry.request('doomed/-rev/1-0', { method: 'DELETE' })).status).toBe(404);
  });

  it('does not touch an upstream repository', async () => {
    expect((await registry.publish(buildNpmTarball({ name: 'upstream-owned', version: '1.0.0' }), { repository: 'shared' })).status).toBe(201);
    const { _rev } = await read('upstream-owned?write=true');
    const response = await registry.request(`upstream-owned/-rev/${_rev}`, { method: 'DELETE' });
    expect(response.status).toBe(404);
    expect((await read('upstream-owned')).versions).toHaveProperty('1.0.0');
  });
});

describe('registry-wide endpoints', () => {
  it('answers whoami with the token principal and ping with {}', async () => {
    expect(await read('-/whoami')).toEqual({ username: 'alice' });
    expect(await read('-/ping')).toEqual({});
  });

  it('searches the packages of this repository by name, description and keyword', async () => {
    await publishVersions('searchable-one', ['1.0.0']);
    const result = await read<SearchJson>('-/v1/search?text=searchable&size=5');
    expect(result.total).toBe(1);
    expect(result.objects[0].package).toMatchObject({
      name: 'searchable-one',
      version: '1.0.0',
      description: 'searchable-one for tests',
      maintainers: [{ username: 'alice' }],
    });
    expect((await read<SearchJson>('-/v1/search?text=no-such-words')).total).toBe(0);
    const bad = await registry.request('-/v1/search?text=x&size=-1');
    expect(bad.status).toBe(400);
  });

  it('finds a version published since the last search, reading only its package', async () => {
    await publishVersions('searchable-two', ['1.0.0']);
    expect((await read<SearchJson>('-/v1/search?text=freshly+described')).total).toBe(0);
    const published = await registry.publish(buildNpmTarball({ name: 'searchable-two', version: '1.1.0', manifest: { description: 'freshly described' } }));
    expect(published.status).toBe(201);
    const reads = vi.spyOn(registry.store.index, 'summarizePackage');
    let result: SearchJson;
    try {
      result = await read<SearchJson>('-/v1/search?text=freshly+described');
      expect(reads.mock.calls.map(([key]) => key.name)).toEqual(['searchable-two']);
    } finally {
      reads.mockRestore();
    }
    expect(result.objects.map((object) => object.package)).toMatchObject([{ name: 'searchable-two', version: '1.1.0' }]);
    expect((await read<SearchJson>('-/v1/search?text=searchable')).total).toBe(2);
  });

  it('reports no advisories so installs stay quiet', async () => {
    for (const pathname of ['-/npm/v1/security/advisories/bulk', '-/npm/v1/security/audits/quick']) {
      const response = await registry.request(pathname, { method: 'POST', ...json({ 'left-pad-lite': ['1.0.0'] }) });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({});
    }
  });

  it('revokes the token on npm logout', async () => {
    const { authorizationToken } = await getAuthorizationToken(registry.store, { domain: 'acme', principal: 'leaving' });
    expect(await (await registry.request('-/whoami', { token: authorizationToken })).json()).toEqual({ username: 'leaving' });
    const logout = await registry.request(`-/user/token/${encodeURIComponent(authorizationToken)}`, { method: 'DELETE', token: authorizationToken });
    expect(logout.status).toBe(200);
    expect((await registry.request('-/whoami', { token: authorizationToken })).status).toBe(401);
    expect((await registry.request('-/whoami')).status).toBe(200);
  });

  it('points npm adduser/login at artifact-cli login', async () => {
    const response = await registry.request('-/user/org.couchdb.user:alice', { method: 'PUT', ...json({ name: 'alice', password: 'secret' }) });
    expect(response.status).toBe(403);
    expect((await response.json()).error).toMatch(/artifact-cli login --tool npm --domain acme --repository main/);
  });
});
