/**
 * What a PyPI version record keeps beyond its assets: per file, when it arrived and the
 * Requires-Python it declares (the index shows both per file), and from the core metadata the
 * dependencies, summary, readme, home page and license. A wheel's METADATA is stored as an asset
 * of its own, named `<wheel>.metadata`, so it is served (PEP 658) and copied, retained and
 * collected exactly like the wheel.
 */
import type { AssetRecord, PackageKey, VersionRecord } from '../../core/model.js';
import { normalizePypiName } from './pep503.js';
import type { NewVersion } from '../../operations/publish.js';
import type { Store } from '../../store/store.js';
import { requirementName, type CoreMetadata } from './core-metadata.js';
import { canonicalVersion } from './pep440.js';

export const METADATA_SUFFIX = '.metadata';

export interface FileInfo {
  uploadTime: string;
  requiresPython?: string;
  /** PEP 592 yank from the public index: true, or the reason it gave. */
  yanked?: true | string;
}

export type FileInfos = Record<string, FileInfo>;

/** The per-file facts kept in a version's formatMetadata. */
export function fileInfosOf(record: Pick<VersionRecord, 'formatMetadata'>): FileInfos {
  const files = record.formatMetadata?.files;
  return files && typeof files === 'object' ? (files as FileInfos) : {};
}

export function withFileInfo(formatMetadata: Record<string, unknown> | undefined, fileName: string, info: FileInfo): Record<string, unknown> {
  const files: FileInfos = { ...fileInfosOf({ formatMetadata }), [fileName]: pruneUndefined(info) };
  return { ...formatMetadata, files };
}

/** The key of the stored version a file of `version` belongs to: PyPI files `1.0.0` under a release `1.0`. */
export async function storedVersionKey(store: Store, key: PackageKey, version: string): Promise<string | undefined> {
  const record = await store.index.getPackage(key);
  if (!record) return undefined;
  if (Object.hasOwn(record.versions, version)) return version;
  const canonical = canonicalVersion(version) ?? version;
  return Object.keys(record.versions).find((candidate) => (canonicalVersion(candidate) ?? candidate) === canonical);
}

/** The distribution files of a version: its assets without the METADATA files that go with wheels. */
export function distributionAssets(record: VersionRecord): AssetRecord[] {
  return record.assets.filter((asset) => !asset.name.endsWith(METADATA_SUFFIX));
}

export function metadataAssetOf(record: VersionRecord, fileName: string): AssetRecord | undefined {
  return record.assets.find((asset) => asset.name === `${fileName}${METADATA_SUFFIX}`);
}

/** The parts of a new version record that come from the uploaded file's core metadata. */
export function versionFromMetadata(version: string, metadata: CoreMetadata | undefined, assets: AssetRecord[], fileName: string, info: FileInfo): NewVersion {
  const result: NewVersion = { version, assets, formatMetadata: withFileInfo(undefined, fileName, info) };
  if (!metadata) return result;
  result.dependencies = metadata.requiresDist.flatMap((requirement) => {
    const name = requirementName(requirement);
    if (!name) return [];
    const rest = requirement.trim().slice(name.length).trim();
    return [{ dependencyType: 'requires-dist', package: normalizePypiName(name), ...(rest ? { versionRequirement: rest } : {}) }];
  });
  if (metadata.summary) result.summary = metadata.summary;
  if (metadata.description) result.readme = metadata.description;
  const homePage = metadata.homePage ?? projectUrl(metadata, /^(home|homepage|home page)$/i);
  if (homePage) result.homePage = homePage;
  const source = projectUrl(metadata, /^(source|source code|repository|code)$/i);
  if (source) result.sourceCodeRepository = source;
  if (metadata.license) result.licenses = [{ name: metadata.license.split('\n')[0].slice(0, 200) }];
  return result;
}

/** A Project-URL ("Label, URL") whose label matches. */
function projectUrl(metadata: CoreMetadata, label: RegExp): string | undefined {
  for (const entry of metadata.projectUrls) {
    const comma = entry.indexOf(',');
    if (comma > 0 && label.test(entry.slice(0, comma).trim())) return entry.slice(comma + 1).trim();
  }
  return undefined;
}

function pruneUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
}
