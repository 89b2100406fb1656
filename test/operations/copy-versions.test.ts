import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AccessDeniedError, ResourceNotFoundError, ValidationError } from '../../src/errors.js';
import { copyPackageVersions, type CopyInput } from '../../src/operations/copy-versions.js';
import { DOMAIN, genericKey, makePackageStore, publishGeneric, putVersions, versionRecord } from './packages-fixture.js';
import { anyValue } from '../helpers/matchers.js';

const tool = { format: 'generic' as const, namespace: 'ns', name: 'tool' };

function copy(store: Parameters<typeof copyPackageVersions>[0], input: Partial<CopyInput>) {
  return copyPackageVersions(store, { domain: DOMAIN, sourceRepository: 'main', destinationRepository: 'other', package: tool, ...input });
}

async function blobCount(root: string): Promise<number> {
  const entries = await fs.readdir(path.join(root, 'blobs'), { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).length;
}

describe('copyPackageVersions', () => {
  it('copies version records, sharing the blobs, with the same revision', async () => {
    const { root, store } = await makePackageStore();
    const v1 = await publishGeneric(store, { version: '1.0' });
    await publishGeneric(store, { version: '2.0' });
    const blobsBefore = await blobCount(root);
    const result = await copy(store, { versions: ['1.0', '2.0'] });
    expect(result).toEqual({
      successfulVersions: { '1.0': { revision: v1.versionRevision, status: 'Published' }, '2.0': { revision: anyValue(String), status: 'Published' } },
      failedVersions: {},
    });
    const copied = await store.index.getPackage(genericKey('other'));
    const source = await store.index.getPackage(genericKey('main'));
    expect(copied!.versions).toEqual(source!.versions);
    expect(copied!.originConfiguration.restrictions).toEqual({ publish: 'ALLOW', upstream: 'BLOCK' });
    expect(await blobCount(root)).toBe(blobsBefore);
  });

  it('refuses to overwrite without --allow-overwrite, and replaces with it', async () => {
    const { store } = await makePackageStore();
    await publishGeneric(store, { version: '1.0', content: 'source bytes' });
    await publishGeneric(store, { repository: 'other', version: '1.0', content: 'destination bytes' });
    await publishGeneric(store, { version: '2.0' });
    const before = await store.index.getPackage(genericKey('other'));
    const refused = await copy(store, { versions: ['1.0', '2.0'] });
    expect(refused.failedVersions).toMatchObject({ '1.0': { errorCode: 'ALREADY_EXISTS' }, '2.0': { errorCode: 'SKIPPED' } });
    expect(await store.index.getPackage(genericKey('other'))).toEqual(before);

    const replaced = await copy(store, { versions: ['1.0'], allowOverwrite: true });
    expect(replaced.failedVersions).toEqual({});
    const copied = (await store.index.getPackage(genericKey('other')))!.versions['1.0'];
    expect(copied.assets[0].size).toBe('source bytes'.length);
  });

  it('checks --version-revisions against the source and reports NOT_FOUND and Disposed versions', async () => {
    const { store } = await makePackageStore();
    const v1 = await publishGeneric(store, { version: '1.0' });
    await putVersions(store, genericKey('main'), [versionRecord('0.9', { status: 'Disposed' })]);
    expect((await copy(store, { versionRevisions: { '1.0': 'stale' } })).failedVersions['1.0'].errorCode).toBe('MISMATCHED_REVISION');
    expect((await copy(store, { versions: ['3.0'] })).failedVersions['3.0'].errorCode).toBe('NOT_FOUND');
    expect((await copy(store, { versions: ['0.9'] })).failedVersions['0.9'].errorCode).toBe('NOT_ALLOWED');
    const copied = await copy(store, { versionRevisions: { '1.0': v1.versionRevision } });
    expect(copied.successfulVersions['1.0'].revision).toBe(v1.versionRevision);
  });

  it('copies from the source repository’s upstreams only with --include-from-upstream', async () => {
    const { store } = await makePackageStore();
    await publishGeneric(store, { repository: 'shared', version: '1.0' });
    await expect(copy(store, { versions: ['1.0'] })).rejects.toThrow(ResourceNotFoundError);
    const result = await copy(store, { versions: ['1.0'], includeFromUpstream: true });
    expect(result.successfulVersions['1.0'].status).toBe('Published');
    expect((await store.index.getPackage(genericKey('other')))!.versions['1.0'].origin.domainEntryPoint.repositoryName).toBe('shared');
  });

  it('respects the destination package’s origin controls', async () => {
    const { store } = await makePackageStore();
    await publishGeneric(store, { version: '1.0' });
    await putVersions(store, genericKey('other'), [], { publish: 'BLOCK', upstream: 'ALLOW' });
    await expect(copy(store, { versions: ['1.0'] })).rejects.toThrow(AccessDeniedError);
    expect((await store.index.getPackage(genericKey('other')))!.versions).toEqual({});
  });

  it('refuses to copy a repository onto itself, both or neither version lists, and unknown repositories', async () => {
    const { store } = await makePackageStore();
    await publishGeneric(store, { version: '1.0' });
    await expect(copy(store, { destinationRepository: 'main', versions: ['1.0'] })).rejects.toThrow(ValidationError);
    await expect(copy(store, { versions: ['1.0'], versionRevisions: { '1.0': 'x' } })).rejects.toThrow(/either --versions or --version-revisions/);
    await expect(copy(store, {})).rejects.toThrow(ValidationError);
    await expect(copy(store, { destinationRepository: 'nowhere', versions: ['1.0'] })).rejects.toThrow(ResourceNotFoundError);
  });

  it('carries npm dist-tags that name a copied version, replacing the destination’s tag of that name', async () => {
    const { store } = await makePackageStore();
    const npmKey = (repository: string) => ({ domain: DOMAIN, repository, format: 'npm' as const, name: 'web-helper' });
    const withTags = async (repository: string, versions: string[], tags: Record<string, string>) => {
      await putVersions(
        store,
        npmKey(repository),
        versions.map((version) => versionRecord(version)),
      );
      await store.index.updatePackage(npmKey(repository), (current) => ({ ...current!, formatMetadata: { 'dist-tags': tags } }));
    };
    await withTags('main', ['1.0.0', '1.0.1', '2.0.0-beta.1'], { latest: '1.0.1', stable: '1.0.1', next: '2.0.0-beta.1' });
    await withTags('other', ['1.0.0'], { latest: '1.0.0', old: '1.0.0' });

    const result = await copyPackageVersions(store, {
      domain: DOMAIN,
      sourceRepository: 'main',
      destinationRepository: 'other',
      package: { format: 'npm', name: 'web-helper' },
      versions: ['1.0.1'],
    });
    expect(result.failedVersions).toEqual({});
    const copied = await store.index.getPackage(npmKey('other'));
    // Tags naming an uncopied version (next) stay behind; the destination's own (old) stay.
    expect(copied!.formatMetadata!['dist-tags']).toEqual({ latest: '1.0.1', old: '1.0.0', stable: '1.0.1' });

    // A batch that fails changes no tag either.
    const refused = await copyPackageVersions(store, {
      domain: DOMAIN,
      sourceRepository: 'main',
      destinationRepository: 'other',
      package: { format: 'npm', name: 'web-helper' },
      versions: ['2.0.0-beta.1', '9.9.9'],
    });
    expect(refused.failedVersions['9.9.9'].errorCode).toBe('NOT_FOUND');
    expect((await store.index.getPackage(npmKey('other')))!.formatMetadata!['dist-tags']).toEqual({ latest: '1.0.1', old: '1.0.0', stable: '1.0.1' });
  });
});
