/**
 * Reading package versions: list-package-versions, describe-package-version, their assets,
 * readme and dependencies. Like CodeArtifact these never search upstreams.
 */
import type { Command } from 'commander';
import { normalizeVersion } from '../../formats/package-names.js';
import { action } from '../context.js';
import { addPackageOptions, addPageOptions, addRepositoryOptions, packageKeyOf, pageOf, type PackageOptions } from './packages-options.js';

interface VersionOptions extends PackageOptions {
  packageVersion?: string;
  status?: string;
  sortBy?: string;
  originType?: string;
  asset?: string;
  packageVersionRevision?: string;
}

const versions = () => import('../../operations/package-versions.js');
const details = () => import('../../operations/package-version-details.js');

/** A command with --domain ... --package and, for per-version commands, --package-version. */
function versionCommand(program: Command, name: string, description: string, perVersion = true): Command {
  const command = addPackageOptions(addRepositoryOptions(program.command(name).description(description)));
  return perVersion ? command.option('--package-version <version>', 'The version.') : command;
}

export function register(program: Command): void {
  addPageOptions(versionCommand(program, 'list-package-versions', 'List the versions of a package, of every status unless --status is given.', false))
    .option('--status <status>', 'Only versions with this status: Published, Unfinished, Unlisted, Archived or Disposed.')
    .option('--sort-by <field>', 'PUBLISHED_TIME lists the newest first; the default orders by version.')
    .option('--origin-type <type>', 'Only versions of this origin: INTERNAL, EXTERNAL or UNKNOWN.')
    .action(
      action<VersionOptions>(async (options, context) => {
        const { listPackageVersions } = await versions();
        return listPackageVersions(await context.store(), await packageKeyOf(options, context), {
          status: options.status,
          sortBy: options.sortBy,
          originType: options.originType,
          ...pageOf(options),
        });
      }),
    );

  versionCommand(program, 'describe-package-version', 'Show one version: status, revision, origin and metadata.').action(
    action<VersionOptions>(async (options, context) => {
      const { describePackageVersion } = await versions();
      const key = await packageKeyOf(options, context);
      return describePackageVersion(await context.store(), key, normalizeVersion(key.format, await context.need(options.packageVersion, '--package-version')));
    }),
  );

  addPageOptions(versionCommand(program, 'list-package-version-assets', 'List the files of a version with their sizes and hashes.')).action(
    action<VersionOptions>(async (options, context) => {
      const { listPackageVersionAssets } = await details();
      const key = await packageKeyOf(options, context);
      return listPackageVersionAssets(await context.store(), key, normalizeVersion(key.format, await context.need(options.packageVersion, '--package-version')), pageOf(options));
    }),
  );

  versionCommand(program, 'get-package-version-asset', 'Save one asset of a version to a file (- for standard output); its SHA-256 is checked on the way.')
    .option('--asset <name>', 'Name of the asset.')
    .option('--package-version-revision <revision>', 'Fail unless the version is at this revision.')
    .argument('<outfile>', 'File to write the asset to; - writes it to standard output (and prints nothing else there).')
    .action(
      action<VersionOptions>(async (options, context, [outfile]) => {
        const key = await packageKeyOf(options, context);
        const version = normalizeVersion(key.format, await context.need(options.packageVersion, '--package-version'));
        const asset = await context.need(options.asset, '--asset');
        const { getPackageVersionAsset } = await import('../../operations/package-version-asset.js');
        // `-` is standard output, as for curl -o and tar -f: the bytes are the output, so the
        // usual result is not printed after them. `./-` names a file called '-'.
        const toStdout = outfile === '-';
        const result = await getPackageVersionAsset(await context.store(), key, { version, asset, packageVersionRevision: options.packageVersionRevision, outfile: toStdout ? process.stdout : outfile });
        return toStdout ? undefined : result;
      }),
    );

  versionCommand(program, 'get-package-version-readme', 'Print the readme stored with a version.').action(
    action<VersionOptions>(async (options, context) => {
      const { getPackageVersionReadme } = await details();
      const key = await packageKeyOf(options, context);
      return getPackageVersionReadme(await context.store(), key, normalizeVersion(key.format, await context.need(options.packageVersion, '--package-version')));
    }),
  );

  versionCommand(program, 'list-package-version-dependencies', 'List the dependencies a version declares.')
    .option('--next-token <token>', 'Continue after the previous page.')
    .action(
      action<VersionOptions>(async (options, context) => {
        const { listPackageVersionDependencies } = await details();
        const key = await packageKeyOf(options, context);
        return listPackageVersionDependencies(await context.store(), key, normalizeVersion(key.format, await context.need(options.packageVersion, '--package-version')), {
          nextToken: options.nextToken,
        });
      }),
    );
}
