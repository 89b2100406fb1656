import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { PackageVersionStatus } from '../../../src/core/model.js';
import { withRevision } from '../../../src/core/revision.js';
import { buildNupkg, type BuiltNupkg } from '../../helpers/nupkg.js';
import { RESOURCE_TYPES, urlsIn, type NuGetClient, type RegistrationIndex } from '../../helpers/nuget-client.js';
import { DOMAIN, startNuGetServer, type NuGetTestServer } from '../../helpers/nuget-server.js';
import { stringMatching } from '../../helpers/matchers.js';
import { parseJson } from '../../helpers/json.js';

let server: NuGetTestServer;
let client: NuGetClient;
const pushed = new Map<string, BuiltNupkg>();

async function push(id: string, version: string, extra: Parameters<typeof buildNupkg>[0] extends infer S ? Partial<S> : never = {}) {
  const built = buildNupkg({ id, version, authors: 'Contoso', ...extra });
  const response = await client.push(built.bytes);
  expect(response.status).toBe(201);
  pushed.set(`${id.toLowerCase()}@${version}`, built);
  return built;
}

async function json<T = Record<string, unknown>>(url: string): Promise<T> {
  const response = await client.send('GET', url);
  expect(response.status, url).toBe(200);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  return JSON.parse(response.body.toString('utf8')) as T;
}

async function setStatus(name: string, version: string, status: PackageVersionStatus) {
  await server.store.index.updatePackage({ domain: DOMAIN, repository: 'repo', format: 'nuget', name }, (current) => {
    const next = structuredClone(current!);
    next.versions[version] = withRevision({ ...next.versions[version], status });
    return next;
  });
}

beforeAll(async () => {
  server = await startNuGetServer({ repositories: [{ name: 'repo' }] });
  client = server.client('repo');
  await push('Acme.Util', '1.0.0', {
    description: 'Handy utilities',
    tags: ['tools', 'helpers'],
    dependencyGroups: [
      { targetFramework: 'net8.0', dependencies: [{ id: 'Acme.Core', version: '2.0' }] },
      { targetFramework: 'netstandard2.0', dependencies: [] },
    ],
  });
  await push('Acme.Util', '1.1.0-beta.1', { description: 'Handy utilities' });
  await push('Acme.Util', '1.1.0', { description: 'Handy utilities', tags: ['tools', 'helpers'] });
  await push('Acme.Core', '2.0.0', { description: 'The core', readme: '# Core' });
  await push('Acme.Core', '2.1.0-rc', { description: 'The core' });
  await push('Other.Thing', '0.1.0', { description: 'Unrelated' });
});

describe('service index', () => {
  it('lists every resource the client looks up, with absolute URLs under the repository', async () => {
    const index = await json<{ version: string; resources: { '@id': string; '@type': string }[] }>(server.source('repo'));
    expect(index.version).toMatch(/^3\./);
    const types = index.resources.map((resource) => resource['@type']);
    for (const type of Object.values(RESOURCE_TYPES).flat()) expect(types).toContain(type);
    expect(types).not.toContain('SymbolPackagePublish/4.9.0');
    for (const resource of index.resources) expect(resource['@id'].startsWith(`${server.url}/${DOMAIN}/nuget/repo/`)).toBe(true);
  });

  it('is answered from memory once asked for, still per Host and still behind the door', async () => {
    await json(server.source('repo'));
    const repositoryReads = vi.spyOn(server.store.index, 'getRepository');
    try {
      const again = await json<{ resources: { '@id': string }[] }>(server.source('repo'));
      expect(again.resources[0]['@id'].startsWith(`${server.url}/${DOMAIN}/nuget/repo/`)).toBe(true);
      expect(repositoryReads).not.toHaveBeenCalled();
    } finally {
      repositoryReads.mockRestore();
    }
    const port = new URL(server.url).port;
    const viaLocalhost = await client.send('GET', server.source('repo'), { headers: { host: `localhost:${port}` } });
    expect(parseJson<{ resources: { '@id': string }[] }>(viaLocalhost.body).resources[0]['@id']).toMatch(
      new RegExp(`^http://localhost:${port}/${DOMAIN}/nuget/repo/`),
    );
    expect((await server.client('repo', { anonymous: true }).send('GET', server.source('repo'))).status).toBe(401);
  });

  it('asks anonymous readers for Basic credentials (401 + WWW-Authenticate: Basic)', async () => {
    const anonymous = server.client('repo', { anonymous: true });
    const response = await anonymous.send('GET', server.source('repo'));
    expect(response.status).toBe(401);
    expect(String(response.headers['www-authenticate'])).toMatch(/Basic realm=/);
  });
});

