import { describe, expect, it } from 'vitest';
import type { PackageKey, PackageVersionStatus } from '../../src/core/model.js';
import { ResourceNotFoundError, ValidationError } from '../../src/errors.js';
import { deletePackageVersions, disposePackageVersions, updatePackageVersionsStatus } from '../../src/operations/version-status.js';
import { DOMAIN, genericKey, makePackageStore, publishGeneric, putVersions, versionRecord } from './packages-fixture.js';
import { anyValue, stringContaining, stringMatching } from '../helpers/matchers.js';

const key: PackageKey = { domain: DOMAIN, repository: 'main', format: 'pypi', name: 'tool' };
const STATUSES: PackageVersionStatus[] = ['Published', 'Unfinished', 'Unlisted', 'Archived', 'Disposed'];

/** One version per status, named after it. */
async function storeWithEveryStatus() {
  const fixture = await makePackageStore();
  await putVersions(
    fixture.store,
    key,
    STATUSES.map((status) => versionRecord(status.toLowerCase(), { status })),
  );
  return fixture;
}

describe('updatePackageVersionsStatus', () => {
  // docs/reference/statuses.md, as a table: from -> target -> allowed?
  const ALLOWED: Record<string, string[]> = {
    Published: ['Published', 'Unlisted', 'Archived'],
    Unlisted: ['Published', 'Unlisted', 'Archived'],
    Archived: ['Published', 'Unlisted', 'Archived'],
    Unfinished: ['Published'],
    Disposed: [],
  };
  for (const from of STATUSES) {
    for (const target of ['Published', 'Unlisted', 'Archived']) {
      const allowed = ALLOWED[from].includes(target);
      it(`${allowed ? 'moves' : 'refuses to move'} a ${from} version to ${target}`, async () => {
        const { store } = await storeWithEveryStatus();
        const version = from.toLowerCase();
        const before = (await store.index.getPackage(key))!.versions[version];
        const result = await updatePackageVersionsStatus(store, key, { versions: [version], targetStatus: target });
        const after = (await store.index.getPackage(key))!.versions[version];
        if (allowed) {
          expect(result).toEqual({ successfulVersions: { [version]: { revision: after.revision, status: target } }, failedVersions: {} });
          expect(after.status).toBe(target);
          expect(after.revision === before.revision).toBe(from === target);
        } else {
          expect(result.failedVersions[version].errorCode).toBe('NOT_ALLOWED');
          expect(after).toEqual(before);
        }
      });
    }
  }

  it('refuses Unfinished and Disposed as a target', async () => {
    const { store } = await storeWithEveryStatus();
    await expect(updatePackageVersionsStatus(store, key, { versions: ['published'], targetStatus: 'Disposed' })).rejects.toMatchObject({
      code: 'Validation',
      hint: stringMatching(/dispose-package-versions/),
    });
    await expect(updatePackageVersionsStatus(store, key, { versions: ['published'], targetStatus: 'Unfinished' })).rejects.toThrow(ValidationError);
    await expect(updatePackageVersionsStatus(store, key, { versions: ['published'], targetStatus: 'Gone' })).rejects.toThrow(ValidationError);
  });

  it('is all-or-nothing: one failure leaves every version unchanged and the rest SKIPPED', async () => {
    const { store } = await storeWithEveryStatus();
    const before = await store.index.getPackage(key);
    const result = await updatePackageVersionsStatus(store, key, { versions: ['published', 'unlisted', 'missing'], targetStatus: 'Archived' });
    expect(result.successfulVersions).toEqual({});
    expect(result.failedVersions).toEqual({
      missing: { errorCode: 'NOT_FOUND', errorMessage: stringContaining('missing') },
      published: { errorCode: 'SKIPPED', errorMessage: anyValue(String) },
      unlisted: { errorCode: 'SKIPPED', errorMessage: anyValue(String) },
    });
    expect(await store.index.getPackage(key)).toEqual(before);
  });

  it('checks --expected-status and --version-revisions per version', async () => {
    const { store } = await storeWithEveryStatus();
    const published = (await store.index.getPackage(key))!.versions.published;
    const mismatchedStatus = await updatePackageVersionsStatus(store, key, { versions: ['published'], expectedStatus: 'Unlisted', targetStatus: 'Archived' });
    expect(mismatchedStatus.failedVersions.published.errorCode).toBe('MISMATCHED_STATUS');
    const mismatchedRevision = await updatePackageVersionsStatus(store, key, { versionRevisions: { published: 'old' }, targetStatus: 'Archived' });
    expect(mismatchedRevision.failedVersions.published.errorCode).toBe('MISMATCHED_REVISION');
    const matched = await updatePackageVersionsStatus(store, key, {
      versionRevisions: { published: published.revision },
      expectedStatus: 'Published',
      targetStatus: 'Archived',
    });
    expect(matched.successfulVersions.published.status).toBe('Archived');
  });

  it('answers ResourceNotFound when the package is not there, and Validation without versions', async () => {
    const { store } = await storeWithEveryStatus();
    await expect(updatePackageVersionsStatus(store, { ...key, name: 'nope' }, { versions: ['1'], targetStatus: 'Archived' })).rejects.toThrow(
      ResourceNotFoundError,
    );
    await expect(updatePackageVersionsStatus(store, key, { versions: [], targetStatus: 'Archived' })).rejects.toThrow(ValidationError);
  });

  it('publishes an Unfinished generic version, which then takes no more assets', async () => {
    const { store } = await makePackageStore();
    await publishGeneric(store, { version: '1.0', unfinished: true });
    const result = await updatePackageVersionsStatus(store, genericKey(), { versions: ['1.0'], targetStatus: 'Published' });
    expect(result.successfulVersions['1.0'].status).toBe('Published');
    await expect(publishGeneric(store, { version: '1.0', assetName: 'more.bin' })).rejects.toThrow(/is Published/);
  });
});

