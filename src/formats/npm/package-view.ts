/**
 * One package as npm sees it through a repository's upstream chain: the records that
 * resolvePackage found, merged nearest first. Versions: the nearest repository that holds a
 * version decides it. Dist-tags: the nearest repository's tag wins, so a fresh publish here is
 * never shadowed by an upstream's `latest`.
 */
import semver from 'semver';
import type { VersionRecord } from '../../core/model.js';
import type { PackageSource } from '../../upstream/resolve.js';
import type { Slicer } from '../../upstream/slices.js';

export type DistTags = Record<string, string>;

export interface ViewVersion {
  record: VersionRecord;
  /** The repository whose record supplied this version. */
  repository: string;
}

export interface PackageView {
  /** Listed versions (status Published), sorted oldest semver first. */
  versions: Map<string, ViewVersion>;
  distTags: DistTags;
  /** The newest change to any source, for `time.modified`. */
  modified?: string;
}

/** Dist-tags as a package record keeps them in its formatMetadata. */
export function recordDistTags(formatMetadata: Record<string, unknown> | undefined): DistTags {
  const tags = formatMetadata?.['dist-tags'];
  if (!tags || typeof tags !== 'object') return {};
  const result: DistTags = {};
  for (const [tag, version] of Object.entries(tags)) if (typeof version === 'string') result[tag] = version;
  return result;
}

export function buildPackageView(sources: readonly PackageSource[]): PackageView {
  const steps = viewSteps(sources);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** The same, giving the event loop turns: a package of 60,000 versions takes a while to sort. */
export async function buildPackageViewInSlices(sources: readonly PackageSource[], slicer: Slicer): Promise<PackageView> {
  const steps = viewSteps(sources);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (slicer.due()) await slicer.turn();
  }
}

// The view is built by a generator that stops every few dozen versions, where a caller in
// slices may give the event loop a turn; built at once, the stops cost next to nothing.
const STEP_VERSIONS = 64;

function* viewSteps(sources: readonly PackageSource[]): Generator<void, PackageView> {
  const decided = new Map<string, ViewVersion | null>();
  const distTags: DistTags = {};
  let modified: string | undefined;
  let count = 0;
  for (const source of sources) {
    for (const [version, record] of Object.entries(source.record.versions)) {
      if (++count % STEP_VERSIONS === 0) yield;
      if (decided.has(version)) continue;
      // A nearer Unlisted version still takes the number, so an upstream copy cannot reappear;
      // Archived, Disposed and Unfinished ones leave it to the repositories further away.
      if (record.status === 'Published') decided.set(version, { record, repository: source.repository });
      else if (record.status === 'Unlisted') decided.set(version, null);
      else continue;
      if (!modified || record.publishedTime > modified) modified = record.publishedTime;
    }
    for (const [tag, version] of Object.entries(recordDistTags(source.record.formatMetadata))) {
      if (!Object.hasOwn(distTags, tag)) distTags[tag] = version;
    }
    const touched = source.record.formatMetadata?.modified;
    if (typeof touched === 'string' && (!modified || touched > modified)) modified = touched;
  }
  const parsed: ParsedVersion[] = [];
  for (const text of decided.keys()) {
    if (++count % STEP_VERSIONS === 0) yield;
    parsed.push(parseVersion(text));
  }
  const versions = new Map<string, ViewVersion>();
  for (const version of sortParsed(parsed)) {
    if (++count % STEP_VERSIONS === 0) yield;
    const entry = decided.get(version);
    if (entry) versions.set(version, entry);
  }
  for (const [tag, version] of Object.entries(distTags)) if (!versions.has(version)) delete distTags[tag];
  const latest = distTags.latest ?? fallbackLatest([...versions.keys()]);
  if (latest !== undefined) distTags.latest = latest;
  return { versions, distTags, modified };
}

/**
 * The version a tarball request asks for: Published or Unlisted (unlisted versions stay
 * downloadable for lockfiles that pin them), from the nearest repository that has it.
 */
export function findDownloadableVersion(sources: readonly PackageSource[], version: string): { record: VersionRecord; source: PackageSource } | undefined {
  for (const source of sources) {
    if (!Object.hasOwn(source.record.versions, version)) continue;
    const record = source.record.versions[version];
    if (record.status === 'Published' || record.status === 'Unlisted') return { record, source };
    return undefined;
  }
  return undefined;
}

/** What `latest` means when no tag says: the highest release, else the highest version. */
export function fallbackLatest(versions: readonly string[]): string | undefined {
  const sorted = sortVersions(versions);
  const releases = sorted.filter((version) => semver.prerelease(version, true) === null);
  return (releases.length ? releases : sorted).at(-1);
}

/** Semver order, each string parsed once; strings that are not semver go first, by text. */
export function sortVersions(versions: readonly string[]): string[] {
  return sortParsed(versions.map(parseVersion));
}

interface ParsedVersion {
  text: string;
  parsed: semver.SemVer | null;
}

function parseVersion(text: string): ParsedVersion {
  return { text, parsed: semver.parse(text, true) };
}

function sortParsed(parsed: ParsedVersion[]): string[] {
  parsed.sort((a, b) => {
    if (a.parsed && b.parsed) return a.parsed.compare(b.parsed) || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0);
    if (a.parsed) return 1;
    if (b.parsed) return -1;
    return a.text < b.text ? -1 : a.text > b.text ? 1 : 0;
  });
  return parsed.map((entry) => entry.text);
}