describe('flat container', () => {
  it('lists lowercased normalised versions in order, and serves the exact pushed bytes and nuspec', async () => {
    expect(await client.versions('ACME.UTIL')).toEqual(['1.0.0', '1.1.0-beta.1', '1.1.0']);
    const download = await client.download('Acme.Util', '1.1.0-beta.1');
    expect(download.status).toBe(200);
    expect(download.headers['content-type']).toBe('application/octet-stream');
    expect(download.body.equals(pushed.get('acme.util@1.1.0-beta.1')!.bytes)).toBe(true);

    const base = await client.resource(RESOURCE_TYPES.packageBase);
    const nuspec = await client.send('GET', `${base}acme.core/2.0.0/acme.core.nuspec`);
    expect(nuspec.status).toBe(200);
    expect(nuspec.headers['content-type']).toBe('application/xml');
    expect(nuspec.body.toString('utf8')).toBe(pushed.get('acme.core@2.0.0')!.nuspec);
  });

  it('answers 404 for unknown ids and versions, and for what is not an id', async () => {
    const base = await client.resource(RESOURCE_TYPES.packageBase);
    expect(await client.versions('No.Such.Package')).toBeUndefined();
    expect((await client.download('Acme.Util', '9.9.9')).status).toBe(404);
    expect((await client.send('GET', `${base}not%20an%20id/index.json`)).status).toBe(404);
    expect((await client.send('GET', `${base}acme.util/1.0.0/other.1.0.0.nupkg`)).status).toBe(404);
  });

  it('tolerates a doubled slash after the base address, HEAD, and conditional requests', async () => {
    const base = await client.resource(RESOURCE_TYPES.packageBase);
    expect((await client.send('GET', `${base}/acme.util/index.json`)).status).toBe(200);
    const url = `${base}acme.util/1.0.0/acme.util.1.0.0.nupkg`;
    const head = await client.send('HEAD', url);
    expect(head.status).toBe(200);
    expect(Number(head.headers['content-length'])).toBe(pushed.get('acme.util@1.0.0')!.bytes.length);
    expect(head.body.length).toBe(0);
    const again = await client.send('GET', url, { headers: { 'if-none-match': String(head.headers.etag) } });
    expect(again.status).toBe(304);
  });
});

describe('registration', () => {
  it('inlines pages and leaves with catalog entries, and every URL in it answers', async () => {
    const registration = await client.registration('Acme.Util');
    const { index, leaves } = registration!;
    expect(index.count).toBe(1);
    expect(index.items[0]).toMatchObject({ count: 3, lower: '1.0.0', upper: '1.1.0', parent: stringMatching(/\/v3\/registration\/acme\.util\/index\.json$/) });
    expect(leaves.map((leaf) => leaf.catalogEntry.version)).toEqual(['1.0.0', '1.1.0-beta.1', '1.1.0']);
    const first = leaves[0].catalogEntry;
    expect(first).toMatchObject({
      id: 'Acme.Util',
      listed: true,
      description: 'Handy utilities',
      tags: ['tools', 'helpers'],
      packageHash: pushed.get('acme.util@1.0.0')!.sha512Base64,
      packageHashAlgorithm: 'SHA512',
      dependencyGroups: [
        { targetFramework: 'net8.0', dependencies: [{ id: 'Acme.Core', range: '[2.0.0, )' }] },
        { targetFramework: 'netstandard2.0', dependencies: [] },
      ],
    });
    expect([...urlsIn(index)].map(feedPath).sort()).toEqual(
      [
        ...['1.0.0', '1.1.0-beta.1', '1.1.0'].flatMap((version) => [
          `catalog/acme.util/${version}.json`,
          `package/acme.util/${version}/acme.util.${version}.nupkg`,
          `registration/acme.util/${version}.json`,
        ]),
        'registration/acme.util/index.json',
      ].sort(),
    );
    for (const url of urlsIn(index)) {
      const response = await client.send('GET', url);
      expect(response.status, url).toBe(200);
      expect(url, 'URLs use lowercase ids and versions').toBe(url.toLowerCase());
    }
  });

  it('serves leaf documents that point back at the index, the catalog entry and the nupkg', async () => {
    const base = await client.resource(RESOURCE_TYPES.registration);
    const leaf = await json(`${base}acme.util/1.1.0.json`);
    expect(leaf).toMatchObject({ '@id': `${base}acme.util/1.1.0.json`, listed: true, registration: `${base}acme.util/index.json` });
    const entry = await json(leaf.catalogEntry as string);
    expect(entry).toMatchObject({ id: 'Acme.Util', version: '1.1.0' });
    expect((await client.send('GET', leaf.packageContent as string)).status).toBe(200);
  });

  it('pages a package with many versions and serves each page from its @id', async () => {
    // Two real pushes; the other 128 versions are copies of the record, which is quicker than pushing them.
    await push('Many.Versions', '1.0.0');
    await push('Many.Versions', '1.1.0');
    await server.store.index.updatePackage({ domain: DOMAIN, repository: 'repo', format: 'nuget', name: 'many.versions' }, (current) => {
      const next = structuredClone(current!);
      const template = next.versions['1.1.0'];
      for (let minor = 2; minor < 130; minor++) {
        const version = `1.${minor}.0`;
        next.versions[version] = withRevision({ ...template, version, formatMetadata: { ...template.formatMetadata, version, fullVersion: version } });
      }
      return next;
    });
    const { index, leaves } = (await client.registration('many.versions'))!;
    expect(index.items.length).toBe(3);
    expect(index.items.every((page) => page.items === undefined)).toBe(true);
    expect(leaves).toHaveLength(130);
    const page = await json<RegistrationIndex['items'][number]>(index.items[1]['@id']);
    expect(page).toMatchObject({ count: 64, lower: '1.64.0', upper: '1.127.0', parent: index['@id'] });
    expect(compareOrder(leaves.map((leaf) => leaf.catalogEntry.version))).toBe(true);
  });

  it('renders once and serves the same ETag until the package changes', async () => {
    const base = await client.resource(RESOURCE_TYPES.registration);
    const first = await client.send('GET', `${base}acme.core/index.json`);
    const second = await client.send('GET', `${base}acme.core/index.json`);
    expect(second.headers.etag).toBe(first.headers.etag);
    await push('Acme.Core', '2.2.0');
    const third = await client.send('GET', `${base}acme.core/index.json`);
    expect(third.headers.etag).not.toBe(first.headers.etag);
  });
});

