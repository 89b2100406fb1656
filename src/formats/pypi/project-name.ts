/**
 * Project names (PEP 508 for what is valid, PEP 503 for the normal form the store and the
 * URLs use) and distribution file names (wheel and sdist), matched against a project and version.
 */
import { normalizePypiName } from './pep503.js';
import { validateAssetName } from '../../core/names.js';
import { ValidationError } from '../../errors.js';
import { canonicalVersion, normalizeVersion } from './pep440.js';

const PROJECT_NAME = /^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$/i;

export function isValidProjectName(name: string): boolean {
  return typeof name === 'string' && name.length <= 200 && PROJECT_NAME.test(name);
}

/** The PEP 503 name of a valid project name; anything else is a ValidationError. */
export function requireProjectName(name: string): string {
  if (!isValidProjectName(name)) {
    throw new ValidationError(`${JSON.stringify(String(name).slice(0, 80))} is not a valid project name.`, {
      hint: 'Project names use letters, digits, ".", "_" and "-", and start and end with a letter or digit.',
    });
  }
  return normalizePypiName(name);
}

export type DistributionKind = 'wheel' | 'sdist';

export interface DistributionFile {
  kind: DistributionKind;
  /** PEP 503 name of the project the file name says it belongs to. */
  project: string;
  /** PEP 440 normal form of the version in the file name. */
  version: string;
}

// What pip accepts as source archives; uploads are narrower (see UPLOAD_SDIST_SUFFIXES).
const SDIST_SUFFIXES = ['.tar.gz', '.tgz', '.tar.bz2', '.tbz', '.tar.xz', '.txz', '.tar', '.zip'];
const UPLOAD_SDIST_SUFFIXES = ['.tar.gz', '.zip'];

/** The source-archive suffix of a file name ('.tar.gz'), lower case, or undefined for none pip accepts. */
export function sdistSuffix(fileName: string): string | undefined {
  const lower = fileName.toLowerCase();
  return SDIST_SUFFIXES.find((candidate) => lower.endsWith(candidate));
}

/**
 * Reads project and version out of a distribution file name. Wheels carry both unambiguously
 * ({name}-{version}(-{build})?-{py}-{abi}-{platform}.whl); an sdist's name part may itself hold
 * '-', so when the project is known the split is the one whose left side normalises to it.
 */
export function parseDistributionFile(fileName: string, knownProject?: string): DistributionFile | undefined {
  if (fileName.endsWith('.whl')) {
    const parts = fileName.slice(0, -4).split('-');
    if (parts.length !== 5 && parts.length !== 6) return undefined;
    const version = normalizeVersion(parts[1].replace(/_/g, '-'));
    if (!isValidProjectName(parts[0]) || version === undefined) return undefined;
    return { kind: 'wheel', project: normalizePypiName(parts[0]), version };
  }
  const suffix = sdistSuffix(fileName);
  if (!suffix) return undefined;
  const stem = fileName.slice(0, -suffix.length);
  const splits: DistributionFile[] = [];
  for (let dash = stem.indexOf('-'); dash > 0; dash = stem.indexOf('-', dash + 1)) {
    const name = stem.slice(0, dash);
    const version = normalizeVersion(stem.slice(dash + 1));
    if (!isValidProjectName(name) || version === undefined) continue;
    splits.push({ kind: 'sdist', project: normalizePypiName(name), version });
  }
  if (knownProject !== undefined) return splits.find((split) => split.project === knownProject);
  return splits.length === 1 ? splits[0] : undefined;
}

export interface ExpectedDistribution {
  project: string;
  version: string;
  fileType?: string;
}

/**
 * Checks an uploaded file's name: a plain file name (no path parts), a wheel or an sdist
 * archive PyPI accepts, naming the project and version of the form fields.
 */
export function checkUploadFileName(fileName: string, expected: ExpectedDistribution): DistributionFile {
  if (fileName.includes('/') || fileName.includes('\\') || fileName.startsWith('.')) {
    throw new ValidationError(`Invalid file name ${JSON.stringify(fileName.slice(0, 80))}: it must be a plain file name, without path parts.`);
  }
  validateAssetName(fileName);
  const isWheel = fileName.endsWith('.whl');
  if (!isWheel && !UPLOAD_SDIST_SUFFIXES.some((suffix) => fileName.endsWith(suffix))) {
    throw new ValidationError(`Invalid file extension on ${fileName}: use .whl for wheels and .tar.gz (or .zip) for source distributions.`);
  }
  if (expected.fileType === 'bdist_wheel' && !isWheel) throw new ValidationError(`${fileName} is not a wheel, but filetype says bdist_wheel.`);
  if (expected.fileType === 'sdist' && isWheel) throw new ValidationError(`${fileName} is a wheel, but filetype says sdist.`);
  const parsed = parseDistributionFile(fileName, expected.project);
  if (!parsed || parsed.project !== expected.project) {
    throw new ValidationError(`The file name ${fileName} does not belong to project ${expected.project}.`, {
      hint: 'Wheel names look like name-1.0-py3-none-any.whl and sdists like name-1.0.tar.gz.',
    });
  }
  if (canonicalVersion(parsed.version) !== canonicalVersion(expected.version)) {
    throw new ValidationError(`The file name ${fileName} is for version ${parsed.version}, but the upload says version ${expected.version}.`);
  }
  return parsed;
}
