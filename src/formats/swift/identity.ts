/**
 * Package identifiers and versions as the registry specification defines them: a scope of
 * letters, digits and single inner hyphens (at most 39), a name of letters, digits and single
 * inner hyphens or underscores (at most 100), both compared case-insensitively and stored
 * lowercased as CodeArtifact stores them; versions must be SemVer 2.0 and are kept as written.
 */
import semver from 'semver';
import type { PackageKey } from '../../core/model.js';
import { ValidationError } from '../../errors.js';
import type { RequestContext } from '../../server/route.js';

const SCOPE = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const NAME = /^[A-Za-z0-9](?:[A-Za-z0-9]|[-_](?=[A-Za-z0-9])){0,99}$/;
// semver.org's own expression for a SemVer 2.0 version, build metadata included.
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;
const MAX_VERSION_LENGTH = 255;

/** A package as the client wrote it, and the key it is stored under. */
export interface SwiftPackage {
  /** As written in the request: `mona`, `LinkedList`. */
  scope: string;
  name: string;
  key: PackageKey;
}

function decode(raw: string, what: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new ValidationError(`The ${what} in the path is not valid percent-encoding.`);
  }
}

export function checkScope(scope: string): string {
  if (!SCOPE.test(scope)) {
    throw new ValidationError(
      `${JSON.stringify(scope.slice(0, 80))} is not a valid package scope: use up to 39 letters, digits and single hyphens, starting and ending with a letter or digit.`,
    );
  }
  return scope;
}

export function checkName(name: string): string {
  if (!NAME.test(name)) {
    throw new ValidationError(
      `${JSON.stringify(name.slice(0, 120))} is not a valid package name: use up to 100 letters, digits and single hyphens or underscores, starting and ending with a letter or digit.`,
    );
  }
  return name;
}

export function isSemVer(version: string): boolean {
  return version.length <= MAX_VERSION_LENGTH && SEMVER.test(version);
}

export function checkVersion(version: string): string {
  if (!isSemVer(version)) {
    throw new ValidationError(`${JSON.stringify(version.slice(0, 80))} is not a SemVer 2.0 version (MAJOR.MINOR.PATCH with optional -prerelease and +build).`, {
      hint: 'Swift package versions must follow Semantic Versioning 2.0, e.g. 1.2.0 or 2.0.0-beta.1.',
    });
  }
  return version;
}

/** Newest first by SemVer precedence; versions equal but for build metadata by their text. */
export function compareVersionsDescending(a: string, b: string): number {
  return semver.compareBuild(b, a);
}

export function swiftPackage(context: RequestContext, rawScope: string, rawName: string): SwiftPackage {
  const scope = checkScope(decode(rawScope, 'scope'));
  const name = checkName(decode(rawName, 'package name'));
  return {
    scope,
    name,
    key: { domain: context.domain, repository: context.repository.name, format: 'swift', namespace: scope.toLowerCase(), name: name.toLowerCase() },
  };
}

export function pathVersion(raw: string): string {
  return checkVersion(decode(raw, 'version'));
}

/** The identifier SwiftPM uses: `scope.name`. */
export function identifierOf(scope: string, name: string): string {
  return `${scope}.${name}`;
}
