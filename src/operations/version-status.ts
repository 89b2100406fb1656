/**
 * update-package-versions-status, dispose-package-versions and delete-package-versions, with the
 * transitions docs/reference/statuses.md lists:
 * - Published, Unlisted and Archived move freely among themselves;
 * - Unfinished can only become Published (nothing ever returns to Unfinished);
 * - the target of a status update cannot be Unfinished or Disposed (disposing has its own call);
 * - any version can be disposed, and Disposed is terminal except for deletion;
 * - any version can be deleted, after which its number can be published again.
 * Every change gets a new revision; blobs of disposed or deleted versions stay until `gc`.
 */
import type { PackageKey, PackageVersionStatus, VersionRecord } from '../core/model.js';
import { withRevision } from '../core/revision.js';
import { ValidationError } from '../errors.js';
import type { Store } from '../store/store.js';
import { parseVersionStatus } from './package-versions.js';
import { requireRepository } from './repositories.js';
import { applyVersionBatch, failure, getEntry, type VersionDecision } from './version-batch.js';

const TARGETS: readonly PackageVersionStatus[] = ['Published', 'Unlisted', 'Archived'];

export interface VersionSelection {
  versions?: readonly string[];
  /** version -> the revision the caller last saw; a different current revision fails that version. */
  versionRevisions?: Record<string, string>;
  expectedStatus?: string;
}

/** The versions named either way, each once. */
function selectedVersions(selection: VersionSelection): string[] {
  return [...new Set([...(selection.versions ?? []), ...Object.keys(selection.versionRevisions ?? {})])];
}

/** NOT_FOUND, MISMATCHED_STATUS or MISMATCHED_REVISION, checked in that order; undefined when all hold. */
function checkConditions(version: string, current: VersionRecord | undefined, selection: VersionSelection, expected: PackageVersionStatus | undefined) {
  if (!current) return failure('NOT_FOUND', `Version ${version} does not exist in this repository.`);
  if (expected && current.status !== expected) return failure('MISMATCHED_STATUS', `Version ${version} is ${current.status}, not ${expected}.`);
  const revision = getEntry(selection.versionRevisions ?? {}, version);
  if (revision !== undefined && revision !== current.revision) {
    return failure('MISMATCHED_REVISION', `Version ${version} is at revision ${current.revision}, not ${revision}.`);
  }
  return undefined;
}

function expectedStatusOf(selection: VersionSelection): PackageVersionStatus | undefined {
  return selection.expectedStatus === undefined ? undefined : parseVersionStatus('--expected-status', selection.expectedStatus);
}

function changed(next: VersionRecord): VersionDecision {
  return { next, reported: { revision: next.revision, status: next.status } };
}

export async function updatePackageVersionsStatus(store: Store, key: PackageKey, selection: VersionSelection & { targetStatus: string }) {
  const target = parseVersionStatus('--target-status', selection.targetStatus);
  if (!TARGETS.includes(target)) {
    throw new ValidationError(`--target-status cannot be ${target}; use Published, Unlisted or Archived.`, {
      hint: target === 'Disposed' ? 'Dispose versions with `artifact-cli dispose-package-versions`.' : 'A version never returns to Unfinished.',
    });
  }
  const expected = expectedStatusOf(selection);
  await requireRepository(store, key.domain, key.repository);
  return applyVersionBatch(store, key, selectedVersions(selection), {
    decide(version, current) {
      const unmet = checkConditions(version, current, selection, expected);
      if (unmet) return unmet;
      const record = current as VersionRecord;
      if (record.status === target) return changed(record);
      if (record.status === 'Disposed') return failure('NOT_ALLOWED', `Version ${version} is Disposed; it can only be deleted.`);
      if (record.status === 'Unfinished' && target !== 'Published') {
        return failure('NOT_ALLOWED', `Version ${version} is Unfinished; it can only become Published.`);
      }
      const publishedTime = record.status === 'Unfinished' ? new Date().toISOString() : record.publishedTime;
      return changed(withRevision({ ...record, status: target, publishedTime }));
    },
  });
}

export async function disposePackageVersions(store: Store, key: PackageKey, selection: VersionSelection) {
  const expected = expectedStatusOf(selection);
  await requireRepository(store, key.domain, key.repository);
  return applyVersionBatch(store, key, selectedVersions(selection), {
    decide(version, current) {
      const unmet = checkConditions(version, current, selection, expected);
      if (unmet) return unmet;
      const record = current as VersionRecord;
      if (record.status === 'Disposed') return changed(record);
      // The record stays so the version number stays taken; its assets go (blobs wait for gc).
      return changed(withRevision({ ...record, status: 'Disposed', assets: [] }));
    },
  });
}

export async function deletePackageVersions(store: Store, key: PackageKey, selection: Omit<VersionSelection, 'versionRevisions'>) {
  const expected = expectedStatusOf(selection);
  await requireRepository(store, key.domain, key.repository);
  return applyVersionBatch(store, key, selectedVersions(selection), {
    decide(version, current) {
      const unmet = checkConditions(version, current, {}, expected);
      if (unmet) return unmet;
      return { next: undefined, reported: { revision: (current as VersionRecord).revision, status: 'Deleted' } };
    },
  });
}
