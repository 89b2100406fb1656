/**
 * NuGet package ids: letters, digits and '_', in runs joined by single '.' or '-', at most 100
 * characters (NuGet's PackageIdValidator). Ids are case-insensitive; the stored name is the
 * lowercased id, as CodeArtifact normalises it, and the original casing is kept for display.
 */
import { ValidationError } from '../../errors.js';

const MAX_ID_LENGTH = 100;
const ID_PATTERN = /^\w+(?:[.-]\w+)*$/;

export function isValidPackageId(id: string): boolean {
  return id.length <= MAX_ID_LENGTH && ID_PATTERN.test(id);
}

/** Returns the id as given, or throws a ValidationError that says what an id may hold. */
export function requirePackageId(id: string): string {
  if (!isValidPackageId(id)) {
    throw new ValidationError(`The package id ${JSON.stringify(id.slice(0, 120))} is not valid.`, {
      hint: `Use letters, digits and '_', separated by single '.' or '-', at most ${MAX_ID_LENGTH} characters.`,
    });
  }
  return id;
}

/** The stored name and URL segment of an id. ASCII-only ids make a plain lowercase enough. */
export function packageNameOf(id: string): string {
  return id.toLowerCase();
}
