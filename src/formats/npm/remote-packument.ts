/**
 * Packuments from the public registry behind an external connection, turned into a package
 * record that the packument renderer merges like any other source. Only install-relevant
 * fields are kept, so the cache stays small even for packages with thousands of versions.
 */
import semver from 'semver';
import type { PackageRecord, VersionRecord } from '../../core/model.js';
import { NPM_ASSET_NAME } from './tarball-asset.js';
import { ABBREVIATED_FIELDS } from './packument.js';
import type { Freshness, ServerDeps } from '../../server/route.js';
import type { ExternalSource } from '../../upstream/external.js';
import { forEachMember, parseValueAt } from '../../upstream/json-members.js';
import { freshUntil, metadataCacheFor } from '../../upstream/metadata-cache.js';
import { Slicer } from '../../upstream/slices.js';
import { manifestFields } from './manifest-record.js';
import type { NpmPackageName } from './package-name.js';

// What npm's abbreviated form keeps per version, plus the description `npm view` shows.
const KEPT_FIELDS = [...ABBREVIATED_FIELDS, 'description'] as const;

const ACCEPT = 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*';

/** Where one upstream version's tarball is, and the digests the registry announced for it. */
export interface RemoteTarball {
  url: string;
  integrity?: string;
  shasum?: string;
}

export interface RemotePackument {
  distTags: Record<string, string>;
  modified?: string;
  versions: Record<string, { manifest: Record<string, unknown>; tarball: RemoteTarball; time?: string }>;
}

/** The packument URL of a name on a registry base URL: scoped names keep '@' and encode '/'. */
export function remotePackumentUrl(registry: string, name: NpmPackageName): string {
  const base = registry.endsWith('/') ? registry : `${registry}/`;
  return `${base}${name.fullName.replace('/', '%2f')}`;
}

/**
 * The registry's packument as the metadata cache holds it. `freshness`, when given, is lowered
 * to when that copy goes stale, so an answer built from it is not reused past that.
 */
export async function fetchRemotePackument(
  deps: Pick<ServerDeps, 'store' | 'config' | 'log'>,
  domain: string,
  source: ExternalSource,
  name: NpmPackageName,
  freshness?: Freshness,
  { persist = true }: { persist?: boolean } = {},
): Promise<RemotePackument | undefined> {
  const cached = await metadataCacheFor(deps).get({
    key: { domain, repository: source.repository.name, format: 'npm', namespace: name.namespace, name: name.name },
    url: remotePackumentUrl(source.url, name),
    accept: ACCEPT,
    parse: (text) => parseRemotePackument(text, name),
    persist,
  });
  // Nothing is kept of a package the registry does not have, so that answer is asked anew each time.
  if (freshness) freshness.validUntil = Math.min(freshness.validUntil, cached ? freshUntil(deps, cached) : 0);
  return cached?.document as RemotePackument | undefined;
}

// Above this a packument is read member by member in slices (json-members.ts): one
// JSON.parse of a 13 MB, 60,000-version packument held the event loop for most of a second.
const SLICED_TEXT_CHARS = 1024 * 1024;
// The top-level members a packument is read for; the rest (readme, users) is skipped.
const TOP_LEVEL_READ = new Set(['name', 'dist-tags', 'modified']);

/** Validates and trims an upstream packument, big ones in slices; throws when it is not one. */
export async function parseRemotePackument(text: string, name: NpmPackageName): Promise<RemotePackument> {
  const slicer = new Slicer();
  const document = (text.length <= SLICED_TEXT_CHARS ? JSON.parse(text) : await readPackumentInSlices(text, slicer)) as Record<string, unknown>;
  if (!document || typeof document !== 'object' || Array.isArray(document)) throw new Error('the packument is not a JSON object');
  if (document.name !== undefined && document.name !== name.fullName)
    throw new Error(`the packument is for ${JSON.stringify(document.name)}, not ${name.fullName}`);
  const versions = document.versions;
  if (!versions || typeof versions !== 'object') throw new Error('the packument has no versions');
  const times = (document.time && typeof document.time === 'object' ? document.time : {}) as Record<string, unknown>;
  const result: RemotePackument = { distTags: {}, modified: typeof document.modified === 'string' ? document.modified : undefined, versions: {} };
  for (const [version, raw] of Object.entries(versions as Record<string, unknown>)) {
    if (slicer.due()) await slicer.turn();
    // A key that is no version (`constructor`, a lone surrogate) names nothing a client could install.
    if (!raw || typeof raw !== 'object' || !semver.valid(version, true)) continue;
    const manifest = raw as Record<string, unknown>;
    const dist = manifest.dist as Record<string, unknown> | undefined;
    if (!dist || typeof dist.tarball !== 'string') continue;
    const kept: Record<string, unknown> = {};
    for (const field of KEPT_FIELDS) if (manifest[field] !== undefined) kept[field] = manifest[field];
    result.versions[version] = {
      manifest: kept,
      tarball: {
        url: dist.tarball,
        integrity: typeof dist.integrity === 'string' ? dist.integrity : undefined,
        shasum: typeof dist.shasum === 'string' ? dist.shasum : undefined,
      },
      time: Object.hasOwn(times, version) && typeof times[version] === 'string' ? times[version] : undefined,
    };
  }
  const tags = document['dist-tags'];
  if (tags && typeof tags === 'object') {
    for (const [tag, version] of Object.entries(tags))
      if (typeof version === 'string' && Object.hasOwn(result.versions, version)) result.distTags[tag] = version;
  }
  return result;
}