describe('disposePackageVersions', () => {
  it('marks versions Disposed, drops their assets and keeps the record', async () => {
    const { store } = await makePackageStore();
    const published = await publishGeneric(store, { version: '1.0' });
    const result = await disposePackageVersions(store, genericKey(), { versions: ['1.0'], versionRevisions: { '1.0': published.versionRevision } });
    const stored = (await store.index.getPackage(genericKey()))!.versions['1.0'];
    expect(result).toEqual({ successfulVersions: { '1.0': { revision: stored.revision, status: 'Disposed' } }, failedVersions: {} });
    expect(stored.assets).toEqual([]);
    expect(stored.revision).not.toBe(published.versionRevision);
    // The bytes stay until gc.
    expect(await store.blobs.size(published.asset.hashes['SHA-256'])).toBe(published.asset.size);
  });

  it('disposes any status, and refuses on a mismatched expected status', async () => {
    const { store } = await storeWithEveryStatus();
    const mismatch = await disposePackageVersions(store, key, { versions: ['archived', 'unlisted'], expectedStatus: 'Archived' });
    expect(mismatch.failedVersions).toMatchObject({ unlisted: { errorCode: 'MISMATCHED_STATUS' }, archived: { errorCode: 'SKIPPED' } });
    const all = await disposePackageVersions(store, key, { versions: STATUSES.map((status) => status.toLowerCase()) });
    expect(Object.values(all.successfulVersions).map((entry) => entry.status)).toEqual(STATUSES.map(() => 'Disposed'));
  });
});

describe('deletePackageVersions', () => {
  it('removes versions of any status, reports them Deleted, and lets the number be published again', async () => {
    const { store } = await storeWithEveryStatus();
    const result = await deletePackageVersions(store, key, { versions: ['disposed', 'archived'] });
    expect(result.failedVersions).toEqual({});
    expect(result.successfulVersions.disposed.status).toBe('Deleted');
    expect(Object.keys((await store.index.getPackage(key))!.versions).sort()).toEqual(['published', 'unfinished', 'unlisted']);

    const generic = await makePackageStore();
    await publishGeneric(generic.store, { version: '1.0' });
    await deletePackageVersions(generic.store, genericKey(), { versions: ['1.0'] });
    await expect(publishGeneric(generic.store, { version: '1.0', content: 'new bytes' })).resolves.toMatchObject({ status: 'Published' });
  });

  it('honours --expected-status and reports NOT_FOUND', async () => {
    const { store } = await storeWithEveryStatus();
    const result = await deletePackageVersions(store, key, { versions: ['published', 'ghost'], expectedStatus: 'Published' });
    expect(result.failedVersions).toMatchObject({ ghost: { errorCode: 'NOT_FOUND' }, published: { errorCode: 'SKIPPED' } });
    expect((await store.index.getPackage(key))!.versions.published).toMatchObject({ version: 'published', status: 'Published' });
  });
});
