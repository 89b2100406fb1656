/**
 * The shared engine of update-package-versions-status, dispose-, delete- and copy-package-versions:
 * one locked read-modify-write of the package index that applies a decision to every named
 * version and answers with CodeArtifact's successfulVersions / failedVersions maps.
 *
 * Batches are all-or-nothing: if any version fails, every other version is reported SKIPPED and
 * the index is not written at all. CodeArtifact behaves this way in practice, although its docs
 * do not promise it; here it is the rule, so a script can retry the whole batch after a fix.
 */
import type { PackageKey, PackageRecord, VersionRecord } from '../core/model.js';
import { validatePackagePart } from '../core/names.js';
import { ValidationError } from '../errors.js';
import type { Store } from '../store/store.js';
import { packageNotFound } from './packages.js';

export type VersionErrorCode = 'ALREADY_EXISTS' | 'MISMATCHED_REVISION' | 'MISMATCHED_STATUS' | 'NOT_ALLOWED' | 'NOT_FOUND' | 'SKIPPED';

export interface VersionFailure {
  errorCode: VersionErrorCode;
  errorMessage: string;
}

/** What happens to one version: a failure, or its new record (undefined removes it). */
export type VersionDecision = { failure: VersionFailure } | { next: VersionRecord | undefined; reported: { revision: string; status: string } };

export interface BatchResult {
  successfulVersions: Record<string, { revision: string; status: string }>;
  failedVersions: Record<string, VersionFailure>;
}

export interface BatchOptions {
  /** Decides for one version, given the record the index holds now (if any). */
  decide(version: string, current: VersionRecord | undefined): VersionDecision;
  /** Makes the package when it does not exist yet; without it a missing package is ResourceNotFound. */
  createPackage?: () => PackageRecord;
  /** Checks the package as a whole before any version is decided (e.g. origin controls). */
  checkPackage?: (current: PackageRecord | undefined) => void;
  /** Adjusts the package as a whole once every version succeeded (e.g. npm dist-tags after a copy). */
  finishPackage?: (next: PackageRecord, succeeded: readonly string[]) => void;
}

/** Thrown inside the locked mutation to leave the index untouched; never escapes this module. */
class BatchFailed extends Error {
  constructor(readonly result: BatchResult) {
    super('batch failed');
  }
}

export function failure(errorCode: VersionErrorCode, errorMessage: string): { failure: VersionFailure } {
  return { failure: { errorCode, errorMessage } };
}

/** Sets a map entry as an own property, so a version named "__proto__" is stored like any other. */
export function setEntry<T>(map: Record<string, T>, name: string, value: T): void {
  Object.defineProperty(map, name, { value, enumerable: true, writable: true, configurable: true });
}

export function getEntry<T>(map: Record<string, T>, name: string): T | undefined {
  return Object.hasOwn(map, name) ? map[name] : undefined;
}

/** The version names of a request: validated, each once, in the order given. */
function checkVersionList(versions: readonly string[]): string[] {
  if (versions.length === 0) throw new ValidationError('Name at least one version with --versions (or --version-revisions).');
  for (const version of versions) validatePackagePart('version', version);
  return [...new Set(versions)];
}

export async function applyVersionBatch(store: Store, key: PackageKey, versions: readonly string[], options: BatchOptions): Promise<BatchResult> {
  const names = checkVersionList(versions);
  // Checked before taking the lock too, so a mistyped name leaves no lock or directory behind.
  if (!options.createPackage && !(await store.index.getPackage(key))) throw packageNotFound(key);
  let outcome: BatchResult | undefined;
  try {
    await store.index.updatePackage(key, (current) => {
      options.checkPackage?.(current);
      if (!current && !options.createPackage) throw packageNotFound(key);
      const next = current ? structuredClone(current) : (options.createPackage as () => PackageRecord)();
      const result: BatchResult = { successfulVersions: {}, failedVersions: {} };
      for (const name of names) {
        const decision = options.decide(name, getEntry(next.versions, name));
        if ('failure' in decision) {
          setEntry(result.failedVersions, name, decision.failure);
          continue;
        }
        setEntry(result.successfulVersions, name, decision.reported);
        if (decision.next) setEntry(next.versions, name, decision.next);
        else delete next.versions[name];
      }
      if (Object.keys(result.failedVersions).length > 0) throw new BatchFailed(skipTheRest(result));
      options.finishPackage?.(next, Object.keys(result.successfulVersions));
      outcome = result;
      return next;
    });
  } catch (error) {
    if (error instanceof BatchFailed) return error.result;
    throw error;
  }
  return outcome as BatchResult;
}

function skipTheRest(result: BatchResult): BatchResult {
  const skipped: BatchResult = { successfulVersions: {}, failedVersions: { ...result.failedVersions } };
  for (const name of Object.keys(result.successfulVersions)) {
    setEntry(skipped.failedVersions, name, {
      errorCode: 'SKIPPED',
      errorMessage: 'Not changed because another version in this request failed; nothing was changed.',
    });
  }
  return skipped;
}
