import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { PackageKey } from '../../src/core/model.js';
import { IntegrityError, ResourceNotFoundError, ValidationError } from '../../src/errors.js';
import { getPackageVersionAsset } from '../../src/operations/package-version-asset.js';
import { getPackageVersionReadme, listPackageVersionAssets, listPackageVersionDependencies } from '../../src/operations/package-version-details.js';
import { describePackageVersion, listPackageVersions } from '../../src/operations/package-versions.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { DOMAIN, genericKey, makePackageStore, publishGeneric, putVersions, sha256, versionRecord } from './packages-fixture.js';
import { objectContaining } from '../helpers/matchers.js';

const npmKey: PackageKey = { domain: DOMAIN, repository: 'main', format: 'npm', namespace: 'acme', name: 'ui' };

async function storeWithNpmVersions() {
  const fixture = await makePackageStore();
  await putVersions(fixture.store, npmKey, [
    versionRecord('1.10.0', { publishedTime: '2024-03-01T00:00:00.000Z' }),
    versionRecord('1.9.0', { publishedTime: '2024-04-01T00:00:00.000Z', status: 'Unlisted' }),
    versionRecord('1.2.0', {
      publishedTime: '2024-02-01T00:00:00.000Z',
      summary: 'UI kit',
      homePage: 'https://example.com/ui',
      licenses: [{ name: 'MIT' }],
      readme: '# ui',
      dependencies: [
        { dependencyType: 'regular', package: 'react', versionRequirement: '^18' },
        { dependencyType: 'dev', namespace: 'types', package: 'react', versionRequirement: '^18' },
      ],
    }),
    versionRecord('0.1.0', {
      publishedTime: '2024-01-01T00:00:00.000Z',
      origin: { domainEntryPoint: { externalConnectionName: 'public:npmjs' }, originType: 'EXTERNAL' },
    }),
  ]);
  return fixture;
}

describe('listPackageVersions', () => {
  it('lists every status, ordered by version, with the newest Published one as default', async () => {
    const { store } = await storeWithNpmVersions();
    const result = await listPackageVersions(store, npmKey, {});
    expect(result).toMatchObject({ defaultDisplayVersion: '1.10.0', format: 'npm', namespace: 'acme', package: 'ui' });
    expect(result.versions.map((version) => version.version)).toEqual(['0.1.0', '1.2.0', '1.9.0', '1.10.0']);
    expect(Object.keys(result.versions[0]).sort()).toEqual(['origin', 'revision', 'status', 'version']);
  });

  it('filters by status and origin type, and sorts by published time, newest first', async () => {
    const { store } = await storeWithNpmVersions();
    const names = async (input: Record<string, string>) => (await listPackageVersions(store, npmKey, input)).versions.map((version) => version.version);
    expect(await names({ status: 'Unlisted' })).toEqual(['1.9.0']);
    expect(await names({ originType: 'EXTERNAL' })).toEqual(['0.1.0']);
    expect(await names({ sortBy: 'PUBLISHED_TIME' })).toEqual(['1.9.0', '1.10.0', '1.2.0', '0.1.0']);
  });

  it('pages through the chosen order', async () => {
    const { store } = await storeWithNpmVersions();
    const first = await listPackageVersions(store, npmKey, { sortBy: 'PUBLISHED_TIME', maxResults: 3 });
    const second = await listPackageVersions(store, npmKey, { sortBy: 'PUBLISHED_TIME', maxResults: 3, nextToken: first.nextToken });
    expect(second.versions.map((version) => version.version)).toEqual(['0.1.0']);
    expect(second.nextToken).toBeUndefined();
  });

  it('refuses unknown filter values and unknown packages', async () => {
    const { store } = await storeWithNpmVersions();
    await expect(listPackageVersions(store, npmKey, { status: 'Deleted' })).rejects.toThrow(ValidationError);
    await expect(listPackageVersions(store, npmKey, { sortBy: 'NAME' })).rejects.toThrow(ValidationError);
    await expect(listPackageVersions(store, npmKey, { originType: 'internal' })).rejects.toThrow(ValidationError);
    await expect(listPackageVersions(store, { ...npmKey, name: 'nope' }, {})).rejects.toThrow(ResourceNotFoundError);
  });
});

