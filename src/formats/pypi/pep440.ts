/**
 * PEP 440 versions: which strings are versions, their normal form, and the canonical form two
 * spellings of one release share. Files are grouped under the normal form, so `1.0RC1` and
 * `1.0rc1` land in one version, and `1.0.0` finds the release `1.0` as PyPI finds it.
 */
import { ValidationError } from '../../errors.js';

// The grammar of PEP 440's appendix, written out once; case-insensitive, surrounding space allowed.
const VERSION_PATTERN = new RegExp(
  [
    '^\\s*v?',
    '(?:(?<epoch>[0-9]+)!)?',
    '(?<release>[0-9]+(?:\\.[0-9]+)*)',
    '(?:[-_.]?(?<preL>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?<preN>[0-9]+)?)?',
    '(?:-(?<postN1>[0-9]+)|[-_.]?(?<postL>post|rev|r)[-_.]?(?<postN2>[0-9]+)?)?',
    '(?:[-_.]?(?<devL>dev)[-_.]?(?<devN>[0-9]+)?)?',
    '(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?',
    '\\s*$',
  ].join(''),
  'i',
);

const PRE_RELEASE_LABELS: Readonly<Record<string, string>> = { alpha: 'a', a: 'a', beta: 'b', b: 'b', c: 'rc', pre: 'rc', preview: 'rc', rc: 'rc' };

export interface ParsedVersion {
  epoch: number;
  release: number[];
  pre?: { label: string; number: number };
  post?: number;
  dev?: number;
  local?: string;
}

/** PEP 440 sets no limit on number sizes; numbers past 2^53 are refused rather than rounded. */
function toNumber(digits: string): number {
  const value = Number(digits);
  if (!Number.isSafeInteger(value)) throw new RangeError(`version number part ${digits.slice(0, 30)} is too large`);
  return value;
}

export function parseVersion(text: string): ParsedVersion | undefined {
  if (typeof text !== 'string' || text.length > 255) return undefined;
  const match = VERSION_PATTERN.exec(text);
  if (!match?.groups) return undefined;
  try {
    return readGroups(match.groups);
  } catch {
    return undefined;
  }
}

function readGroups(g: Record<string, string | undefined>): ParsedVersion {
  const parsed: ParsedVersion = { epoch: g.epoch ? toNumber(g.epoch) : 0, release: (g.release as string).split('.').map(toNumber) };
  if (g.preL) parsed.pre = { label: PRE_RELEASE_LABELS[g.preL.toLowerCase()], number: g.preN ? toNumber(g.preN) : 0 };
  if (g.postN1 !== undefined) parsed.post = toNumber(g.postN1);
  else if (g.postL) parsed.post = g.postN2 ? toNumber(g.postN2) : 0;
  if (g.devL) parsed.dev = g.devN ? toNumber(g.devN) : 0;
  if (g.local) parsed.local = g.local.toLowerCase().replace(/[-_]/g, '.');
  return parsed;
}

function render(parsed: ParsedVersion, release: number[]): string {
  let text = parsed.epoch ? `${parsed.epoch}!` : '';
  text += release.join('.');
  if (parsed.pre) text += `${parsed.pre.label}${parsed.pre.number}`;
  if (parsed.post !== undefined) text += `.post${parsed.post}`;
  if (parsed.dev !== undefined) text += `.dev${parsed.dev}`;
  if (parsed.local) text += `+${parsed.local}`;
  return text;
}

/** The normal form (what `packaging.version.Version` prints), or undefined when not a version. */
export function normalizeVersion(text: string): string | undefined {
  const parsed = parseVersion(text);
  return parsed && render(parsed, parsed.release);
}

/** Like normalizeVersion, but a string that is not a PEP 440 version is a ValidationError. */
export function requireVersion(text: string): string {
  const normal = normalizeVersion(text);
  if (normal === undefined) {
    throw new ValidationError(`${JSON.stringify(String(text).slice(0, 80))} is not a valid PEP 440 version.`, {
      hint: 'Versions look like 1.0, 2.1.3, 1.0rc1, 1.0.post2 or 1.0.dev3.',
    });
  }
  return normal;
}

/** The form two spellings of one release share: trailing `.0`s of the release dropped (1.0.0 == 1.0). */
export function canonicalVersion(text: string): string | undefined {
  const parsed = parseVersion(text);
  if (!parsed) return undefined;
  const release = [...parsed.release];
  while (release.length > 1 && release[release.length - 1] === 0) release.pop();
  return render(parsed, release);
}

/** Orders versions for pages and `versions` lists: PEP 440 order, anything unparsable first by text. */
export function compareVersions(a: string, b: string): number {
  const left = parseVersion(a);
  const right = parseVersion(b);
  if (!left || !right) return left ? 1 : right ? -1 : a < b ? -1 : a > b ? 1 : 0;
  return compareParsed(left, right) || (a < b ? -1 : a > b ? 1 : 0);
}

function compareParsed(a: ParsedVersion, b: ParsedVersion): number {
  if (a.epoch !== b.epoch) return a.epoch - b.epoch;
  const length = Math.max(a.release.length, b.release.length);
  for (let index = 0; index < length; index += 1) {
    const difference = (a.release[index] ?? 0) - (b.release[index] ?? 0);
    if (difference) return difference;
  }
  return sortKey(a).localeCompare(sortKey(b)) || compareLocal(a.local, b.local);
}

/**
 * The suffix order PEP 440 defines (dev < a < b < rc < final < post), as a string that sorts
 * correctly: one letter for the phase, then zero-padded numbers.
 */
function sortKey(version: ParsedVersion): string {
  const pad = (value: number) => String(value).padStart(16, '0');
  let phase: string;
  if (version.pre) phase = `${{ a: 'b', b: 'c', rc: 'd' }[version.pre.label as 'a' | 'b' | 'rc']}${pad(version.pre.number)}`;
  else if (version.dev !== undefined && version.post === undefined) phase = 'a';
  else phase = 'e';
  const post = version.post === undefined ? '0' : `1${pad(version.post)}`;
  const dev = version.dev === undefined ? '1' : `0${pad(version.dev)}`;
  return `${phase}|${post}|${dev}`;
}

function compareLocal(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  return a.localeCompare(b, 'en', { numeric: true });
}
