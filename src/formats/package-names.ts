/**
 * Package names, namespaces and versions as the format named by the caller stores them: the
 * registry's rules applied (core/package-names.ts has the shared part). Light: it loads the
 * formats' rules only, never their server code, so the package commands can use it.
 */
import type { PackageFormat, PackageKey } from '../core/model.js';
import { normalizePackageWith, type NormalizedPackage } from '../core/package-names.js';
import { ValidationError } from '../errors.js';
import { formatRules, isPackageFormat, PACKAGE_FORMATS } from './registry.js';

export type { NormalizedPackage };

/** A format name as typed after --format; anything the registry lacks is a ValidationError. */
export function parsePackageFormat(raw: string): PackageFormat {
  if (!isPackageFormat(raw)) throw new ValidationError(`--format must be one of ${PACKAGE_FORMATS.join(', ')}; got ${JSON.stringify(raw)}.`);
  return raw;
}

/** The stored package name for what a user typed. */
export function normalizePackageName(format: PackageFormat, name: string): string {
  return formatRules(format).normalizeName(name);
}

/** The stored namespace for what a user typed (npm scopes lose their '@', swift scopes are lowercased). */
export function normalizeNamespace(format: PackageFormat, namespace: string): string {
  return formatRules(format).normalizeNamespace(namespace);
}

/** The stored version for what a user typed (NuGet's normal form; the rest as given). */
export function normalizeVersion(format: PackageFormat, version: string): string {
  return formatRules(format).normalizeVersion(version);
}

/** Validates and normalises format, namespace and name together; throws ValidationError. */
export function normalizePackage(format: PackageFormat, namespace: string | undefined, name: string): NormalizedPackage {
  return normalizePackageWith(formatRules(format), namespace, name);
}

/** How people write the package: `@scope/name` for npm, `namespace:name` for most others. */
export function packageDisplayName(key: Pick<PackageKey, 'format' | 'namespace' | 'name'>): string {
  return formatRules(key.format).displayName(key.namespace, key.name);
}
