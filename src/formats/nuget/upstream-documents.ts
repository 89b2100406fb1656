/**
 * Reading the documents of an upstream NuGet V3 source: its service index, flat container
 * versions index and registration pages. Each parser keeps only what this server uses, so the
 * cached copies stay small, and throws when a document is not what the protocol says.
 */
import type { ExternalVersion } from './package-view.js';
import { normalizeRangeText } from './version-range.js';
import type { CatalogFields, DependencyGroup } from './version-metadata.js';
import { formatNuGetVersion, isSemVer2, parseNuGetVersion, versionKey } from './nuget-version.js';

export interface UpstreamResources {
  /** Ends in '/'. */
  packageBaseAddress: string;
  /** Ends in '/'; undefined when the source has no registration (then no digest is announced). */
  registrationsBaseUrl?: string;
}

/** A registration page: its URL and, when the index inlines it, its versions. */
export interface RegistrationPageRef {
  url: string;
  entries?: ExternalVersion[];
}

// The SemVer 2 hive first: it lists every version; the older aliases may leave some out.
const REGISTRATION_TYPES = [
  'RegistrationsBaseUrl/3.6.0',
  'RegistrationsBaseUrl/3.4.0',
  'RegistrationsBaseUrl/3.0.0-rc',
  'RegistrationsBaseUrl/3.0.0-beta',
  'RegistrationsBaseUrl',
];

type Json = Record<string, unknown>;

