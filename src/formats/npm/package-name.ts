/**
 * npm package names as they arrive in URLs and publish bodies. The scope becomes the
 * CodeArtifact namespace without its '@'; everything is checked before it can reach a path.
 */
import { builtinModules } from 'node:module';
import { validatePackagePart } from '../../core/names.js';
import { ResourceNotFoundError, ValidationError } from '../../errors.js';

/** The npm registry's own limit for the whole name, scope included. */
const MAX_NAME_LENGTH = 214;

export interface NpmPackageName {
  /** Scope without '@', as CodeArtifact stores it; undefined for unscoped packages. */
  namespace?: string;
  /** The name without its scope. */
  name: string;
  /** `@scope/name` or `name`, the way npm prints it. */
  fullName: string;
}

/**
 * A URL path piece that names a package: `name`, `@scope%2fname`, `@scope%2Fname` or
 * `@scope/name`. Route regexes use it so scoped names match in every spelling.
 */
export const PACKAGE_PATH_PATTERN = '(@[^/%]+(?:%2[fF]|/)[^/]+|[^/@-][^/]*)';

/** Parses the package piece of a request path; anything malformed is a 400. */
export function parsePackagePath(raw: string): NpmPackageName {
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    throw new ValidationError('The package name in the URL is not correctly percent-encoded.');
  }
  return parsePackageName(decoded);
}

/** Splits and checks a package name; lookups accept the mixed-case names old packages have. */
export function parsePackageName(fullName: string): NpmPackageName {
  if (typeof fullName !== 'string' || fullName.length === 0 || fullName.length > MAX_NAME_LENGTH) {
    throw new ValidationError(`An npm package name must be 1 to ${MAX_NAME_LENGTH} characters long.`);
  }
  if (fullName.startsWith('@')) {
    const slash = fullName.indexOf('/');
    if (slash < 0) throw new ValidationError(`The scoped package name ${JSON.stringify(fullName)} needs the form @scope/name.`);
    const namespace = checkPart(fullName.slice(1, slash), 'scope', fullName, true);
    const name = checkPart(fullName.slice(slash + 1), 'name', fullName, true);
    return { namespace, name, fullName };
  }
  return { name: checkPart(fullName, 'name', fullName, false), fullName };
}

// npm refuses these names outright, and core module names and these characters for new packages.
const EXCLUDED_NAMES = new Set(['node_modules', 'favicon.ico']);
const CORE_MODULE_NAMES = new Set(builtinModules);
const CHARACTERS_OLD_NAMES_ONLY = /[~'!()*]/;

/** What every publish's name must be: lowercase, and not a name npm excludes outright. */
export function checkPublishedName(name: NpmPackageName): void {
  const quoted = JSON.stringify(name.fullName);
  if (name.fullName !== name.fullName.toLowerCase()) {
    throw new ValidationError(`The package name ${quoted} must be lowercase to be published.`);
  }
  if (EXCLUDED_NAMES.has(name.fullName)) throw new ValidationError(`${quoted} is not a valid npm package name.`);
}

/**
 * The stricter rules npm has for names of new packages (validate-npm-package-name's
 * validForNewPackages). A package the chain already holds (`events`, `buffer`: real packages
 * older than the rule, perhaps patched and published here) keeps taking new versions.
 */
export function checkNewPackageName(name: NpmPackageName): void {
  const quoted = JSON.stringify(name.fullName);
  if (CHARACTERS_OLD_NAMES_ONLY.test(name.name)) {
    throw new ValidationError(`The package name ${quoted} may not contain the characters ~ ' ! ( ) * to be published; only old packages have them.`);
  }
  if (!name.namespace && CORE_MODULE_NAMES.has(name.name)) {
    throw new ValidationError(`${quoted} is the name of a Node.js core module, which npm does not allow for a new package.`, {
      hint: `Publish it under a scope, e.g. @yourscope/${name.name}.`,
    });
  }
}

/** The name as npm prints it, from a store record's namespace and name. */
export function npmFullName(record: { namespace?: string; name: string }): string {
  return record.namespace ? `@${record.namespace}/${record.name}` : record.name;
}

/** The package part of a URL on this server: the scope slash stays literal, as npm writes it. */
export function packageUrlPath(name: NpmPackageName): string {
  const unscoped = encodeURIComponent(name.name);
  return name.namespace ? `@${encodeURIComponent(name.namespace)}/${unscoped}` : unscoped;
}

/** The file name of a version's tarball: the unscoped name, a dash and the version. */
export function tarballFileName(name: Pick<NpmPackageName, 'name'>, version: string): string {
  return `${name.name}-${version}.tgz`;
}

/** The version a tarball file name stands for, or a 404 when it names another package. */
export function versionFromTarballName(name: NpmPackageName, fileName: string): string {
  const prefix = `${name.name}-`;
  if (!fileName.startsWith(prefix) || !fileName.endsWith('.tgz') || fileName.length <= prefix.length + 4) {
    throw new ResourceNotFoundError(`${JSON.stringify(fileName)} is not a tarball of ${name.fullName}.`);
  }
  return validatePackagePart('version', fileName.slice(prefix.length, -4));
}

function checkPart(part: string, kind: 'scope' | 'name', fullName: string, scoped: boolean): string {
  // Only URL-safe characters, as the npm registry requires: this keeps '/', '%', '\', NUL,
  // spaces and every other character that could matter to a path or a URL out.
  if (part.length === 0 || encodeURIComponent(part) !== part) {
    throw new ValidationError(`The ${kind} in ${JSON.stringify(fullName)} may only use letters, digits and - . _ ~ ! * ' ( ).`);
  }
  // npm refuses a name that starts with '_'; a scoped one starts with '@', so `@scope/_name` is valid.
  if (part.startsWith('.') || (part.startsWith('_') && !scoped)) {
    throw new ValidationError(`The ${kind} in ${JSON.stringify(fullName)} must not start with '.'${scoped ? '' : " or '_'"}.`);
  }
  return validatePackagePart(kind === 'scope' ? 'namespace' : 'package', part);
}
