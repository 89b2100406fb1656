/**
 * Changing versions in batches: update-package-versions-status, dispose-package-versions,
 * delete-package-versions and copy-package-versions. Each answers with successfulVersions and
 * failedVersions; a batch is all-or-nothing (see operations/version-batch.ts).
 */
import type { PackageFormat } from '../../core/model.js';
import { normalizeVersion } from '../../formats/package-names.js';
import type { CliContext } from '../context.js';
import { domainOf, packageKeyOf, packageOf, parseVersionRevisions, type PackageOptions } from './packages-options.js';

interface BatchOptions extends PackageOptions {
  versions?: string[];
  versionRevisions?: string[];
  targetStatus?: string;
  expectedStatus?: string;
  sourceRepository?: string;
  destinationRepository?: string;
  allowOverwrite?: boolean;
  includeFromUpstream?: boolean;
}

const statusOperations = () => import('../../operations/version-status.js');

/** Versions as stored: NuGet's are normalised (1.0 -> 1.0.0), as CodeArtifact does with API input. */
function versionsOf(format: PackageFormat, versions: string[] | undefined): string[] | undefined {
  return versions?.map((version) => normalizeVersion(format, version));
}

function revisionsOf(format: PackageFormat, values: string[] | undefined): Record<string, string> | undefined {
  const revisions = parseVersionRevisions(values);
  return revisions && Object.fromEntries(Object.entries(revisions).map(([version, revision]) => [normalizeVersion(format, version), revision]));
}

export async function updatePackageVersionsStatus(options: BatchOptions, context: CliContext): Promise<unknown> {
  const key = await packageKeyOf(options, context);
  const targetStatus = await context.need(options.targetStatus, '--target-status');
  const { updatePackageVersionsStatus } = await statusOperations();
  return updatePackageVersionsStatus(await context.store(), key, {
    versions: versionsOf(key.format, options.versions),
    versionRevisions: revisionsOf(key.format, options.versionRevisions),
    expectedStatus: options.expectedStatus,
    targetStatus,
  });
}

export async function disposePackageVersions(options: BatchOptions, context: CliContext): Promise<unknown> {
  const key = await packageKeyOf(options, context);
  const { disposePackageVersions } = await statusOperations();
  return disposePackageVersions(await context.store(), key, {
    versions: versionsOf(key.format, options.versions),
    versionRevisions: revisionsOf(key.format, options.versionRevisions),
    expectedStatus: options.expectedStatus,
  });
}

export async function deletePackageVersions(options: BatchOptions, context: CliContext): Promise<unknown> {
  const key = await packageKeyOf(options, context);
  const { deletePackageVersions } = await statusOperations();
  return deletePackageVersions(await context.store(), key, { versions: versionsOf(key.format, options.versions), expectedStatus: options.expectedStatus });
}

export async function copyPackageVersions(options: BatchOptions, context: CliContext): Promise<unknown> {
  const domain = await domainOf(options, context);
  const sourceRepository = await context.need(options.sourceRepository, '--source-repository');
  const destinationRepository = await context.need(options.destinationRepository, '--destination-repository');
  const { copyPackageVersions } = await import('../../operations/copy-versions.js');
  const target = await packageOf(options, context);
  return copyPackageVersions(await context.store(), {
    domain,
    sourceRepository,
    destinationRepository,
    package: target,
    versions: versionsOf(target.format, options.versions),
    versionRevisions: revisionsOf(target.format, options.versionRevisions),
    allowOverwrite: Boolean(options.allowOverwrite),
    includeFromUpstream: Boolean(options.includeFromUpstream),
  });
}
