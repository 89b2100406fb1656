import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PackageKey } from '../../src/core/model.js';
import { ResourceNotFoundError, ValidationError } from '../../src/errors.js';
import { deletePackage, describePackage, listPackages } from '../../src/operations/packages.js';
import { INGESTED_FIRST } from '../../src/operations/publish.js';
import { updatePackageVersionsStatus } from '../../src/operations/version-status.js';
import { DOMAIN, genericKey, makePackageStore, publishGeneric, putVersions, versionRecord } from './packages-fixture.js';

const npmKey = (namespace: string | undefined, name: string): PackageKey => ({ domain: DOMAIN, repository: 'main', format: 'npm', namespace, name });

async function storeWithPackages() {
  const fixture = await makePackageStore();
  const { store } = fixture;
  await putVersions(store, npmKey('types', 'node'), [versionRecord('20.0.0')]);
  await putVersions(store, npmKey('typescript-eslint', 'parser'), [versionRecord('7.0.0')], INGESTED_FIRST);
  await putVersions(store, npmKey(undefined, 'left-pad'), [versionRecord('1.3.0')]);
  await putVersions(store, { domain: DOMAIN, repository: 'main', format: 'pypi', name: 'foo-bar' }, [versionRecord('1.0')]);
  await publishGeneric(store, { version: '1.0' });
  return fixture;
}

describe('listPackages', () => {
  it('lists every package of the repository with its origin configuration, sorted', async () => {
    const { store } = await storeWithPackages();
    const { packages, nextToken } = await listPackages(store, { domain: DOMAIN, repository: 'main' });
    expect(nextToken).toBeUndefined();
    expect(packages.map((summary) => `${summary.format}:${summary.namespace ?? ''}:${summary.package}`)).toEqual([
      'generic:ns:tool',
      'npm::left-pad',
      'npm:types:node',
      'npm:typescript-eslint:parser',
      'pypi::foo-bar',
    ]);
    expect(packages[2]).toEqual({
      format: 'npm',
      namespace: 'types',
      package: 'node',
      originConfiguration: { restrictions: { publish: 'ALLOW', upstream: 'BLOCK' } },
    });
  });

  it('filters by format, namespace prefix (npm @ dropped), package prefix and origin controls', async () => {
    const { store } = await storeWithPackages();
    const names = async (filters: Record<string, string>) =>
      (await listPackages(store, { domain: DOMAIN, repository: 'main', ...filters })).packages.map((summary) => summary.package);
    expect(await names({ format: 'npm' })).toEqual(['left-pad', 'node', 'parser']);
    expect(await names({ format: 'npm', namespace: '@type' })).toEqual(['node', 'parser']);
    expect(await names({ packagePrefix: 'le' })).toEqual(['left-pad']);
    expect(await names({ format: 'pypi', packagePrefix: 'Foo_B' })).toEqual(['foo-bar']);
    expect(await names({ publish: 'BLOCK' })).toEqual(['parser']);
    expect(await names({ upstream: 'BLOCK', format: 'npm' })).toEqual(['left-pad', 'node']);
  });

  it('pages with --max-results and --next-token', async () => {
    const { store } = await storeWithPackages();
    const first = await listPackages(store, { domain: DOMAIN, repository: 'main', maxResults: 2 });
    const second = await listPackages(store, { domain: DOMAIN, repository: 'main', maxResults: 2, nextToken: first.nextToken });
    const third = await listPackages(store, { domain: DOMAIN, repository: 'main', maxResults: 2, nextToken: second.nextToken });
    expect([...first.packages, ...second.packages, ...third.packages].map((summary) => summary.package)).toEqual([
      'tool',
      'left-pad',
      'node',
      'parser',
      'foo-bar',
    ]);
    expect(third.nextToken).toBeUndefined();
  });

  it('reads only the index files of the page it returns, unless origin controls filter', async () => {
    const { store } = await storeWithPackages();
    const read: string[] = [];
    const getPackage = store.index.getPackage.bind(store.index);
    store.index.getPackage = (key) => {
      read.push(key.name);
      return getPackage(key);
    };
    const page = await listPackages(store, { domain: DOMAIN, repository: 'main', maxResults: 2 });
    expect(page.packages.map((summary) => summary.package)).toEqual(['tool', 'left-pad']);
    expect(read).toEqual(['tool', 'left-pad']);
    read.length = 0;
    expect(
      (await listPackages(store, { domain: DOMAIN, repository: 'main', publish: 'BLOCK', maxResults: 1 })).packages.map((summary) => summary.package),
    ).toEqual(['parser']);
    expect(read.sort()).toEqual(['foo-bar', 'left-pad', 'node', 'parser', 'tool']);
  });

  it('refuses bad filters and unknown repositories', async () => {
    const { store } = await storeWithPackages();
    await expect(listPackages(store, { domain: DOMAIN, repository: 'main', publish: 'allow' })).rejects.toThrow(ValidationError);
    await expect(listPackages(store, { domain: DOMAIN, repository: 'main', format: 'rpm' })).rejects.toThrow(ValidationError);
    await expect(listPackages(store, { domain: DOMAIN, repository: 'nope' })).rejects.toThrow(ResourceNotFoundError);
  });

  it('does not look at upstreams', async () => {
    const { store } = await makePackageStore();
    await publishGeneric(store, { repository: 'shared', version: '1.0' });
    expect((await listPackages(store, { domain: DOMAIN, repository: 'main' })).packages).toEqual([]);
  });
});

describe('describePackage and deletePackage', () => {
  it('describes a package with CodeArtifact field names', async () => {
    const { store } = await storeWithPackages();
    expect(await describePackage(store, npmKey('types', 'node'))).toEqual({
      package: { format: 'npm', namespace: 'types', name: 'node', originConfiguration: { restrictions: { publish: 'ALLOW', upstream: 'BLOCK' } } },
    });
  });

  it('deletes a package with its versions and returns its summary', async () => {
    const { store } = await storeWithPackages();
    const result = await deletePackage(store, genericKey());
    expect(result).toEqual({
      deletedPackage: { format: 'generic', namespace: 'ns', package: 'tool', originConfiguration: { restrictions: { publish: 'ALLOW', upstream: 'BLOCK' } } },
    });
    expect(await store.index.getPackage(genericKey())).toBeUndefined();
    await expect(describePackage(store, genericKey())).rejects.toThrow(ResourceNotFoundError);
  });

  it('answers ResourceNotFound for a package that is not there', async () => {
    const { store } = await storeWithPackages();
    await expect(describePackage(store, npmKey(undefined, 'missing'))).rejects.toThrow(/missing \(npm\) does not exist in repository main/);
    await expect(deletePackage(store, npmKey(undefined, 'missing'))).rejects.toThrow(ResourceNotFoundError);
    // A mistyped name leaves nothing behind: no lock, no directory.
    await expect(deletePackage(store, npmKey('ghost', 'missing'))).rejects.toThrow(ResourceNotFoundError);
    await expect(updatePackageVersionsStatus(store, npmKey('ghost', 'missing'), { versions: ['1'], targetStatus: 'Archived' })).rejects.toThrow(
      ResourceNotFoundError,
    );
    await expect(fs.access(path.dirname(store.index.packageLocation(npmKey('ghost', 'missing'))))).rejects.toThrow();
  });
});