function compareOrder(versions: string[]): boolean {
  return versions.every((version, index) => index === 0 || Number(version.split('.')[1]) > Number(versions[index - 1].split('.')[1]));
}

describe('unlist, relist and statuses', () => {
  it('unlists with DELETE (id and version as typed), keeping the version restorable', async () => {
    await push('Unlist.Me', '1.0.0');
    await push('Unlist.Me', '2.0.0');
    const response = await client.delete('UNLIST.ME', '1.0', server.token);
    expect(response.status).toBe(204);

    const record = await server.store.index.getPackage({ domain: DOMAIN, repository: 'repo', format: 'nuget', name: 'unlist.me' });
    expect(record!.versions['1.0.0'].status).toBe('Unlisted');
    expect(await client.versions('Unlist.Me')).toEqual(['1.0.0', '2.0.0']);
    expect((await client.download('Unlist.Me', '1.0.0')).status).toBe(200);
    const { leaves } = (await client.registration('Unlist.Me'))!;
    expect(leaves.map((leaf) => [leaf.catalogEntry.version, leaf.catalogEntry.listed])).toEqual([
      ['1.0.0', false],
      ['2.0.0', true],
    ]);
    const search = parseJson<{ data: { versions: { version: string }[] }[] }>((await client.search('unlist.me')).body);
    expect(search.data[0].versions.map((entry) => entry.version)).toEqual(['2.0.0']);

    // Relist: POST to the same URL.
    const publish = await client.resource(RESOURCE_TYPES.publish);
    const relist = await client.send('POST', `${publish}/Unlist.Me/1.0.0`, { headers: { 'x-nuget-apikey': server.token } });
    expect(relist.status).toBe(200);
    expect((await client.registration('Unlist.Me'))!.leaves.every((leaf) => leaf.catalogEntry.listed)).toBe(true);
  });

  it('answers 404 when deleting what does not exist', async () => {
    expect((await client.delete('No.Such', '1.0.0', server.token)).status).toBe(404);
    expect((await client.delete('Acme.Util', '7.0.0', server.token)).status).toBe(404);
  });

  it.each(['Archived', 'Unfinished', 'Disposed'] as const)('does not offer %s versions anywhere', async (status) => {
    const id = `Status.${status}`;
    await push(id, '1.0.0');
    await push(id, '2.0.0');
    await setStatus(id.toLowerCase(), '2.0.0', status);
    expect(await client.versions(id)).toEqual(['1.0.0']);
    expect((await client.download(id, '2.0.0')).status).toBe(404);
    expect((await client.registration(id))!.leaves.map((leaf) => leaf.catalogEntry.version)).toEqual(['1.0.0']);
    const base = await client.resource(RESOURCE_TYPES.registration);
    expect((await client.send('GET', `${base}${id.toLowerCase()}/2.0.0.json`)).status).toBe(404);
    expect((await client.delete(id, '2.0.0', server.token)).status).toBe(404);
    await setStatus(id.toLowerCase(), '1.0.0', status);
    expect(await client.versions(id)).toBeUndefined();
    expect(await client.registration(id)).toBeUndefined();
  });
});

