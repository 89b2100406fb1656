/**
 * One package as a NuGet client sees it from a repository: the versions stored along the
 * upstream chain (nearest record wins) and, after them, the versions the external connection
 * offers. Statuses decide what is offered: Published is listed, Unlisted is restorable but
 * listed:false, and Archived, Unfinished and Disposed are not offered at all (and hide the same
 * version further up the chain, since the nearest record decides).
 */
import type { PackageVersionStatus, VersionRecord } from '../../core/model.js';
import type { PackageSource } from '../../upstream/resolve.js';
import { metadataOf, type CatalogFields } from './version-metadata.js';
import { compareNuGetVersions, parseNuGetVersion, type NuGetVersion } from './nuget-version.js';

/** A version the external connection offers, as far as its documents describe it. */
export interface ExternalVersion {
  key: string;
  parsed: NuGetVersion;
  listed: boolean;
  published?: string;
  /** Known once the upstream's registration has been read. */
  fields?: CatalogFields;
  /** SHA-512 of the nupkg, base64, when the upstream announces one. */
  packageHash?: string;
  /** The upstream's catalog document of this version, where a hash may be found. */
  catalogUrl?: string;
}

export interface OfferedVersion {
  key: string;
  parsed: NuGetVersion;
  listed: boolean;
  published?: string;
  fields: CatalogFields;
  packageHash?: string;
  /** Set when a repository on the chain holds the version; otherwise it is external. */
  stored?: { repository: string; record: VersionRecord };
  external?: ExternalVersion;
}

export interface PackageView {
  /** The stored name: the lowercased id. */
  name: string;
  /** The id in the casing of the newest version. */
  displayId: string;
  /** Oldest first, in NuGet's version order. */
  versions: OfferedVersion[];
}

function isOffered(status: PackageVersionStatus): boolean {
  return status === 'Published' || status === 'Unlisted';
}

function fromStored(name: string, repository: string, record: VersionRecord): OfferedVersion | undefined {
  const fields = metadataOf(record, name);
  const parsed = parseNuGetVersion(fields.fullVersion) ?? parseNuGetVersion(record.version);
  if (!parsed) return undefined;
  const sha512 = record.assets.find((asset) => asset.name.endsWith('.nupkg'))?.hashes['SHA-512'];
  return {
    key: record.version,
    parsed,
    listed: record.status === 'Published',
    published: record.publishedTime,
    fields,
    packageHash: sha512 ? Buffer.from(sha512, 'hex').toString('base64') : undefined,
    stored: { repository, record },
  };
}

function fromExternal(name: string, external: ExternalVersion): OfferedVersion {
  return {
    key: external.key,
    parsed: external.parsed,
    listed: external.listed,
    published: external.published,
    fields: external.fields ?? {
      id: name,
      version: external.key,
      fullVersion: external.key,
      isSemVer2: false,
      tags: [],
      requireLicenseAcceptance: false,
      dependencyGroups: [],
    },
    packageHash: external.packageHash,
    external,
  };
}

/** Merges the chain's records (nearest first) and the external versions; undefined when none is offered. */
export function buildPackageView(name: string, sources: readonly PackageSource[], external: readonly ExternalVersion[] = []): PackageView | undefined {
  const decided = new Map<string, OfferedVersion | undefined>();
  for (const source of sources) {
    for (const record of Object.values(source.record.versions)) {
      if (decided.has(record.version)) continue;
      decided.set(record.version, isOffered(record.status) ? fromStored(name, source.repository, record) : undefined);
    }
  }
  for (const entry of external) {
    if (!decided.has(entry.key)) decided.set(entry.key, fromExternal(name, entry));
  }
  const versions = [...decided.values()].filter((entry): entry is OfferedVersion => entry !== undefined);
  if (versions.length === 0) return undefined;
  versions.sort((a, b) => compareNuGetVersions(a.parsed, b.parsed));
  const newest = versions.filter((entry) => entry.listed).at(-1) ?? versions[versions.length - 1];
  return { name, displayId: newest.fields.id, versions };
}

export function findVersion(view: PackageView | undefined, key: string): OfferedVersion | undefined {
  return view?.versions.find((entry) => entry.key === key);
}
