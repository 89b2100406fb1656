/**
 * Name rules from the CodeArtifact model (docs/reference/names-and-limits.md). Every name that will become
 * part of a path passes through here first; the messages name the rule that was broken.
 */
import { ValidationError } from '../errors.js';
import { nodeCrypto } from './node-crypto.js';

const DOMAIN_PATTERN = /^[a-z][a-z0-9-]{0,48}[a-z0-9]$/;
const REPOSITORY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{1,99}$/;
const PACKAGE_PART_PATTERN = /^[^#/\s]{1,255}$/u;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

function describe(value: string): string {
  const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
  return JSON.stringify(shown);
}

export function validateDomainName(name: string): string {
  if (typeof name !== 'string' || name.length < 2 || name.length > 50) {
    throw new ValidationError(`Domain name ${describe(String(name))} must be 2 to 50 characters long.`);
  }
  if (!DOMAIN_PATTERN.test(name)) {
    throw new ValidationError(
      `Domain name ${describe(name)} is not valid: use lowercase letters, digits and '-', start with a letter and end with a letter or digit.`,
    );
  }
  return name;
}

export function validateRepositoryName(name: string): string {
  if (typeof name !== 'string' || name.length < 2 || name.length > 100) {
    throw new ValidationError(`Repository name ${describe(String(name))} must be 2 to 100 characters long.`);
  }
  if (!REPOSITORY_PATTERN.test(name)) {
    throw new ValidationError(`Repository name ${describe(name)} is not valid: use letters, digits, '.', '_' and '-', starting with a letter or digit.`);
  }
  return name;
}

/** Package names, namespaces and versions: 1-255 characters, no '#', '/' or whitespace. */
export function validatePackagePart(kind: 'package' | 'namespace' | 'version', value: string): string {
  if (typeof value !== 'string' || value.length < 1 || value.length > 255) {
    throw new ValidationError(`The ${kind} ${describe(String(value))} must be 1 to 255 characters long.`);
  }
  if (!PACKAGE_PART_PATTERN.test(value) || CONTROL_CHARS.test(value)) {
    throw new ValidationError(`The ${kind} ${describe(value)} must not contain '#', '/', whitespace or control characters.`);
  }
  // '__proto__' would be taken as the prototype when used as a key of the JSON indexes.
  if (value === '.' || value === '..' || value === '__proto__') {
    throw new ValidationError(`The ${kind} ${describe(value)} is not allowed.`);
  }
  return value;
}

/** Asset names: 1-255 characters, no control characters, no path separators, not '.' or '..'. */
export function validateAssetName(name: string): string {
  if (typeof name !== 'string' || name.length < 1 || name.length > 255) {
    throw new ValidationError(`Asset name ${describe(String(name))} must be 1 to 255 characters long.`);
  }
  if (CONTROL_CHARS.test(name) || name.includes('/') || name.includes('\\') || name === '.' || name === '..') {
    throw new ValidationError(`Asset name ${describe(name)} must not contain path separators or control characters.`);
  }
  return name;
}

export function validateDescription(description: string): string {
  if (description.length > 1000) {
    throw new ValidationError('A description must be at most 1000 characters long.');
  }
  return description;
}

/**
 * Turns a validated name into one path segment. Percent-encoding keeps '@', '%' and friends
 * out of the file system, a leading '.' is encoded so no segment is hidden or relative, and a
 * literal '_' is encoded because '_' alone stands for "no namespace" on disk.
 */
export function encodePathSegment(name: string): string {
  if (name === '_') return '%5F';
  const encoded = encodeURIComponent(name).replace(/\*/g, '%2A');
  return encoded.startsWith('.') ? `%2E${encoded.slice(1)}` : encoded;
}

export function decodePathSegment(segment: string): string {
  return decodeURIComponent(segment);
}

// A file name may have 255 bytes. Index files get '.json', their locks '.lock' and their temp
// files '.<name>.json.<pid>.<12 hex>.tmp' (31 more): a file's segment stays within 219. A
// directory (a namespace) has no suffix and may use all 255. Longer encoded names (250 ASCII
// characters, or 100 'é' at 6 bytes each) are stored under a hashed segment, marked by a '+',
// which encodePathSegment never leaves in a name, so the two can never be confused.
export const FILE_SEGMENT_MAX = 219;
export const DIRECTORY_SEGMENT_MAX = 255;
const HASHED_PREFIX_MAX = 120;
const HASH_MARK = '+';

/**
 * The one path segment a package name or namespace is stored under: its encoded form when it
 * fits in `max`, else a readable prefix of it, '+' and the SHA-256 of the name (at most 185
 * characters). Names behind hashed segments are read from the files they name (see
 * isHashedSegment), never decoded from the segment.
 */
export function storedSegment(name: string, max: number = FILE_SEGMENT_MAX): string {
  const encoded = encodePathSegment(name);
  if (encoded.length <= max) return encoded;
  let prefix = encoded.slice(0, HASHED_PREFIX_MAX);
  // Never cut an escape in half: the prefix stays readable.
  const escape = prefix.lastIndexOf('%');
  if (escape > prefix.length - 3) prefix = prefix.slice(0, escape);
  return `${prefix}${HASH_MARK}${nodeCrypto().createHash('sha256').update(name).digest('hex')}`;
}

/** True for a segment storedSegment hashed: its name must be read from the file, not decoded. */
export function isHashedSegment(segment: string): boolean {
  return segment.includes(HASH_MARK);
}
