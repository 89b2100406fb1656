/**
 * The Swift registry over real HTTP, driven by the requests SwiftPM 5.9+ sends (swiftpm-exchange.ts):
 * a publish and a resolve replayed with their headers, and the round trip between them.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { PackageKey } from '../../../src/core/model.js';
import { putPackageOriginConfiguration } from '../../../src/operations/origin-configuration.js';
import { createPackageGroup } from '../../../src/operations/package-groups.js';
import { updatePackageGroupOriginConfiguration } from '../../../src/operations/package-groups-origin.js';
import { createRepository } from '../../../src/operations/repositories.js';
import { updatePackageVersionsStatus } from '../../../src/operations/version-status.js';
import { beforeIndexUpdate } from '../../helpers/before-index-update.js';
import { startInProcessServer, type InProcessServer } from '../../helpers/in-process-server.js';
import {
  ACCEPT,
  MANIFEST,
  clientJson,
  clientManifestLinks,
  clientSourceLocations,
  clientVersions,
  registryGet,
  registryPublish,
  send,
  sourceArchive,
  problemOf,
  type Credentials,
  type RegistryJson,
} from './swiftpm-exchange.js';
import { stringContaining, stringMatching } from '../../helpers/matchers.js';

let harness: InProcessServer;
let endpoint: string;
let bearer: Credentials;
let basic: Credentials;

const METADATA = {
  author: { name: 'Mona' },
  description: 'One linked list',
  licenseURL: 'https://example.invalid/mona/LinkedList/LICENSE',
  repositoryURLs: ['https://example.invalid/mona/LinkedList', 'git@example.invalid:mona/LinkedList.git'],
};

function key(name = 'linkedlist', repository = 'main'): PackageKey {
  return { domain: 'acme', repository, format: 'swift', namespace: 'mona', name };
}

function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function json(exchange: { body: Buffer }): RegistryJson {
  return JSON.parse(exchange.body.toString('utf8')) as RegistryJson;
}

beforeAll(async () => {
  harness = await startInProcessServer({ tempPrefix: 'artifact-cli-swift-' });
  endpoint = `${harness.server.url}/acme/swift/main/`;
  bearer = { bearer: harness.token };
  // `swift package-registry login --username token --password <token>` keeps a basic login.
  basic = { basic: { login: 'token', password: harness.token } };
});

afterAll(async () => {
  await harness.server.close(100);
});

describe('publish, as `swift package-registry publish` sends it', () => {
  const archive = sourceArchive('LinkedList', {
    manifests: { 'Package.swift': MANIFEST, 'Package@swift-5.8.swift': '// swift-tools-version:5.8\nimport PackageDescription\n' },
  });

  it('answers 201 with the release URL in Location and Content-Version 1, and stores the release', async () => {
    const answer = await registryPublish(endpoint, 'mona', 'LinkedList', '1.0.0', { archive, metadata: METADATA }, bearer);
    expect(answer.status, answer.body.toString()).toBe(201);
    expect(answer.headers['content-version']).toBe('1');
    expect(answer.headers.location).toBe(`${endpoint}mona/LinkedList/1.0.0`);
    const record = await harness.store.index.getPackage(key());
    expect(record?.versions['1.0.0']?.status).toBe('Published');
    expect(record?.versions['1.0.0']?.assets.map((asset) => asset.name).sort()).toEqual(['LinkedList-1.0.0.zip', 'Package.swift', 'Package@swift-5.8.swift']);
    expect(record?.versions['1.0.0']?.summary).toBe('One linked list');
  });

  it('takes Basic credentials with the token as password, as netrc logins of type basic send them', async () => {
    const answer = await registryPublish(endpoint, 'mona', 'LinkedList', '1.1.0', { archive: sourceArchive('LinkedList'), metadata: METADATA }, basic);
    expect(answer.status, answer.body.toString()).toBe(201);
  });

  it('answers a retried publish of the same archive with 201 again, and other bytes with 409 problem+json', async () => {
    const again = await registryPublish(endpoint, 'mona', 'LinkedList', '1.0.0', { archive, metadata: METADATA }, bearer);
    expect(again.status).toBe(201);
    const other = await registryPublish(
      endpoint,
      'mona',
      'LinkedList',
      '1.0.0',
      { archive: sourceArchive('LinkedList', { extra: [{ name: 'LinkedList/CHANGES.md', content: 'more' }] }) },
      bearer,
    );
    expect(other.status).toBe(409);
    expect(problemOf(other)).toMatchObject({ status: 409, detail: stringContaining('different source archive') });
    expect(other.headers['content-version']).toBe('1');
  });

  it('refuses with 409 a version that differs from a published one only in build metadata (one release to SwiftPM)', async () => {
    for (const version of ['1.0.0+build.5', '1.1.0+other']) {
      const variant = await registryPublish(endpoint, 'mona', 'LinkedList', version, { archive, metadata: METADATA }, bearer);
      expect(variant.status, variant.body.toString()).toBe(409);
      expect(problemOf(variant).detail).toMatch(/differs from it only in build metadata/);
      expect(await harness.store.index.getPackage(key())).not.toHaveProperty(['versions', version]);
    }
  });

  it('refuses a publish without a token with 401', async () => {
    const answer = await registryPublish(endpoint, 'mona', 'LinkedList', '9.0.0', { archive }, undefined);
    expect(answer.status).toBe(401);
    expect(await harness.store.index.getPackage(key())).not.toHaveProperty(['versions', '9.0.0']);
  });

  it("keeps a signed release's signature and hands it back with the archive", async () => {
    const signature = Buffer.from('not really CMS, but bytes the registry keeps as they are');
    const answer = await registryPublish(endpoint, 'mona', 'Signed', '1.0.0', { archive: sourceArchive('Signed'), archiveSignature: signature }, bearer, {
      'x-swift-package-signature-format': 'cms-1.0.0',
    });
    expect(answer.status, answer.body.toString()).toBe(201);
    const metadata = json(await registryGet(`${endpoint}mona/Signed/1.0.0`, 'json', bearer));
    expect(metadata.resources[0].signing).toEqual({ signatureBase64Encoded: signature.toString('base64'), signatureFormat: 'cms-1.0.0' });
    const download = await registryGet(`${endpoint}mona/Signed/1.0.0.zip`, 'zip', bearer);
    expect(download.headers['x-swift-package-signature-format']).toBe('cms-1.0.0');
    expect(download.headers['x-swift-package-signature']).toBe(signature.toString('base64'));
  });
});

describe('resolve, as SwiftPM fetches a registry dependency', () => {
  it('lists the releases with latest-version and the repository URLs in Link', async () => {
    const answer = await registryGet(`${endpoint}mona/LinkedList`, 'json', bearer);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/json');
    expect(answer.headers['content-version']).toBe('1');
    expect(json(answer)).toEqual({
      releases: {
        '1.1.0': { url: `${endpoint}mona/LinkedList/1.1.0` },
        '1.0.0': { url: `${endpoint}mona/LinkedList/1.0.0` },
      },
    });
    expect(answer.headers.link).toBe(
      `<https://example.invalid/mona/LinkedList>; rel="canonical", <git@example.invalid:mona/LinkedList.git>; rel="alternate", <${endpoint}mona/LinkedList/1.1.0>; rel="latest-version"`,
    );
    // Read as SwiftPM reads it.
    expect(clientVersions(answer)).toEqual(['1.1.0', '1.0.0']);
    expect(clientSourceLocations(answer)).toEqual([
      { url: 'https://example.invalid/mona/LinkedList', rel: 'canonical' },
      { url: 'git@example.invalid:mona/LinkedList.git', rel: 'alternate' },
    ]);
  });

  it('takes the `.json` extension the specification lets clients append to the list and release URLs', async () => {
    expect(clientVersions(await registryGet(`${endpoint}mona/LinkedList.json`, 'json', bearer))).toEqual(['1.1.0', '1.0.0']);
    expect(clientJson(await registryGet(`${endpoint}mona/LinkedList/1.0.0.json`, 'json', bearer))).toMatchObject({ id: 'mona.LinkedList', version: '1.0.0' });
  });

  it('finds the same package whatever the case of scope and name', async () => {
    const answer = await registryGet(`${endpoint}MONA/linkedlist`, 'json', bearer);
    expect(Object.keys(json(answer).releases)).toEqual(['1.1.0', '1.0.0']);
  });

  it('serves release metadata with the checksum of the archive it then downloads, with Digest and Content-Disposition', async () => {
    const metadata = await registryGet(`${endpoint}mona/LinkedList/1.0.0`, 'json', bearer);
    expect(metadata.status).toBe(200);
    expect(metadata.headers['content-version']).toBe('1');
    const body = clientJson(metadata);
    expect(body).toMatchObject({
      id: 'mona.LinkedList',
      version: '1.0.0',
      metadata: METADATA,
      publishedAt: stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
    });
    expect(body.resources).toEqual([{ name: 'source-archive', type: 'application/zip', checksum: stringMatching(/^[0-9a-f]{64}$/) }]);
    expect(metadata.headers.link).toBe(`<${endpoint}mona/LinkedList/1.1.0>; rel="latest-version", <${endpoint}mona/LinkedList/1.1.0>; rel="successor-version"`);

    const download = await registryGet(`${endpoint}mona/LinkedList/1.0.0.zip`, 'zip', bearer);
    expect(download.status).toBe(200);
    expect(download.headers['content-type']).toBe('application/zip');
    expect(download.headers['content-version']).toBe('1');
    expect(download.headers['content-disposition']).toMatch(/^attachment; filename="LinkedList-1\.0\.0\.zip"/);
    // SwiftPM compares the archive's SHA-256 with the checksum the metadata announced.
    expect(sha256Hex(download.body)).toBe(body.resources[0].checksum);
    expect(download.headers.digest).toBe(`sha-256=${createHash('sha256').update(download.body).digest('base64')}`);
  });

  it('links a release to its predecessor', async () => {
    const metadata = await registryGet(`${endpoint}mona/LinkedList/1.1.0`, 'json', basic);
    expect(metadata.headers.link).toBe(
      `<${endpoint}mona/LinkedList/1.1.0>; rel="latest-version", <${endpoint}mona/LinkedList/1.0.0>; rel="predecessor-version"`,
    );
  });

  it('serves Package.swift with the versioned manifests as Link alternates, and each of those on ?swift-version=', async () => {
    const manifest = await registryGet(`${endpoint}mona/LinkedList/1.0.0/Package.swift`, 'swift', bearer);
    expect(manifest.status).toBe(200);
    expect(manifest.headers['content-type']).toBe('text/x-swift');
    expect(manifest.headers['content-version']).toBe('1');
    expect(manifest.headers['content-disposition']).toMatch(/^attachment; filename="Package\.swift"/);
    expect(manifest.body.toString()).toBe(MANIFEST);
    expect(manifest.headers.link).toBe(
      `<${endpoint}mona/LinkedList/1.0.0/Package.swift?swift-version=5.8>; rel="alternate"; filename="Package@swift-5.8.swift"; swift-tools-version="5.8"`,
    );
    expect(clientManifestLinks(manifest)).toEqual([
      { url: `${endpoint}mona/LinkedList/1.0.0/Package.swift?swift-version=5.8`, filename: 'Package@swift-5.8.swift', toolsVersion: '5.8' },
    ]);

    const variant = await registryGet(`${endpoint}mona/LinkedList/1.0.0/Package.swift?swift-version=5.8`, 'swift', bearer);
    expect(variant.status).toBe(200);
    expect(variant.body.toString()).toMatch(/^\/\/ swift-tools-version:5\.8/);
    expect(variant.headers['content-disposition']).toMatch(/filename="Package@swift-5\.8\.swift"/);
  });

  it('gives every alternate manifest a swift-tools-version SwiftPM can parse (MAJOR.MINOR at least)', async () => {
    const manifests = {
      'Package.swift': MANIFEST,
      'Package@swift-5.swift': '// swift-tools-version:5\nimport PackageDescription\n',
      'Package@swift-4.2.swift': 'import PackageDescription\n',
    };
    expect((await registryPublish(endpoint, 'mona', 'Tools', '1.0.0', { archive: sourceArchive('Tools', { manifests }) }, bearer)).status).toBe(201);
    const manifest = await registryGet(`${endpoint}mona/Tools/1.0.0/Package.swift`, 'swift', bearer);
    const links = clientManifestLinks(manifest).map(({ filename, toolsVersion }) => [filename, toolsVersion]);
    expect(links.sort()).toEqual([
      ['Package@swift-4.2.swift', '4.2'],
      ['Package@swift-5.swift', '5.0'],
    ]);
    // SwiftPM asks for a versioned manifest by its full tools version: 5.0.0 finds Package@swift-5.swift.
    const variant = await registryGet(`${endpoint}mona/Tools/1.0.0/Package.swift?swift-version=5.0.0`, 'swift', bearer);
    expect([variant.status, variant.body.toString()]).toEqual([200, manifests['Package@swift-5.swift']]);
  });

  it('sends a request for a Swift version without its own manifest to Package.swift with 303', async () => {
    const answer = await registryGet(`${endpoint}mona/LinkedList/1.0.0/Package.swift?swift-version=6.0`, 'swift', bearer);
    expect(answer.status).toBe(303);
    expect(answer.headers.location).toBe(`${endpoint}mona/LinkedList/1.0.0/Package.swift`);
  });

  it('looks packages up by repository URL, in any of its spellings', async () => {
    for (const url of ['https://example.invalid/mona/LinkedList', 'https://example.invalid/mona/linkedlist.git', 'git@example.invalid:mona/LinkedList.git']) {
      const answer = await registryGet(`${endpoint}identifiers?url=${encodeURIComponent(url)}`, 'json', bearer);
      expect(answer.status, url).toBe(200);
      expect(json(answer)).toEqual({ identifiers: ['mona.LinkedList'] });
    }
    const none = await registryGet(`${endpoint}identifiers?url=${encodeURIComponent('https://example.invalid/someone/else')}`, 'json', bearer);
    expect(none.status).toBe(404);
    expect(problemOf(none).status).toBe(404);
  });

  it('finds a release published since the last lookup, reading only its package, and drops one archived since', async () => {
    const ring = 'https://example.invalid/mona/Ring';
    const lookUp = () => registryGet(`${endpoint}identifiers?url=${encodeURIComponent(ring)}`, 'json', bearer);
    expect((await lookUp()).status).toBe(404);
    const published = await registryPublish(
      endpoint,
      'mona',
      'Ring',
      '1.0.0',
      { archive: sourceArchive('Ring'), metadata: { repositoryURLs: [ring] } },
      bearer,
    );
    expect(published.status, published.body.toString()).toBe(201);
    const reads = vi.spyOn(harness.store.index, 'getPackage');
    let found;
    try {
      found = await lookUp();
      expect(reads.mock.calls.map(([read]) => `${read.namespace}/${read.name}`)).toEqual(['mona/ring']);
    } finally {
      reads.mockRestore();
    }
    expect(found.status).toBe(200);
    expect(json(found)).toEqual({ identifiers: ['mona.Ring'] });
    await updatePackageVersionsStatus(harness.store, key('ring'), { versions: ['1.0.0'], targetStatus: 'Archived' });
    expect((await lookUp()).status).toBe(404);
  });

  it('answers POST /login 200 with a token and 401 without', async () => {
    const ok = await send(`${endpoint}login`, { method: 'POST', headers: { accept: ACCEPT.json, authorization: `Bearer ${harness.token}` } });
    expect([ok.status, ok.headers['content-version']]).toEqual([200, '1']);
    const refused = await send(`${endpoint}login`, { method: 'POST', headers: { accept: ACCEPT.json } });
    expect(refused.status).toBe(401);
    const wrong = await send(`${endpoint}login`, { method: 'POST', headers: { accept: ACCEPT.json, authorization: 'Bearer not-a-token' } });
    expect(wrong.status).toBe(401);
  });

  it('answers the login check at the registry URL itself, where `swift package-registry login <registry URL>` posts it', async () => {
    // SwiftPM posts to the path of the URL it was given (Foundation drops the trailing slash), with no Accept and no body.
    for (const url of [endpoint, endpoint.slice(0, -1)]) {
      const ok = await send(url, { method: 'POST', headers: { authorization: `Bearer ${harness.token}` } });
      expect([ok.status, ok.headers['content-version']], url).toEqual([200, '1']);
      expect((await send(url, { method: 'POST', headers: {} })).status).toBe(401);
    }
  });

  it('answers 404 problem+json for an unknown package or release', async () => {
    const pkg = await registryGet(`${endpoint}mona/Nothing`, 'json', bearer);
    expect(pkg.status).toBe(404);
    expect(problemOf(pkg)).toMatchObject({ status: 404, title: 'Not Found', detail: stringContaining('mona.Nothing') });
    const release = await registryGet(`${endpoint}mona/LinkedList/7.0.0.zip`, 'zip', bearer);
    expect(release.status).toBe(404);
    expect(problemOf(release).status).toBe(404);
  });
});

describe('version statuses', () => {
  it('hides Unlisted releases from the list but serves them; answers 410 for Archived ones', async () => {
    const archive = sourceArchive('States');
    for (const version of ['1.0.0', '2.0.0']) expect((await registryPublish(endpoint, 'mona', 'States', version, { archive }, bearer)).status).toBe(201);
    await updatePackageVersionsStatus(harness.store, key('states'), { versions: ['2.0.0'], targetStatus: 'Unlisted' });
    expect(Object.keys(json(await registryGet(`${endpoint}mona/States`, 'json', bearer)).releases)).toEqual(['1.0.0']);
    expect((await registryGet(`${endpoint}mona/States/2.0.0.zip`, 'zip', bearer)).status).toBe(200);

    await updatePackageVersionsStatus(harness.store, key('states'), { versions: ['1.0.0'], targetStatus: 'Archived' });
    const gone = await registryGet(`${endpoint}mona/States/1.0.0.zip`, 'zip', bearer);
    expect(gone.status).toBe(410);
    expect(problemOf(gone)).toMatchObject({ status: 410, title: 'Gone' });
    // The list names the archived release with a problem, as the specification asks; SwiftPM skips it.
    const list = await registryGet(`${endpoint}mona/States`, 'json', bearer);
    expect(json(list).releases).toEqual({
      '1.0.0': {
        url: `${endpoint}mona/States/1.0.0`,
        problem: { status: 410, title: 'Gone', detail: 'Release mona.States 1.0.0 is archived and can no longer be downloaded.' },
      },
    });
    expect(clientVersions(list)).toEqual([]);
  });
});

describe('upstream repositories', () => {
  it('serves a release of an upstream repository and keeps it in the repository asked once downloaded', async () => {
    await createRepository(harness.store, { domain: 'acme', repository: 'downstream', upstreams: ['main'] });
    const downstream = `${harness.server.url}/acme/swift/downstream/`;
    const list = await registryGet(`${downstream}mona/LinkedList`, 'json', bearer);
    expect(Object.keys(json(list).releases)).toEqual(['1.1.0', '1.0.0']);
    expect(json(list).releases['1.0.0'].url).toBe(`${downstream}mona/LinkedList/1.0.0`);
    expect(await harness.store.index.getPackage(key('linkedlist', 'downstream'))).toBeUndefined();
    const download = await registryGet(`${downstream}mona/LinkedList/1.0.0.zip`, 'zip', bearer);
    expect(download.status).toBe(200);
    const kept = await harness.store.index.getPackage(key('linkedlist', 'downstream'));
    expect(Object.keys(kept?.versions ?? {})).toEqual(['1.0.0']);
    expect(kept?.originConfiguration.restrictions).toEqual({ publish: 'BLOCK', upstream: 'ALLOW' });
  });

  it('answers 404 when the repository asked blocks upstream versions while a release is being kept there, as when the block was set before', async () => {
    expect((await registryPublish(endpoint, 'mona', 'Held', '1.0.0', { archive: sourceArchive('Held') }, bearer)).status).toBe(201);
    await createRepository(harness.store, { domain: 'acme', repository: 'refusing', upstreams: ['main'] });
    const asked = key('held', 'refusing');
    const archiveUrl = `${harness.server.url}/acme/swift/refusing/mona/Held/1.0.0.zip`;
    const refused = await beforeIndexUpdate(
      harness.store,
      asked,
      () => putPackageOriginConfiguration(harness.store, asked, { publish: 'ALLOW', upstream: 'BLOCK' }),
      () => registryGet(archiveUrl, 'zip', bearer),
    );
    // SwiftPM shows the problem's detail for either status; the next resolve finds no release, so 404 matches it.
    expect(refused.status).toBe(404);
    expect(problemOf(refused)).toMatchObject({ status: 404, detail: stringContaining('blocked in refusing by its origin controls (upstream=BLOCK)') });
    expect((await harness.store.index.getPackage(asked))?.versions).toEqual({});
    const later = await registryGet(archiveUrl, 'zip', bearer);
    expect(later.status).toBe(404);
    expect(problemOf(later).status).toBe(404);
  });
});

describe('origin controls and package groups', () => {
  it("refuses a publish the package's origin controls block with 403 problem+json", async () => {
    expect((await registryPublish(endpoint, 'mona', 'Guarded', '1.0.0', { archive: sourceArchive('Guarded') }, bearer)).status).toBe(201);
    await putPackageOriginConfiguration(harness.store, key('guarded'), { publish: 'BLOCK', upstream: 'ALLOW' });
    const refused = await registryPublish(endpoint, 'mona', 'Guarded', '2.0.0', { archive: sourceArchive('Guarded') }, bearer);
    expect(refused.status).toBe(403);
    expect(problemOf(refused)).toMatchObject({ status: 403, detail: stringContaining('publish=BLOCK') });
    expect(Object.keys((await harness.store.index.getPackage(key('guarded')))?.versions ?? {})).toEqual(['1.0.0']);
  });

  it('refuses a publish into a scope whose package group blocks direct publishing', async () => {
    // Patterns use the normalized (lowercased) scope and name.
    await createPackageGroup(harness.store, { domain: 'acme', packageGroup: '/swift/locked/*' });
    await updatePackageGroupOriginConfiguration(harness.store, { domain: 'acme', packageGroup: '/swift/locked/*', restrictions: { PUBLISH: 'BLOCK' } });
    const blobs = async () => {
      let count = 0;
      for await (const _ of harness.store.blobs.list()) count++;
      return count;
    };
    const before = await blobs();
    const refused = await registryPublish(endpoint, 'Locked', 'Thing', '1.0.0', { archive: sourceArchive('Thing') }, bearer);
    expect(await blobs()).toBe(before);
    expect(refused.status).toBe(403);
    expect(problemOf(refused).status).toBe(403);
    expect(await harness.store.index.getPackage({ ...key('thing'), namespace: 'locked' })).toBeUndefined();
  });
});

describe('concurrent publishes', () => {
  it('publishes versions of one package side by side, and lets one of several archives for one version win', async () => {
    const versions = ['3.0.0', '3.0.1', '3.0.2', '3.0.3', '3.0.4'];
    const answers = await Promise.all(
      versions.map((version) => registryPublish(endpoint, 'mona', 'Busy', version, { archive: sourceArchive('Busy') }, bearer)),
    );
    expect(answers.map((answer) => answer.status)).toEqual(versions.map(() => 201));
    expect(Object.keys(json(await registryGet(`${endpoint}mona/Busy`, 'json', bearer)).releases)).toEqual([...versions].reverse());

    const archives = [1, 2, 3, 4].map((n) => sourceArchive('Busy', { extra: [{ name: `Busy/variant-${n}.txt`, content: String(n) }] }));
    const racing = await Promise.all(archives.map((archive) => registryPublish(endpoint, 'mona', 'Busy', '4.0.0', { archive }, bearer)));
    expect(racing.map((answer) => answer.status).sort()).toEqual([201, 409, 409, 409]);
    const winner = archives[racing.findIndex((answer) => answer.status === 201)];
    const metadata = json(await registryGet(`${endpoint}mona/Busy/4.0.0`, 'json', bearer));
    expect(metadata.resources[0].checksum).toBe(sha256Hex(winner));
  });
});

describe('publisher-supplied URLs in headers', () => {
  it('leaves repository URLs that cannot sit in a Link header out of it, and keeps them in the metadata', async () => {
    const metadata = {
      repositoryURLs: [
        'https://example.invalid/a b\r\nx-injected: 1',
        'https://example.invalid/<odd>',
        'https://example.invalid/a,b',
        'https://example.invalid/a;b',
        'https://example.invalid/mona/Plain',
      ],
    };
    expect((await registryPublish(endpoint, 'mona', 'Urls', '1.0.0', { archive: sourceArchive('Urls'), metadata }, bearer)).status).toBe(201);
    const list = await registryGet(`${endpoint}mona/Urls`, 'json', bearer);
    expect(list.status).toBe(200);
    expect(list.headers['x-injected']).toBeUndefined();
    expect(list.headers.link).toBe(`<https://example.invalid/mona/Plain>; rel="canonical", <${endpoint}mona/Urls/1.0.0>; rel="latest-version"`);
    expect(clientSourceLocations(list)).toEqual([{ url: 'https://example.invalid/mona/Plain', rel: 'canonical' }]);
    expect(json(await registryGet(`${endpoint}mona/Urls/1.0.0`, 'json', bearer)).metadata).toEqual(metadata);
  });

  it('serves originalPublicationTime as published, in the whole seconds SwiftPM decodes dates in', async () => {
    const metadata = { originalPublicationTime: '2024-05-01T12:00:00+02:00' };
    expect((await registryPublish(endpoint, 'mona', 'Dated', '1.0.0', { archive: sourceArchive('Dated'), metadata }, bearer)).status).toBe(201);
    expect(clientJson(await registryGet(`${endpoint}mona/Dated/1.0.0`, 'json', bearer)).metadata).toEqual(metadata);
  });
});