/** The members of a big packument that are read, each version parsed on its own. */
async function readPackumentInSlices(text: string, slicer: Slicer): Promise<Record<string, unknown>> {
  const document: Record<string, unknown> = {};
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const end = await forEachMember(text, start, slicer, async (key, valueStart) => {
    if (key === 'versions' || key === 'time') {
      if (text[valueStart] !== '{') return undefined;
      const members: Record<string, unknown> = {};
      const valueEnd = await forEachMember(text, valueStart, slicer, (member, memberStart) => {
        const { value, end: memberEnd } = parseValueAt(text, memberStart);
        // As JSON.parse would: an own member even when it is named __proto__ (the checks refuse it later).
        Object.defineProperty(members, member, { value, enumerable: true, writable: true, configurable: true });
        return memberEnd;
      });
      document[key] = members;
      return valueEnd;
    }
    if (!TOP_LEVEL_READ.has(key)) return undefined;
    const { value, end: valueEnd } = parseValueAt(text, valueStart);
    document[key] = value;
    return valueEnd;
  });
  if (text.slice(end).trim() !== '') throw new SyntaxError(`unexpected text after the packument at position ${end}`);
  return document;
}

/** The sha512 hex of an SRI string, when it carries one. */
export function sha512HexOf(integrity: string | undefined): string | undefined {
  const match = integrity
    ?.split(/\s+/)
    .map((entry) => /^sha512-([A-Za-z0-9+/=]+)$/.exec(entry))
    .find(Boolean);
  return match ? Buffer.from(match[1], 'base64').toString('hex') : undefined;
}

/** A version record for an upstream version that is not stored yet (no SHA-256 until fetched). */
export function remoteVersionRecord(name: NpmPackageName, version: string, entry: RemotePackument['versions'][string], source: ExternalSource): VersionRecord {
  const fields = manifestFields(entry.manifest);
  return {
    version,
    status: 'Published',
    revision: '',
    publishedTime: entry.time ?? new Date(0).toISOString(),
    origin: { domainEntryPoint: { externalConnectionName: source.connectionName }, originType: 'EXTERNAL' },
    assets: [
      {
        name: NPM_ASSET_NAME,
        size: 0,
        hashes: {
          'SHA-256': '',
          ...(sha512HexOf(entry.tarball.integrity) ? { 'SHA-512': sha512HexOf(entry.tarball.integrity) } : {}),
          ...(entry.tarball.shasum ? { 'SHA-1': entry.tarball.shasum } : {}),
        },
      },
    ],
    ...fields,
    formatMetadata: entry.manifest,
  };
}

// One record per cached document: the renderer's cache is keyed by record identity, and the
// metadata cache hands out the same frozen document until it is refreshed.
const records = new WeakMap<RemotePackument, PackageRecord>();

/** Built in slices: 60,000 versions take most of a second to convert. */
export async function remotePackageRecord(name: NpmPackageName, packument: RemotePackument, source: ExternalSource): Promise<PackageRecord> {
  const known = records.get(packument);
  if (known) return known;
  const record = Object.freeze(await buildRemoteRecord(name, packument, source, new Slicer()));
  if (Object.isFrozen(packument)) records.set(packument, record);
  return record;
}

/**
 * The same record holding one version only (or none, when the registry lacks it): what a
 * download needs. A cold install asks for each package's tarball once and never for its
 * packument, so converting every other version would be work thrown away.
 */
export function remoteSingleVersionRecord(name: NpmPackageName, packument: RemotePackument, source: ExternalSource, version: string): Promise<PackageRecord> {
  const known = records.get(packument);
  if (known) return Promise.resolve(known);
  const only = Object.hasOwn(packument.versions, version) ? { [version]: packument.versions[version] } : {};
  return buildRemoteRecord(name, { ...packument, versions: only }, source, new Slicer());
}

async function buildRemoteRecord(name: NpmPackageName, packument: RemotePackument, source: ExternalSource, slicer: Slicer): Promise<PackageRecord> {
  const versions: Record<string, VersionRecord> = {};
  for (const [version, entry] of Object.entries(packument.versions)) {
    if (slicer.due()) await slicer.turn();
    versions[version] = remoteVersionRecord(name, version, entry, source);
  }
  return {
    format: 'npm',
    namespace: name.namespace,
    name: name.name,
    originConfiguration: { restrictions: { publish: 'BLOCK', upstream: 'ALLOW' } },
    formatMetadata: { 'dist-tags': packument.distTags, ...(packument.modified ? { modified: packument.modified } : {}) },
    versions,
  };
}
