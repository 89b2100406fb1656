/**
 * Crate names as the sparse index and this store use them (docs/formats/cargo.md, "Names"):
 * the public crates registry's rules for a valid name, the lowercase name a crate is stored and indexed under,
 * the folded name (lowercase, `_` as `-`) two crates may not share, and the index path.
 */
import { ResourceNotFoundError, ValidationError } from '../../errors.js';

const CRATE_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
// Names Windows reserves for devices; the public registry refuses them as crate names.
const RESERVED = new Set(['nul', 'con', 'prn', 'aux', ...[1, 2, 3, 4, 5, 6, 7, 8, 9].flatMap((n) => [`com${n}`, `lpt${n}`])]);

export function isValidCrateName(name: string): boolean {
  return CRATE_NAME.test(name) && !RESERVED.has(name.toLowerCase());
}

/** Throws ValidationError unless `name` is a crate name this registry accepts. */
export function requireCrateName(name: string): string {
  if (!isValidCrateName(name)) {
    throw new ValidationError(
      `${JSON.stringify(name.slice(0, 80))} is not a valid crate name: use ASCII letters, digits, '-' and '_', start with a letter, at most 64 characters, and no reserved device name.`,
    );
  }
  return name;
}

/** The stored package name: the crate name in lower case, as the index path has it. */
export function crateKey(name: string): string {
  return name.toLowerCase();
}

/** Two crates whose folded names are equal are the same crate to cargo's users (the public registry's rule). */
export function foldedName(name: string): string {
  return name.toLowerCase().replace(/_/g, '-');
}

/** The index file of a crate, relative to the index root: `1/a`, `2/ab`, `3/a/abc`, `se/rd/serde`. */
export function indexPath(name: string): string {
  const lower = name.toLowerCase();
  if (lower.length <= 2) return `${lower.length}/${lower}`;
  if (lower.length === 3) return `3/${lower[0]}/${lower}`;
  return `${lower.slice(0, 2)}/${lower.slice(2, 4)}/${lower}`;
}

/**
 * The stored name asked for by an index path (the raw segments of the route), or a 404 when the
 * path is not the one the name belongs under: `ab/cd/xyz1` does not find `xyz1`.
 */
export function nameFromIndexPath(rawPath: string): string {
  const segments = rawPath.split('/');
  const name = decode(segments[segments.length - 1]);
  if (!isValidCrateName(name) || indexPath(name) !== segments.map(decode).join('/').toLowerCase()) {
    throw new ResourceNotFoundError(`No crate index file at ${JSON.stringify(rawPath.slice(0, 120))}.`, { resourceType: 'package' });
  }
  return crateKey(name);
}

export function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
