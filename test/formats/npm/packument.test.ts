/**
 * renderPackument on its own: every field of the full and the abbreviated document, from a
 * package view built by hand, including the fallbacks a client never sees on a fresh publish
 * (a tarball stored under another name, no digests, no counts, a latest tag that names nothing).
 */
import { describe, expect, it } from 'vitest';
import type { AssetRecord, VersionRecord } from '../../../src/core/model.js';
import { parsePackageName } from '../../../src/formats/npm/package-name.js';
import type { PackageView } from '../../../src/formats/npm/package-view.js';
import { ABBREVIATED_CONTENT_TYPE, fullVersion, renderPackument } from '../../../src/formats/npm/packument.js';

const ENDPOINT = 'http://127.0.0.1:1/acme/npm/main/';
const NAME = parsePackageName('@acme/lib');
const SHA512 = 'ab'.repeat(64);
const SHA1 = 'cd'.repeat(20);

function asset(name: string, hashes: Partial<AssetRecord['hashes']> = { 'SHA-512': SHA512, 'SHA-1': SHA1 }): AssetRecord {
  return { name, size: 10, hashes: { 'SHA-256': 'ef'.repeat(32), ...hashes } };
}

function version(number: string, publishedTime: string, formatMetadata?: Record<string, unknown>, assets = [asset(`lib-${number}.tgz`)]): VersionRecord {
  return {
    version: number,
    status: 'Published',
    revision: 'r',
    publishedTime,
    origin: { domainEntryPoint: { repositoryName: 'main' }, originType: 'INTERNAL' },
    assets,
    formatMetadata,
    readme: `readme of ${number}`,
  };
}

function view(records: VersionRecord[], distTags: Record<string, string>, modified?: string): PackageView {
  return { versions: new Map(records.map((record) => [record.version, { record, repository: 'main' }])), distTags, modified };
}

const tarball = (number: string) => `${ENDPOINT}@acme/lib/-/lib-${number}.tgz`;
const integrity = `sha512-${Buffer.from(SHA512, 'hex').toString('base64')}`;

describe('renderPackument, full', () => {
  const manifest = {
    description: 'A library',
    license: 'MIT',
    homepage: 'http://127.0.0.1/home',
    repository: { type: 'git', url: 'x' },
    bugs: { url: 'y' },
    keywords: ['k'],
    author: 'me',
    contributors: ['you'],
    scripts: { test: 'true' },
    dist: { fileCount: 3, unpackedSize: 99 },
  };
  const records = [
    version('1.0.0', '2030-01-02T00:00:00.000Z', { description: 'old', license: 'ISC' }),
    version('2.0.0', '2030-01-03T00:00:00.000Z', manifest),
    // Published first though its number sorts last: it decides time.created.
    version('0.9.0', '2030-01-01T00:00:00.000Z', {}),
  ];

  it('takes the package fields and the readme from latest, and times from every version', () => {
    const document = renderPackument(NAME, view(records, { latest: '2.0.0', beta: '1.0.0' }, '2030-02-01T00:00:00.000Z'), {
      abbreviated: false,
      endpoint: ENDPOINT,
    });
    expect(Object.keys(document)).toEqual([
      '_id',
      'name',
      'dist-tags',
      'versions',
      'time',
      'description',
      'license',
      'homepage',
      'repository',
      'bugs',
      'keywords',
      'author',
      'contributors',
      'readme',
    ]);
    expect(document).toMatchObject({
      _id: '@acme/lib',
      name: '@acme/lib',
      'dist-tags': { latest: '2.0.0', beta: '1.0.0' },
      description: 'A library',
      license: 'MIT',
      readme: 'readme of 2.0.0',
    });
    expect(document.time).toEqual({
      created: '2030-01-01T00:00:00.000Z',
      modified: '2030-02-01T00:00:00.000Z',
      '1.0.0': '2030-01-02T00:00:00.000Z',
      '2.0.0': '2030-01-03T00:00:00.000Z',
      '0.9.0': '2030-01-01T00:00:00.000Z',
    });
    expect((document.versions as Record<string, unknown>)['2.0.0']).toEqual({
      ...manifest,
      name: '@acme/lib',
      version: '2.0.0',
      _id: '@acme/lib@2.0.0',
      dist: { tarball: tarball('2.0.0'), fileCount: 3, unpackedSize: 99, integrity, shasum: SHA1 },
    });
    expect(document).not.toHaveProperty('_rev');
  });

  it('adds _rev only when asked, and leaves out package fields latest does not have', () => {
    const withRev = renderPackument(NAME, view(records.slice(0, 1), { latest: '1.0.0' }), { abbreviated: false, endpoint: ENDPOINT, rev: '3-abc' });
    expect(withRev._rev).toBe('3-abc');
    expect(Object.keys(withRev)).toEqual(['_id', 'name', '_rev', 'dist-tags', 'versions', 'time', 'description', 'license', 'readme']);
  });

  it('without a latest that exists: no package fields, no readme, and times that still make sense', () => {
    const document = renderPackument(NAME, view([version('1.0.0', '2030-01-02T00:00:00.000Z', { description: 'x' })], { latest: '9.9.9' }), {
      abbreviated: false,
      endpoint: ENDPOINT,
    });
    expect(Object.keys(document)).toEqual(['_id', 'name', 'dist-tags', 'versions', 'time']);
    expect(document.time).toEqual({ created: '2030-01-02T00:00:00.000Z', modified: new Date(0).toISOString(), '1.0.0': '2030-01-02T00:00:00.000Z' });
    const empty = renderPackument(NAME, view([], {}), { abbreviated: false, endpoint: ENDPOINT });
    expect(empty.time).toEqual({ created: new Date(0).toISOString(), modified: new Date(0).toISOString() });
  });
});

