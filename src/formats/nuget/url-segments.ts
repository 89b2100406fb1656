/**
 * Ids and versions from request paths. Clients send them lowercased and normalised in reads, and
 * as typed in delete/relist; both become the stored name and version key here. A segment that is
 * no valid id or version names nothing, so reads answer 404 (other codes abort multi-source
 * restores).
 */
import { isValidPackageId, packageNameOf } from './package-id.js';
import { parseNuGetVersion, versionKey } from './nuget-version.js';

function decode(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

/** The stored name of the id in a path segment, or undefined when it is not a valid id. */
export function nameFromSegment(raw: string): string | undefined {
  const id = decode(raw);
  return id !== undefined && isValidPackageId(id) ? packageNameOf(id) : undefined;
}

/** The version key of a path segment, or undefined when it is not a valid version. */
export function versionFromSegment(raw: string): string | undefined {
  const text = decode(raw);
  const version = text === undefined ? undefined : parseNuGetVersion(text);
  return version ? versionKey(version) : undefined;
}
