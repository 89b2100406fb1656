/**
 * NuGet versions as NuGet.Versioning reads them: 2 to 4 numeric parts, SemVer 2 prerelease labels
 * and build metadata. Normalisation (docs/reference/concepts.md, docs/protocols/nuget.md) pads to three parts,
 * drops leading zeros, drops a zero fourth part and drops build metadata; the stored key is also
 * lowercased, because NuGet compares labels without regard to case ("1.0.0-Beta" = "1.0.0-beta").
 */
import { ValidationError } from '../../errors.js';

export interface NuGetVersion {
  /** major, minor, patch, revision. */
  numbers: [number, number, number, number];
  /** Prerelease labels in their original case; empty for a release. */
  labels: string[];
  /** Build metadata without the '+', or undefined. */
  metadata?: string;
}

// NuGet.org's limit; nothing longer is a real version and it keeps keys and URLs short.
const MAX_VERSION_LENGTH = 64;
const INT32_MAX = 2_147_483_647;
const NUMERIC = /^[0-9]+$/;
const IDENTIFIER = /^[0-9A-Za-z-]+$/;

/** Parses a version, or returns undefined when NuGet would not accept it. */
export function parseNuGetVersion(raw: string): NuGetVersion | undefined {
  const text = raw.trim();
  if (text.length === 0 || text.length > MAX_VERSION_LENGTH) return undefined;
  const plus = text.indexOf('+');
  const withoutMetadata = plus < 0 ? text : text.slice(0, plus);
  const metadata = plus < 0 ? undefined : text.slice(plus + 1);
  const dash = withoutMetadata.indexOf('-');
  const core = dash < 0 ? withoutMetadata : withoutMetadata.slice(0, dash);
  const release = dash < 0 ? undefined : withoutMetadata.slice(dash + 1);

  const parts = core.split('.');
  // A single number is accepted and padded, as NuGetVersion.Parse("1") gives 1.0.0.
  if (parts.length > 4 || parts.some((part) => !NUMERIC.test(part))) return undefined;
  const numbers = parts.map(Number);
  if (numbers.some((value) => value > INT32_MAX)) return undefined;
  while (numbers.length < 4) numbers.push(0);

  const labels = release === undefined ? [] : release.split('.');
  if (release !== undefined && !labels.every(isValidLabel)) return undefined;
  if (metadata !== undefined && !metadata.split('.').every((part) => IDENTIFIER.test(part))) return undefined;
  return { numbers: numbers as NuGetVersion['numbers'], labels, metadata };
}

/** SemVer 2 forbids leading zeros in numeric labels; NuGet applies that to prerelease labels. */
function isValidLabel(label: string): boolean {
  if (!IDENTIFIER.test(label)) return false;
  return !(label.length > 1 && label.startsWith('0') && NUMERIC.test(label));
}

/** The normalised string with the labels' original case: what NuGet shows. */
export function formatNuGetVersion(version: NuGetVersion, withMetadata = false): string {
  const [major, minor, patch, revision] = version.numbers;
  let text = `${major}.${minor}.${patch}`;
  if (revision !== 0) text += `.${revision}`;
  if (version.labels.length) text += `-${version.labels.join('.')}`;
  if (withMetadata && version.metadata) text += `+${version.metadata}`;
  return text;
}

/** The stored key and URL form: normalised and lowercased. */
export function versionKey(version: NuGetVersion): string {
  return formatNuGetVersion(version).toLowerCase();
}

/** Parses or throws a ValidationError that names the bad value. */
export function requireNuGetVersion(raw: string, what = 'version'): NuGetVersion {
  const version = parseNuGetVersion(raw);
  if (!version) {
    throw new ValidationError(`The ${what} ${JSON.stringify(raw.slice(0, 80))} is not a valid NuGet version.`, {
      hint: 'Use MAJOR.MINOR.PATCH[.REVISION][-PRERELEASE][+METADATA], e.g. 1.2.0 or 2.0.0-beta.1.',
    });
  }
  return version;
}

/** Normalises what a user or client typed into the stored key ("01.0.0.0+abc" -> "1.0.0"). */
export function normalizeNuGetVersion(raw: string): string {
  return versionKey(requireNuGetVersion(raw));
}

export function isPrerelease(version: NuGetVersion): boolean {
  return version.labels.length > 0;
}

/** NuGet counts a version as SemVer 2.0.0 when it has build metadata or a dotted prerelease label. */
export function isSemVer2(version: NuGetVersion): boolean {
  return version.metadata !== undefined || version.labels.length > 1;
}

/** NuGet's order: numbers, then a release above its prereleases, then labels as SemVer 2 orders them. */
export function compareNuGetVersions(a: NuGetVersion, b: NuGetVersion): number {
  for (let index = 0; index < 4; index++) {
    const difference = a.numbers[index] - b.numbers[index];
    if (difference !== 0) return Math.sign(difference);
  }
  if (a.labels.length === 0 || b.labels.length === 0) return Math.sign(b.labels.length - a.labels.length);
  const shared = Math.min(a.labels.length, b.labels.length);
  for (let index = 0; index < shared; index++) {
    const order = compareLabels(a.labels[index], b.labels[index]);
    if (order !== 0) return order;
  }
  return Math.sign(a.labels.length - b.labels.length);
}

function compareLabels(a: string, b: string): number {
  const aNumeric = NUMERIC.test(a);
  const bNumeric = NUMERIC.test(b);
  if (aNumeric && bNumeric) return Math.sign(Number(a) - Number(b));
  if (aNumeric !== bNumeric) return aNumeric ? -1 : 1;
  const left = a.toLowerCase();
  const right = b.toLowerCase();
  return left < right ? -1 : left > right ? 1 : 0;
}

/** Sorts version keys (or anything parseable) in NuGet's order; unparseable ones go first. */
export function compareVersionStrings(a: string, b: string): number {
  const left = parseNuGetVersion(a);
  const right = parseNuGetVersion(b);
  if (!left || !right) return left ? 1 : right ? -1 : a.localeCompare(b);
  return compareNuGetVersions(left, right);
}