describe('describePackageVersion and the per-version details', () => {
  it('describes a version with the display name and metadata', async () => {
    const { store } = await storeWithNpmVersions();
    const { packageVersion } = await describePackageVersion(store, npmKey, '1.2.0');
    expect(packageVersion).toMatchObject({
      format: 'npm',
      namespace: 'acme',
      packageName: 'ui',
      displayName: '@acme/ui',
      version: '1.2.0',
      summary: 'UI kit',
      homePage: 'https://example.com/ui',
      licenses: [{ name: 'MIT' }],
      status: 'Published',
      origin: { domainEntryPoint: { repositoryName: 'main' }, originType: 'INTERNAL' },
    });
    await expect(describePackageVersion(store, npmKey, '9.9.9')).rejects.toThrow(/@acme\/ui version 9.9.9 does not exist/);
  });

  it('returns the readme and the dependencies', async () => {
    const { store } = await storeWithNpmVersions();
    expect(await getPackageVersionReadme(store, npmKey, '1.2.0')).toMatchObject({ package: 'ui', version: '1.2.0', readme: '# ui' });
    const { dependencies, versionRevision } = await listPackageVersionDependencies(store, npmKey, '1.2.0', {});
    expect(versionRevision).toBe((await describePackageVersion(store, npmKey, '1.2.0')).packageVersion.revision);
    expect(dependencies).toEqual([
      { dependencyType: 'regular', namespace: undefined, package: 'react', versionRequirement: '^18' },
      { dependencyType: 'dev', namespace: 'types', package: 'react', versionRequirement: '^18' },
    ]);
  });

  it('lists the assets of a version, page by page', async () => {
    const { store } = await makePackageStore();
    await publishGeneric(store, { version: '1.0', assetName: 'a.bin', unfinished: true });
    await publishGeneric(store, { version: '1.0', assetName: 'b.bin', content: 'bee' });
    const first = await listPackageVersionAssets(store, genericKey(), '1.0', { maxResults: 1 });
    expect(first.assets).toEqual([{ name: 'a.bin', size: 9, hashes: objectContaining({ 'SHA-256': sha256('1.0 bytes') }) }]);
    const second = await listPackageVersionAssets(store, genericKey(), '1.0', { maxResults: 1, nextToken: first.nextToken });
    expect(second).toMatchObject({ format: 'generic', namespace: 'ns', package: 'tool', version: '1.0', assets: [{ name: 'b.bin', size: 3 }] });
    expect(second.nextToken).toBeUndefined();
  });
});

describe('getPackageVersionAsset', () => {
  it('writes the asset to the file and reports the version and revision', async () => {
    const { store } = await makePackageStore();
    const published = await publishGeneric(store, { version: '1.0', content: 'payload' });
    const outfile = path.join(makeTempDir(), 'out.bin');
    const result = await getPackageVersionAsset(store, genericKey(), { version: '1.0', asset: 'tool.bin', outfile });
    expect(result).toEqual({ assetName: 'tool.bin', packageVersion: '1.0', packageVersionRevision: published.versionRevision });
    expect(await fs.readFile(outfile, 'utf8')).toBe('payload');
  });

  it('refuses a damaged blob and leaves the target file as it was', async () => {
    const { store } = await makePackageStore();
    await publishGeneric(store, { version: '1.0', content: 'payload' });
    await fs.writeFile(store.blobs.pathOf(sha256('payload')), 'paylOad');
    const dir = makeTempDir();
    const outfile = path.join(dir, 'out.bin');
    await fs.writeFile(outfile, 'previous');
    await expect(getPackageVersionAsset(store, genericKey(), { version: '1.0', asset: 'tool.bin', outfile })).rejects.toThrow(IntegrityError);
    expect(await fs.readFile(outfile, 'utf8')).toBe('previous');
    expect(await fs.readdir(dir)).toEqual(['out.bin']);
  });

  it('streams the asset to a writable it leaves open, and fails after the bytes when they are damaged', async () => {
    const { store } = await makePackageStore();
    await publishGeneric(store, { version: '1.0', content: 'payload' });
    const chunks: Buffer[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => (chunks.push(chunk), done()) });
    await getPackageVersionAsset(store, genericKey(), { version: '1.0', asset: 'tool.bin', outfile: sink });
    expect(Buffer.concat(chunks).toString()).toBe('payload');
    expect(sink.writableEnded).toBe(false);
    await fs.writeFile(store.blobs.pathOf(sha256('payload')), 'paylOad');
    await expect(getPackageVersionAsset(store, genericKey(), { version: '1.0', asset: 'tool.bin', outfile: sink })).rejects.toThrow(IntegrityError);
  });

  it('answers ResourceNotFound for a missing asset, a stale revision or a version that cannot be downloaded', async () => {
    const { store } = await makePackageStore();
    await publishGeneric(store, { version: '1.0' });
    await publishGeneric(store, { version: '2.0', unfinished: true });
    const outfile = path.join(makeTempDir(), 'out.bin');
    const get = (version: string, asset: string, packageVersionRevision?: string) =>
      getPackageVersionAsset(store, genericKey(), { version, asset, outfile, packageVersionRevision });
    await expect(get('1.0', 'other.bin')).rejects.toThrow(/has no asset "other.bin"/);
    await expect(get('1.0', 'tool.bin', 'stale')).rejects.toThrow(/has no revision stale/);
    await expect(get('2.0', 'tool.bin')).rejects.toThrow(/is Unfinished/);
    await expect(get('3.0', 'tool.bin')).rejects.toThrow(ResourceNotFoundError);
    await expect(fs.access(outfile)).rejects.toThrow();
  });
});
