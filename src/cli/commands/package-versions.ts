/**
 * Reading package versions: list-package-versions, describe-package-version, their assets,
 * readme and dependencies. Like CodeArtifact these never search upstreams.
 */
import type { PackageKey } from '../../core/model.js';
import { normalizeVersion } from '../../formats/package-names.js';
import type { CliContext } from '../context.js';
import { packageKeyOf, pageOf, type PackageOptions } from './packages-options.js';

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

/** The package and its --package-version, normalised as the format stores versions. */
async function versionOf(options: VersionOptions, context: CliContext): Promise<{ key: PackageKey; version: string }> {
  const key = await packageKeyOf(options, context);
  return { key, version: normalizeVersion(key.format, await context.need(options.packageVersion, '--package-version')) };
}

export async function listPackageVersions(options: VersionOptions, context: CliContext): Promise<unknown> {
  const { listPackageVersions } = await versions();
  return listPackageVersions(await context.store(), await packageKeyOf(options, context), {
    status: options.status,
    sortBy: options.sortBy,
    originType: options.originType,
    ...pageOf(options),
  });
}

export async function describePackageVersion(options: VersionOptions, context: CliContext): Promise<unknown> {
  const { describePackageVersion } = await versions();
  const { key, version } = await versionOf(options, context);
  return describePackageVersion(await context.store(), key, version);
}

export async function listPackageVersionAssets(options: VersionOptions, context: CliContext): Promise<unknown> {
  const { listPackageVersionAssets } = await details();
  const { key, version } = await versionOf(options, context);
  return listPackageVersionAssets(await context.store(), key, version, pageOf(options));
}

export async function getPackageVersionAsset(options: VersionOptions, context: CliContext, [outfile]: string[]): Promise<unknown> {
  const { key, version } = await versionOf(options, context);
  const asset = await context.need(options.asset, '--asset');
  const { getPackageVersionAsset } = await import('../../operations/package-version-asset.js');
  // `-` is standard output, as for curl -o and tar -f: the bytes are the output, so the
  // usual result is not printed after them. `./-` names a file called '-'.
  const toStdout = outfile === '-';
  const result = await getPackageVersionAsset(await context.store(), key, {
    version,
    asset,
    packageVersionRevision: options.packageVersionRevision,
    outfile: toStdout ? process.stdout : outfile,
  });
  return toStdout ? undefined : result;
}

export async function getPackageVersionReadme(options: VersionOptions, context: CliContext): Promise<unknown> {
  const { getPackageVersionReadme } = await details();
  const { key, version } = await versionOf(options, context);
  return getPackageVersionReadme(await context.store(), key, version);
}

export async function listPackageVersionDependencies(options: VersionOptions, context: CliContext): Promise<unknown> {
  const { listPackageVersionDependencies } = await details();
  const { key, version } = await versionOf(options, context);
  return listPackageVersionDependencies(await context.store(), key, version, { nextToken: options.nextToken });
}
