/**
 * Rendering a package view as the npm packument: the full document (`npm view`, Yarn Berry,
 * unpublish/deprecate with `_rev`) or the abbreviated one installers ask for.
 */
import type { VersionRecord } from '../../core/model.js';
import { npmTarballAsset } from './tarball-asset.js';
import type { Slicer } from '../../upstream/slices.js';
import type { NpmPackageName } from './package-name.js';
import { packageUrlPath, tarballFileName } from './package-name.js';
import type { PackageView } from './package-view.js';

export const ABBREVIATED_CONTENT_TYPE = 'application/vnd.npm.install-v1+json';

/** Per-version fields installers read (npm registry docs, package-metadata.md). */
export const ABBREVIATED_FIELDS = [
  'name',
  'version',
  'dependencies',
  'optionalDependencies',
  'devDependencies',
  'peerDependencies',
  'peerDependenciesMeta',
  'bundleDependencies',
  'bundledDependencies',
  'bin',
  'directories',
  'engines',
  'os',
  'cpu',
  'libc',
  'funding',
  'license',
  'deprecated',
  '_hasShrinkwrap',
  'hasInstallScript',
] as const;

/** Package-level fields copied from the latest version's manifest into the full document. */
const TOP_LEVEL_FIELDS = ['description', 'license', 'homepage', 'repository', 'bugs', 'keywords', 'author', 'contributors'] as const;

export interface RenderOptions {
  abbreviated: boolean;
  /** The repository's npm endpoint, ending in '/', that tarball URLs point back to. */
  endpoint: string;
  /** Included for `?write=true` reads, which clients echo back on writes. */
  rev?: string;
}

export function renderPackument(name: NpmPackageName, view: PackageView, options: RenderOptions): Record<string, unknown> {
  const versions: Record<string, Record<string, unknown>> = {};
  for (const [version, entry] of view.versions) versions[version] = renderVersion(name, entry.record, options);
  return withVersions(name, view, options, versions);
}

/** The same, in slices: a package of 60,000 versions takes a third of a second to render. */
export async function renderPackumentInSlices(
  name: NpmPackageName,
  view: PackageView,
  options: RenderOptions,
  slicer: Slicer,
): Promise<Record<string, unknown>> {
  const versions: Record<string, Record<string, unknown>> = {};
  for (const [version, entry] of view.versions) {
    if (slicer.due()) await slicer.turn();
    versions[version] = renderVersion(name, entry.record, options);
  }
  return withVersions(name, view, options, versions);
}

function renderVersion(name: NpmPackageName, record: VersionRecord, options: RenderOptions): Record<string, unknown> {
  return options.abbreviated ? abbreviatedVersion(name, record, options.endpoint) : fullVersion(name, record, options.endpoint);
}

function withVersions(
  name: NpmPackageName,
  view: PackageView,
  options: RenderOptions,
  versions: Record<string, Record<string, unknown>>,
): Record<string, unknown> {
  const modified = view.modified ?? new Date(0).toISOString();
  if (options.abbreviated) return { name: name.fullName, modified, 'dist-tags': view.distTags, versions };

  const time: Record<string, string> = {};
  let created: string | undefined;
  for (const [version, entry] of view.versions) {
    time[version] = entry.record.publishedTime;
    if (!created || entry.record.publishedTime < created) created = entry.record.publishedTime;
  }
  const latest = view.versions.get(view.distTags.latest)?.record;
  const document: Record<string, unknown> = { _id: name.fullName, name: name.fullName };
  if (options.rev !== undefined) document._rev = options.rev;
  document['dist-tags'] = view.distTags;
  document.versions = versions;
  document.time = { created: created ?? modified, modified, ...time };
  if (latest) {
    const manifest = latest.formatMetadata ?? {};
    for (const field of TOP_LEVEL_FIELDS) if (manifest[field] !== undefined) document[field] = manifest[field];
    if (latest.readme) document.readme = latest.readme;
  }
  return document;
}

/** One version as the full document and `GET /{pkg}/{version}` show it. */
export function fullVersion(name: NpmPackageName, record: VersionRecord, endpoint: string): Record<string, unknown> {
  return {
    ...record.formatMetadata,
    name: name.fullName,
    version: record.version,
    _id: `${name.fullName}@${record.version}`,
    dist: distOf(name, record, endpoint),
  };
}

function abbreviatedVersion(name: NpmPackageName, record: VersionRecord, endpoint: string): Record<string, unknown> {
  const manifest = record.formatMetadata ?? {};
  const result: Record<string, unknown> = {};
  for (const field of ABBREVIATED_FIELDS) if (manifest[field] !== undefined) result[field] = manifest[field];
  result.name = name.fullName;
  result.version = record.version;
  result.dist = distOf(name, record, endpoint);
  return result;
}

/** `dist` is computed from the stored asset, never taken from the client. */
function distOf(name: NpmPackageName, record: VersionRecord, endpoint: string): Record<string, unknown> {
  const fileName = tarballFileName(name, record.version);
  const asset = npmTarballAsset(record.assets) ?? record.assets[0];
  const counted = record.formatMetadata?.dist;
  const { fileCount, unpackedSize } = counted && typeof counted === 'object' ? (counted as Record<string, unknown>) : {};
  const dist: Record<string, unknown> = { tarball: `${endpoint}${packageUrlPath(name)}/-/${encodeURIComponent(fileName)}` };
  if (typeof fileCount === 'number') dist.fileCount = fileCount;
  if (typeof unpackedSize === 'number') dist.unpackedSize = unpackedSize;
  const sha512 = asset?.hashes['SHA-512'];
  if (sha512) dist.integrity = `sha512-${Buffer.from(sha512, 'hex').toString('base64')}`;
  if (asset?.hashes['SHA-1']) dist.shasum = asset.hashes['SHA-1'];
  return dist;
}
