/**
 * What a NuGet version record keeps beyond the shared fields: the nuspec facts the registration
 * and search documents show, in the shape they show them. A pushed package and one fetched from
 * a public registry are described the same way, from their own nuspec.
 */
import type { VersionRecord } from '../../core/model.js';
import { ValidationError } from '../../errors.js';
import type { NewVersion } from '../../operations/publish.js';
import type { NupkgContents } from './nupkg.js';
import { packageNameOf, requirePackageId } from './package-id.js';
import { normalizeRangeText, rangeUsesSemVer2 } from './version-range.js';
import { formatNuGetVersion, isSemVer2, requireNuGetVersion, versionKey, type NuGetVersion } from './nuget-version.js';

export interface DependencyGroup {
  targetFramework?: string;
  dependencies: { id: string; range?: string }[];
}

/** The fields of a registration catalog entry, for stored and upstream versions alike. */
export interface CatalogFields {
  /** The id in its published casing. */
  id: string;
  /** Normalised, labels in their original case. */
  version: string;
  /** As `version`, plus build metadata when the package had some. */
  fullVersion: string;
  isSemVer2: boolean;
  title?: string;
  authors?: string;
  description?: string;
  summary?: string;
  tags: string[];
  projectUrl?: string;
  iconUrl?: string;
  licenseUrl?: string;
  licenseExpression?: string;
  requireLicenseAcceptance: boolean;
  language?: string;
  minClientVersion?: string;
  dependencyGroups: DependencyGroup[];
}

/** VersionRecord.formatMetadata of a NuGet version. */
export interface NuGetVersionMetadata extends CatalogFields {
  owners?: string;
  releaseNotes?: string;
  copyright?: string;
  licenseFile?: string;
  readmeFile?: string;
  repository?: { type?: string; url?: string; commit?: string };
  packageTypes: { name: string; version?: string }[];
}

/** The identity a nupkg claims: id as written, stored name, parsed version and its key. */
export interface PackageIdentity {
  id: string;
  name: string;
  version: NuGetVersion;
  key: string;
}

export function identityOf(contents: NupkgContents): PackageIdentity {
  const id = requirePackageId(contents.nuspec.id);
  const version = requireNuGetVersion(contents.nuspec.version, 'version in the .nuspec');
  return { id, name: packageNameOf(id), version, key: versionKey(version) };
}

/** The asset name CodeArtifact gives a nupkg: normalised id and version. */
export function nupkgAssetName(name: string, key: string): string {
  return `${name}.${key}.nupkg`;
}

function describeVersion(contents: NupkgContents, identity: PackageIdentity): NuGetVersionMetadata {
  const { nuspec } = contents;
  const dependencyGroups: DependencyGroup[] = nuspec.dependencyGroups.map((group) => ({
    targetFramework: group.targetFramework,
    dependencies: group.dependencies.map((dependency) => {
      requirePackageId(dependency.id);
      return { id: dependency.id, range: normalizeRangeText(dependency.range) };
    }),
  }));
  const semVer2 =
    isSemVer2(identity.version) || nuspec.dependencyGroups.some((group) => group.dependencies.some((dependency) => rangeUsesSemVer2(dependency.range)));
  return {
    id: identity.id,
    version: formatNuGetVersion(identity.version),
    fullVersion: formatNuGetVersion(identity.version, true),
    isSemVer2: semVer2,
    title: nuspec.title,
    authors: nuspec.authors,
    owners: nuspec.owners,
    description: nuspec.description,
    summary: nuspec.summary,
    releaseNotes: nuspec.releaseNotes,
    copyright: nuspec.copyright,
    tags: nuspec.tags,
    projectUrl: nuspec.projectUrl,
    iconUrl: nuspec.iconUrl,
    licenseUrl: nuspec.licenseUrl,
    licenseExpression: nuspec.license?.type === 'expression' ? nuspec.license.value : undefined,
    licenseFile: nuspec.license?.type === 'file' ? nuspec.license.value : undefined,
    requireLicenseAcceptance: nuspec.requireLicenseAcceptance,
    readmeFile: nuspec.readme,
    repository: nuspec.repository,
    packageTypes: nuspec.packageTypes,
    language: nuspec.language,
    minClientVersion: nuspec.minClientVersion,
    dependencyGroups,
  };
}

/** The version as publishPackageVersion and retainVersion take it, but for its assets. */
export function newVersionOf(contents: NupkgContents, identity: PackageIdentity): Omit<NewVersion, 'assets'> {
  const metadata = describeVersion(contents, identity);
  const licenses = metadata.licenseExpression ? [{ name: metadata.licenseExpression }] : metadata.licenseUrl ? [{ url: metadata.licenseUrl }] : undefined;
  return {
    version: identity.key,
    dependencies: metadata.dependencyGroups.flatMap((group) =>
      group.dependencies.map((dependency) => ({
        dependencyType: group.targetFramework ?? 'any',
        package: packageNameOf(dependency.id),
        versionRequirement: dependency.range,
      })),
    ),
    summary: metadata.summary ?? metadata.description,
    homePage: metadata.projectUrl,
    sourceCodeRepository: metadata.repository?.url,
    licenses,
    readme: contents.readme,
    formatMetadata: stripUndefined(metadata),
  };
}

/** The NuGet metadata of a stored version; versions stored by other means get a minimal one. */
export function metadataOf(record: VersionRecord, name: string): NuGetVersionMetadata {
  const stored = record.formatMetadata as Partial<NuGetVersionMetadata> | undefined;
  if (stored && typeof stored.id === 'string' && typeof stored.version === 'string') return stored as NuGetVersionMetadata;
  return {
    id: name,
    version: record.version,
    fullVersion: record.version,
    isSemVer2: false,
    tags: [],
    requireLicenseAcceptance: false,
    description: record.summary,
    dependencyGroups: [],
    packageTypes: [],
  };
}

/** Checks that a package really is the one a URL or an upstream listing named. */
export function checkIdentity(identity: PackageIdentity, name: string, key: string): void {
  if (identity.name !== name || identity.key !== key) {
    throw new ValidationError(`The package is ${identity.id} ${identity.key}, not ${name} ${key}.`);
  }
}

// JSON drops undefined anyway; dropping it here keeps revisions stable across round trips.
function stripUndefined<T extends object>(value: T): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}
