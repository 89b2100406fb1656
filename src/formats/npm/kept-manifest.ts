/**
 * What the index keeps of a published package.json, per version (docs/npm-manifest.md). The
 * whole file used to be kept: up to 1 MB of fields no client reads, on every version, made
 * indexes and packuments grow without bound. Kept are the fields npm, pnpm and yarn read from
 * a packument to resolve and install (refused when too large, since dropping one would change
 * an install), and the fields `npm view` and search show (dropped when too large, since a
 * description is nobody's install).
 */
import { ValidationError } from '../../errors.js';

/** Read by installers: a version without them installs differently. */
export const INSTALL_FIELDS = [
  'name',
  'version',
  'dependencies',
  'optionalDependencies',
  'peerDependencies',
  'peerDependenciesMeta',
  'devDependencies',
  'bundleDependencies',
  'bundledDependencies',
  'acceptDependencies',
  'engines',
  'os',
  'cpu',
  'libc',
  'bin',
  'directories',
  'deprecated',
  'hasInstallScript',
  '_hasShrinkwrap',
] as const;

/** Shown by `npm view`, search and the packument's top level; informative only. */
export const DESCRIPTIVE_FIELDS = [
  'description',
  'license',
  'licenses',
  'funding',
  'keywords',
  'homepage',
  'repository',
  'bugs',
  'author',
  'contributors',
  'maintainers',
  'main',
  'types',
  'typings',
  'type',
  'gitHead',
  '_npmUser',
  '_nodeVersion',
  '_npmVersion',
  'dist',
] as const;

// A dependencies map of a few thousand entries is well within this; nothing real comes close.
export const MAX_INSTALL_FIELD_BYTES = 256 * 1024;
// A long description or contributor list.
export const MAX_DESCRIPTIVE_FIELD_BYTES = 16 * 1024;

/** The manifest fields kept for one version; throws ValidationError when an install field is too large. */
export function keptManifest(manifest: Record<string, unknown>): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const field of INSTALL_FIELDS) {
    if (!Object.hasOwn(manifest, field) || manifest[field] === undefined) continue;
    const size = Buffer.byteLength(JSON.stringify(manifest[field]) ?? '');
    if (size > MAX_INSTALL_FIELD_BYTES) {
      throw new ValidationError(`The package.json field "${field}" is ${size} bytes; at most ${MAX_INSTALL_FIELD_BYTES} are kept for a version.`);
    }
    kept[field] = manifest[field];
  }
  for (const field of DESCRIPTIVE_FIELDS) {
    if (!Object.hasOwn(manifest, field) || manifest[field] === undefined) continue;
    if (Buffer.byteLength(JSON.stringify(manifest[field]) ?? '') <= MAX_DESCRIPTIVE_FIELD_BYTES) kept[field] = manifest[field];
  }
  return kept;
}
