/**
 * Changing versions in batches: update-package-versions-status, dispose-package-versions,
 * delete-package-versions and copy-package-versions. Each answers with successfulVersions and
 * failedVersions; a batch is all-or-nothing (see operations/version-batch.ts).
 */
import type { Command } from 'commander';
import type { PackageFormat } from '../../core/model.js';
import { normalizeVersion } from '../../formats/package-names.js';
import { action, collect } from '../context.js';
import { addPackageOptions, addRepositoryOptions, domainOf, packageKeyOf, packageOf, parseVersionRevisions, type PackageOptions } from './packages-options.js';

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

function batchCommand(program: Command, name: string, description: string, withRevisions: boolean): Command {
  const command = addPackageOptions(addRepositoryOptions(program.command(name).description(description)))
    .option('--versions <version...>', 'The versions to change.', collect)
    .option('--expected-status <status>', 'Fail each version whose status is not this one (MISMATCHED_STATUS).');
  return withRevisions ? command.option('--version-revisions <version=revision...>', 'Fail each version not at this revision (MISMATCHED_REVISION).', collect) : command;
}

/** Versions as stored: NuGet's are normalised (1.0 -> 1.0.0), as CodeArtifact does with API input. */
function versionsOf(format: PackageFormat, versions: string[] | undefined): string[] | undefined {
  return versions?.map((version) => normalizeVersion(format, version));
}

function revisionsOf(format: PackageFormat, values: string[] | undefined): Record<string, string> | undefined {
  const revisions = parseVersionRevisions(values);
  return revisions && Object.fromEntries(Object.entries(revisions).map(([version, revision]) => [normalizeVersion(format, version), revision]));
}

export function register(program: Command): void {
  batchCommand(program, 'update-package-versions-status', 'Set versions to Published, Unlisted or Archived.', true)
    .option('--target-status <status>', 'Published, Unlisted or Archived.')
    .action(
      action<BatchOptions>(async (options, context) => {
        const key = await packageKeyOf(options, context);
        const targetStatus = await context.need(options.targetStatus, '--target-status');
        const { updatePackageVersionsStatus } = await statusOperations();
        return updatePackageVersionsStatus(await context.store(), key, {
          versions: versionsOf(key.format, options.versions),
          versionRevisions: revisionsOf(key.format, options.versionRevisions),
          expectedStatus: options.expectedStatus,
          targetStatus,
        });
      }),
    );

  batchCommand(program, 'dispose-package-versions', 'Mark versions Disposed and drop their assets; the records stay (blobs go with gc).', true).action(
    action<BatchOptions>(async (options, context) => {
      const key = await packageKeyOf(options, context);
      const { disposePackageVersions } = await statusOperations();
      return disposePackageVersions(await context.store(), key, {
        versions: versionsOf(key.format, options.versions),
        versionRevisions: revisionsOf(key.format, options.versionRevisions),
        expectedStatus: options.expectedStatus,
      });
    }),
  );

  batchCommand(program, 'delete-package-versions', 'Remove versions entirely, so their numbers can be published again.', false).action(
    action<BatchOptions>(async (options, context) => {
      const key = await packageKeyOf(options, context);
      const { deletePackageVersions } = await statusOperations();
      return deletePackageVersions(await context.store(), key, { versions: versionsOf(key.format, options.versions), expectedStatus: options.expectedStatus });
    }),
  );

  addPackageOptions(program.command('copy-package-versions').description('Copy versions to another repository of the domain; assets are shared, not copied.'))
    .option('--domain <name>', 'The domain of both repositories.')
    .option('--domain-owner <account>', 'Accepted for AWS CLI compatibility.')
    .option('--source-repository <name>', 'Copy from this repository.')
    .option('--destination-repository <name>', 'Copy into this repository.')
    .option('--versions <version...>', 'The versions to copy.', collect)
    .option('--version-revisions <version=revision...>', 'The versions to copy, each only if at this revision.', collect)
    .option('--allow-overwrite', 'Replace versions the destination already has (else ALREADY_EXISTS).')
    .option('--no-allow-overwrite', 'Refuse versions the destination already has (the default).')
    .option('--include-from-upstream', "Also copy versions found only in the source repository's upstreams.")
    .option('--no-include-from-upstream', 'Copy only versions the source repository holds itself (the default).')
    .action(
      action<BatchOptions>(async (options, context) => {
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
      }),
    );
}