describe('renderPackument, abbreviated', () => {
  it('has name, modified, dist-tags and versions, and no field a manifest did not set', () => {
    const document = renderPackument(
      NAME,
      view([version('1.0.0', '2030-01-02T00:00:00.000Z', { dependencies: { a: '1' }, scripts: { test: 'x' }, readme: 'no' })], { latest: '1.0.0' }),
      { abbreviated: true, endpoint: ENDPOINT },
    );
    expect(document).toEqual({
      name: '@acme/lib',
      modified: new Date(0).toISOString(),
      'dist-tags': { latest: '1.0.0' },
      versions: { '1.0.0': { name: '@acme/lib', version: '1.0.0', dependencies: { a: '1' }, dist: { tarball: tarball('1.0.0'), integrity, shasum: SHA1 } } },
    });
    expect(ABBREVIATED_CONTENT_TYPE).toBe('application/vnd.npm.install-v1+json');
  });
});

describe('dist', () => {
  const distOf = (record: VersionRecord) => fullVersion(NAME, record, ENDPOINT).dist;

  it('prefers package.tgz (as CodeArtifact names the tarball), then any .tgz an older store recorded, then the first asset', () => {
    const named = asset('package.tgz', { 'SHA-512': SHA512 });
    const otherTgz = asset('lib-1.0.0.tgz', { 'SHA-1': SHA1 });
    const first = asset('README', { 'SHA-1': 'ff'.repeat(20) });
    expect(distOf(version('1.0.0', 't', {}, [first, otherTgz, named]))).toEqual({ tarball: tarball('1.0.0'), integrity });
    expect(distOf(version('1.0.0', 't', {}, [first, otherTgz]))).toEqual({ tarball: tarball('1.0.0'), shasum: SHA1 });
    expect(distOf(version('1.0.0', 't', {}, [first]))).toEqual({ tarball: tarball('1.0.0'), shasum: 'ff'.repeat(20) });
    expect(distOf(version('1.0.0', 't', {}, []))).toEqual({ tarball: tarball('1.0.0') });
  });

  it('shows counts only when they are numbers, and survives a version without format metadata', () => {
    expect(distOf(version('1.0.0', 't', { dist: { fileCount: '3', unpackedSize: null } }))).toEqual({ tarball: tarball('1.0.0'), integrity, shasum: SHA1 });
    expect(distOf(version('1.0.0', 't', { dist: 'nonsense' }))).toEqual({ tarball: tarball('1.0.0'), integrity, shasum: SHA1 });
    expect(distOf(version('1.0.0', 't', undefined))).toEqual({ tarball: tarball('1.0.0'), integrity, shasum: SHA1 });
  });
});