/** A feed URL without the server's address, so the list can be compared whole. */
const feedPath = (url: string) => url.replace(/^http:\/\/127\.0\.0\.1:\d+\/acme\/nuget\/repo\/v3\//, '');

describe('search', () => {
  async function search(q: string, options: Parameters<NuGetClient['search']>[1] = {}) {
    const response = await client.search(q, options);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    return JSON.parse(response.body.toString('utf8')) as {
      totalHits: number;
      data: { id: string; version: string; versions: { version: string; downloads: number; '@id': string }[]; registration: string }[];
    };
  }

  it('finds packages by id, description and tags, with the fields dotnet package search prints', async () => {
    const result = await search('acme');
    expect(result.totalHits).toBe(2);
    expect(result.data.map((hit) => hit.id)).toEqual(['Acme.Core', 'Acme.Util']);
    const util = result.data[1];
    expect(util).toMatchObject({ version: '1.1.0', description: 'Handy utilities', authors: ['Contoso'], totalDownloads: 0 });
    expect(util.versions.map((entry) => entry.version)).toEqual(['1.0.0', '1.1.0']);
    expect([...urlsIn(result.data)].map(feedPath).sort()).toEqual([
      'registration/acme.core/2.0.0.json',
      'registration/acme.core/2.2.0.json',
      'registration/acme.core/index.json',
      'registration/acme.util/1.0.0.json',
      'registration/acme.util/1.1.0.json',
      'registration/acme.util/index.json',
    ]);
    for (const url of urlsIn(result.data)) expect((await client.send('GET', url)).status, url).toBe(200);
    expect((await search('helpers')).data.map((hit) => hit.id)).toEqual(['Acme.Util']);
    expect((await search('packageid:acme.core')).data.map((hit) => hit.id)).toEqual(['Acme.Core']);
    expect((await search('nothing-matches-this')).totalHits).toBe(0);
  });

  it('shows prereleases only when asked', async () => {
    const withPrerelease = await search('acme.util', { prerelease: true });
    expect(withPrerelease.data[0].versions.map((entry) => entry.version)).toEqual(['1.0.0', '1.1.0-beta.1', '1.1.0']);
    const core = await search('acme.core', { prerelease: true });
    expect(core.data[0].version).toBe('2.2.0');
  });

  it('hides SemVer 2.0.0 versions from old clients', async () => {
    await push('Semver.Two', '1.0.0-alpha.1');
    expect((await search('semver.two', { prerelease: true })).data[0].version).toBe('1.0.0-alpha.1');
    expect((await search('semver.two', { prerelease: true, semVerLevel: '1.0.0' })).totalHits).toBe(0);
  });

  it('pages with skip and take, and lists everything for an empty query', async () => {
    const all = await search('');
    expect(all.totalHits).toBeGreaterThanOrEqual(5);
    const page = await search('', { skip: 1, take: 2 });
    expect(page.totalHits).toBe(all.totalHits);
    expect(page.data.map((hit) => hit.id)).toEqual(all.data.slice(1, 3).map((hit) => hit.id));
  });

  it('finds a version pushed since the last search, reading only its package, and drops one unlisted since', async () => {
    expect((await search('brand-new-words')).totalHits).toBe(0);
    await push('Late.Comer', '1.0.0', { description: 'brand-new-words here' });
    const reads = vi.spyOn(server.store.index, 'getPackage');
    try {
      expect((await search('brand-new-words')).data.map((hit) => hit.id)).toEqual(['Late.Comer']);
      expect(new Set(reads.mock.calls.map(([key]) => key.name))).toEqual(new Set(['late.comer']));
    } finally {
      reads.mockRestore();
    }
    await setStatus('late.comer', '1.0.0', 'Unlisted');
    expect((await search('brand-new-words')).totalHits).toBe(0);
  });

  it('autocompletes ids and versions', async () => {
    const autocomplete = await client.resource(RESOURCE_TYPES.autocomplete);
    const ids = await json<{ totalHits: number; data: string[] }>(`${autocomplete}?q=acme&take=10&prerelease=true`);
    expect(ids.data).toEqual(['Acme.Core', 'Acme.Util']);
    const versions = await json<{ data: string[] }>(`${autocomplete}?id=Acme.Util&prerelease=false`);
    expect(versions.data).toEqual(['1.0.0', '1.1.0']);
  });
});
