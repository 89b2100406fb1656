/**
 * How a package named on the command line (or in an API-style request) becomes the name that is
 * stored, per format, as CodeArtifact normalises it (docs/reference/concepts.md, "Namespace and name by format").
 * Formats share this so `--package Foo_Bar` and a pip request for foo-bar find the same index.
 */
import { ValidationError } from '../errors.js';
import { shellWord } from './command-line.js';
import type { PackageFormat, PackageKey } from './model.js';
import { PACKAGE_FORMATS } from './model.js';
import { validatePackagePart } from './names.js';
import { parseNuGetVersion, versionKey } from './nuget-version.js';

/** A package named by format, optional namespace and name, after normalisation. */
export interface NormalizedPackage {
  format: PackageFormat;
  namespace?: string;
  name: string;
}

// CodeArtifact requires a namespace in API calls for these formats, and has none for these.
const NAMESPACE_REQUIRED: readonly PackageFormat[] = ['maven', 'generic', 'swift'];
const NO_NAMESPACE: readonly PackageFormat[] = ['pypi', 'nuget', 'ruby', 'cargo'];

export function parsePackageFormat(raw: string): PackageFormat {
  if (!PACKAGE_FORMATS.includes(raw as PackageFormat)) {
    throw new ValidationError(`--format must be one of ${PACKAGE_FORMATS.join(', ')}; got ${JSON.stringify(raw)}.`);
  }
  return raw as PackageFormat;
}

/** PEP 503: lowercase, and every run of '-', '_' and '.' becomes one '-'. */
export function normalizePypiName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** The stored package name for what a user typed. */
export function normalizePackageName(format: PackageFormat, name: string): string {
  switch (format) {
    case 'pypi':
      return normalizePypiName(name);
    // Crates are stored under the lowercased name their index path uses (docs/formats/cargo.md).
    case 'nuget':
    case 'swift':
    case 'cargo':
      return name.toLowerCase();
    default:
      return name;
  }
}

/**
 * The stored version for what a user typed: NuGet versions in NuGet's normal form (1.0 ->
 * 1.0.0, 1.01.1 -> 1.1.1, build metadata dropped), as CodeArtifact normalises API input; the
 * rest as given.
 */
export function normalizeVersion(format: PackageFormat, version: string): string {
  if (format !== 'nuget') return version;
  const parsed = parseNuGetVersion(version);
  return parsed ? versionKey(parsed) : version;
}

/** The stored namespace: npm scopes lose their '@', swift scopes are lowercased. */
export function normalizeNamespace(format: PackageFormat, namespace: string): string {
  if (format === 'npm' && namespace.startsWith('@')) return namespace.slice(1);
  if (format === 'swift') return namespace.toLowerCase();
  return namespace;
}

/** Validates and normalises format, namespace and name together; throws ValidationError. */
export function normalizePackage(format: PackageFormat, namespace: string | undefined, name: string): NormalizedPackage {
  const givenNamespace = namespace === '' ? undefined : namespace;
  if (givenNamespace === undefined) refuseWholeName(format, name);
  if (givenNamespace === undefined && NAMESPACE_REQUIRED.includes(format)) {
    throw new ValidationError(`--namespace is required for ${format} packages.`);
  }
  if (givenNamespace !== undefined && NO_NAMESPACE.includes(format)) {
    throw new ValidationError(`${format} packages have no namespace; leave out --namespace.`);
  }
  const normalized: NormalizedPackage = { format, name: validatePackagePart('package', normalizePackageName(format, name)) };
  if (givenNamespace !== undefined) normalized.namespace = validatePackagePart('namespace', normalizeNamespace(format, givenNamespace));
  return normalized;
}

/**
 * A name written the way people write packages (`@scope/name`, `group:artifact`) where the
 * commands take the parts apart: refused with the flags to use instead.
 */
function refuseWholeName(format: PackageFormat, name: string): void {
  const parts = format === 'npm' ? /^@([^/@]+)\/([^/@]+)$/.exec(name) : format === 'maven' ? /^([^:]+):([^:]+)$/.exec(name) : null;
  if (!parts) return;
  const [, namespace, packageName] = parts;
  throw new ValidationError(`--package ${JSON.stringify(name)} holds a ${format === 'npm' ? 'scope' : 'group'} as well as a name; the ${format === 'npm' ? 'scope' : 'group'} goes in --namespace.`, {
    hint: `Use --namespace ${shellWord(namespace)} --package ${shellWord(packageName)}.`,
  });
}

/** How people write the package: `@scope/name` for npm, `namespace:name` for the rest. */
export function packageDisplayName(key: Pick<PackageKey, 'format' | 'namespace' | 'name'>): string {
  if (!key.namespace) return key.name;
  if (key.format === 'npm') return `@${key.namespace}/${key.name}`;
  return `${key.namespace}:${key.name}`;
}
