/**
 * copy-package-versions: copies version records from one repository to another in the same
 * domain. Assets are content-addressed and stored once per root, so a copy shares the source's
 * blobs and moves no bytes. The copy is a write into the destination, so the destination
 * package's origin controls and its package group's PUBLISH setting must allow publishing; a
 * new destination package gets the defaults of a direct publish (publish=ALLOW, upstream=BLOCK).
 *
 * Format metadata of the copied versions goes along as the format's rules say (npm's dist-tags,
 * as CodeArtifact copies them).
 */
import type { PackageKey, VersionRecord } from '../core/model.js';
import type { NormalizedPackage } from '../core/package-names.js';
import { withRevision } from '../core/revision.js';
import { ValidationError } from '../errors.js';
import { formatRules } from '../formats/registry.js';
import type { Store } from '../store/store.js';
import { resolvePackage } from '../upstream/resolve.js';
import { checkGroupAllowsEntry } from './package-groups-enforcement.js';
import { packageNotFound } from './packages.js';
import { checkPublishAllowed, emptyPackage, PUBLISHED_FIRST } from './publish.js';
import { requireRepository } from './repositories.js';
import { applyVersionBatch, failure, getEntry } from './version-batch.js';

export interface CopyInput {
  domain: string;
  sourceRepository: string;
  destinationRepository: string;
  package: NormalizedPackage;
  versions?: readonly string[];
  versionRevisions?: Record<string, string>;
  allowOverwrite?: boolean;
  /** Also copy versions that only the source repository's upstreams hold. */
  includeFromUpstream?: boolean;
}

export async function copyPackageVersions(store: Store, input: CopyInput) {
  const hasVersions = (input.versions?.length ?? 0) > 0;
  const hasRevisions = Object.keys(input.versionRevisions ?? {}).length > 0;
  if (hasVersions === hasRevisions) throw new ValidationError('Pass either --versions or --version-revisions, not both and not neither.');
  if (input.sourceRepository === input.destinationRepository) {
    throw new ValidationError('--source-repository and --destination-repository must be different repositories.');
  }
  const source = await requireRepository(store, input.domain, input.sourceRepository);
  await requireRepository(store, input.domain, input.destinationRepository);
  const sourceKey: PackageKey = { domain: input.domain, repository: input.sourceRepository, ...input.package };
  const destinationKey: PackageKey = { domain: input.domain, repository: input.destinationRepository, ...input.package };

  // Nearest first, as resolution reads them: the source's own record, then its upstreams'.
  const records = input.includeFromUpstream
    ? (await resolvePackage(store, input.domain, source, input.package)).map((found) => found.record)
    : [await store.index.getPackage(sourceKey)].filter((record) => record !== undefined);
  if (records.length === 0) throw packageNotFound(sourceKey);
  const findSource = (version: string): VersionRecord | undefined =>
    records.map((record) => getEntry(record.versions, version)).find((found) => found !== undefined);

  await checkGroupAllowsEntry(store, destinationKey, 'PUBLISH');
  const versions = hasVersions ? (input.versions as string[]) : Object.keys(input.versionRevisions as Record<string, string>);
  return applyVersionBatch(store, destinationKey, versions, {
    createPackage: () => emptyPackage(destinationKey, PUBLISHED_FIRST),
    checkPackage: (current) => checkPublishAllowed(destinationKey, current),
    decide(version, existing) {
      const found = findSource(version);
      const where = input.includeFromUpstream ? `${input.sourceRepository} or its upstreams` : input.sourceRepository;
      if (!found) return failure('NOT_FOUND', `Version ${version} does not exist in ${where}.`);
      const revision = hasRevisions ? getEntry(input.versionRevisions as Record<string, string>, version) : undefined;
      if (revision !== undefined && revision !== found.revision) {
        return failure('MISMATCHED_REVISION', `Version ${version} is at revision ${found.revision} in ${where}, not ${revision}.`);
      }
      if (found.status === 'Disposed') return failure('NOT_ALLOWED', `Version ${version} is Disposed; it has no assets to copy.`);
      if (existing && !input.allowOverwrite) {
        return failure('ALREADY_EXISTS', `Version ${version} already exists in ${input.destinationRepository}; pass --allow-overwrite to replace it.`);
      }
      const copy = withRevision(structuredClone(found));
      return { next: copy, reported: { revision: copy.revision, status: copy.status } };
    },
    // Format metadata that goes along with the versions, such as npm's dist-tags.
    finishPackage: (next, copied) => formatRules(input.package.format).copyPackageMetadata(next, copied, records),
  });
}