function asObject(value: unknown, what: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${what} is not a JSON object`);
  return value as Json;
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

function absoluteUrl(value: unknown, what: string): string {
  if (typeof value !== 'string' || !/^https?:\/\//i.test(value)) throw new Error(`${what} is not an absolute http(s) URL`);
  return value;
}

export function parseServiceIndex(text: string): UpstreamResources {
  const document = asObject(JSON.parse(text), 'the service index');
  if (typeof document.version !== 'string' || !document.version.startsWith('3.')) throw new Error('the service index is not version 3');
  const resources = Array.isArray(document.resources) ? document.resources.filter((entry): entry is Json => typeof entry === 'object' && entry !== null) : [];
  const find = (types: string[]) => {
    for (const type of types) {
      const found = resources.find((entry) => entry['@type'] === type);
      if (found) return withSlash(absoluteUrl(found['@id'], `the ${type} resource`));
    }
    return undefined;
  };
  const packageBaseAddress = find(['PackageBaseAddress/3.0.0']);
  if (!packageBaseAddress) throw new Error('the service index has no PackageBaseAddress/3.0.0 resource');
  return { packageBaseAddress, registrationsBaseUrl: find(REGISTRATION_TYPES) };
}

/** The flat container's versions index. It says nothing of listing; registration does. */
export function parseVersionsIndex(text: string): ExternalVersion[] {
  const document = asObject(JSON.parse(text), 'the versions index');
  if (!Array.isArray(document.versions)) throw new Error('the versions index has no versions list');
  const versions = new Map<string, ExternalVersion>();
  for (const raw of document.versions) {
    const parsed = typeof raw === 'string' ? parseNuGetVersion(raw) : undefined;
    if (parsed) versions.set(versionKey(parsed), { key: versionKey(parsed), parsed, listed: true });
  }
  return [...versions.values()];
}

export function parseRegistrationIndex(text: string): RegistrationPageRef[] {
  const document = asObject(JSON.parse(text), 'the registration index');
  if (!Array.isArray(document.items)) throw new Error('the registration index has no items');
  return document.items.map((item, index) => {
    const page = asObject(item, `registration page ${index}`);
    const url = absoluteUrl(page['@id'], `registration page ${index}`);
    return Array.isArray(page.items) ? { url, entries: parseLeaves(page.items) } : { url };
  });
}

export function parseRegistrationPage(text: string): ExternalVersion[] {
  const page = asObject(JSON.parse(text), 'the registration page');
  if (!Array.isArray(page.items)) throw new Error('the registration page has no items');
  return parseLeaves(page.items);
}

/** Leaves that cannot be read (no id, a version NuGet would not parse) are left out. */
function parseLeaves(items: unknown[]): ExternalVersion[] {
  const versions: ExternalVersion[] = [];
  for (const item of items) {
    if (typeof item !== 'object' || item === null) continue;
    const leaf = item as Json;
    const entry = leaf.catalogEntry;
    if (typeof entry !== 'object' || entry === null) continue;
    const parsed = readCatalogEntry(entry as Json, leaf);
    if (parsed) versions.push(parsed);
  }
  return versions;
}

function readCatalogEntry(entry: Json, leaf: Json): ExternalVersion | undefined {
  const version = typeof entry.version === 'string' ? parseNuGetVersion(entry.version) : undefined;
  if (typeof entry.id !== 'string' || !version) return undefined;
  const published = typeof entry.published === 'string' ? entry.published : undefined;
  // Old servers mark unlisted versions only by a publish date in 1900.
  const listed = typeof entry.listed === 'boolean' ? entry.listed : !published?.startsWith('1900');
  const hashAlgorithm = typeof entry.packageHashAlgorithm === 'string' ? entry.packageHashAlgorithm.toUpperCase() : 'SHA512';
  const catalogUrl = typeof entry['@id'] === 'string' && entry['@id'] !== leaf['@id'] && /^https?:\/\//i.test(entry['@id']) ? entry['@id'] : undefined;
  const fields: CatalogFields = {
    id: entry.id,
    version: formatNuGetVersion(version),
    fullVersion: formatNuGetVersion(version, true),
    isSemVer2: isSemVer2(version),
    title: optionalString(entry.title),
    authors: Array.isArray(entry.authors) ? entry.authors.filter((author) => typeof author === 'string').join(', ') : optionalString(entry.authors),
    description: optionalString(entry.description),
    summary: optionalString(entry.summary),
    tags: Array.isArray(entry.tags)
      ? entry.tags.filter((tag): tag is string => typeof tag === 'string')
      : (optionalString(entry.tags)?.split(/\s+/).filter(Boolean) ?? []),
    projectUrl: optionalString(entry.projectUrl),
    iconUrl: optionalString(entry.iconUrl),
    licenseUrl: optionalString(entry.licenseUrl),
    licenseExpression: optionalString(entry.licenseExpression),
    requireLicenseAcceptance: entry.requireLicenseAcceptance === true,
    language: optionalString(entry.language),
    minClientVersion: optionalString(entry.minClientVersion),
    dependencyGroups: readDependencyGroups(entry.dependencyGroups),
  };
  return {
    key: versionKey(version),
    parsed: version,
    listed,
    published,
    fields,
    packageHash: hashAlgorithm === 'SHA512' ? optionalString(entry.packageHash) : undefined,
    catalogUrl,
  };
}

function readDependencyGroups(value: unknown): DependencyGroup[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((group): group is Json => typeof group === 'object' && group !== null)
    .map((group) => ({
      targetFramework: optionalString(group.targetFramework),
      dependencies: (Array.isArray(group.dependencies) ? group.dependencies : [])
        .filter((dependency): dependency is Json => typeof dependency === 'object' && dependency !== null && typeof (dependency as Json).id === 'string')
        .map((dependency) => ({ id: dependency.id as string, range: normalizeRangeText(optionalString(dependency.range)) })),
    }));
}

/** The SHA-512 (base64) a catalog leaf document announces, if it announces one. */
export function parseCatalogLeafHash(text: string): string | undefined {
  const document = asObject(JSON.parse(text), 'the catalog entry');
  const algorithm = typeof document.packageHashAlgorithm === 'string' ? document.packageHashAlgorithm.toUpperCase() : 'SHA512';
  return algorithm === 'SHA512' ? optionalString(document.packageHash) : undefined;
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
