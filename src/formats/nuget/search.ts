/**
 * SearchQueryService and SearchAutocompleteService over the packages stored in the repository
 * and its upstream repositories (not the external connection: a public registry is searched
 * there). Unlisted versions are never returned, prereleases only with prerelease=true and
 * SemVer 2.0.0 versions only with semVerLevel=2.0.0. The work is bounded by MAX_PACKAGES. A
 * server keeps what search needs of each package and reads again only the packages that
 * changed (kept-summaries.ts), not every package along the chain on every query.
 */
import type { RequestContext } from '../../server/route.js';
import { KeptSummaries } from '../../store/kept-summaries.js';
import { repositoryChain, resolvePackage } from '../../upstream/resolve.js';
import { buildPackageView, type OfferedVersion, type PackageView } from './package-view.js';
import type { NuGetUrls } from './urls.js';
import { isPrerelease, type NuGetVersion } from './nuget-version.js';
import type { CatalogFields } from './version-metadata.js';

// Packages looked at per query: a local repository this big is rare, and it keeps a query cheap.
const MAX_PACKAGES = 10_000;
const MAX_TAKE = 1000;
const MAX_SKIP = 10_000;

export interface SearchFilters {
  prerelease: boolean;
  semVer2: boolean;
  packageType?: string;
}

export interface SearchQuery extends SearchFilters {
  terms: string[];
  /** `packageid:X` asks for exactly that id. */
  exactId?: string;
  skip: number;
  take: number;
}

function boundedInteger(raw: string | null, fallback: number, max: number): number {
  const value = Number(raw);
  return raw !== null && Number.isInteger(value) && value >= 0 ? Math.min(value, max) : fallback;
}

export function parseFilters(query: URLSearchParams): SearchFilters {
  const semVerLevel = query.get('semVerLevel') ?? '';
  return {
    prerelease: query.get('prerelease')?.toLowerCase() === 'true',
    semVer2: Number.parseInt(semVerLevel, 10) >= 2,
    packageType: query.get('packageType')?.trim() || undefined,
  };
}

export function parseSearchQuery(query: URLSearchParams): SearchQuery {
  const words = (query.get('q') ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const exact = words.find((word) => word.startsWith('packageid:'));
  return {
    ...parseFilters(query),
    terms: words
      .filter((word) => word !== exact)
      .map((word) => word.replace(/^(id|title|tags|description|owner|author):/, ''))
      .filter(Boolean),
    exactId: exact?.slice('packageid:'.length) || undefined,
    skip: boundedInteger(query.get('skip'), 0, MAX_SKIP),
    take: boundedInteger(query.get('take'), 20, MAX_TAKE),
  };
}

type SearchFields = Pick<
  CatalogFields,
  'version' | 'fullVersion' | 'isSemVer2' | 'title' | 'authors' | 'description' | 'summary' | 'tags' | 'projectUrl' | 'iconUrl' | 'licenseUrl'
>;

/** What search keeps of a version: what a query filters on and a hit shows, not the record. */
export interface SearchVersion {
  key: string;
  parsed: NuGetVersion;
  listed: boolean;
  fields: SearchFields;
  packageTypes: string[];
}

export interface SearchablePackage {
  name: string;
  displayId: string;
  /** Oldest first, in NuGet's version order. */
  versions: SearchVersion[];
}

/** The versions a search shows: listed, and within the prerelease and SemVer level asked for. */
export function visibleVersions<V extends Pick<OfferedVersion, 'listed' | 'parsed'> & { fields: Pick<CatalogFields, 'isSemVer2'> }>(
  view: { versions: readonly V[] },
  filters: SearchFilters,
): V[] {
  return view.versions.filter((entry) => entry.listed && (filters.prerelease || !isPrerelease(entry.parsed)) && (filters.semVer2 || !entry.fields.isSemVer2));
}

// Repositories whose packages a server keeps for search; past this the least recently asked goes.
const searchable = new KeptSummaries<SearchablePackage | undefined, SearchablePackage[]>(64);

/** Every package stored along the chain, as search sees it, up to MAX_PACKAGES. */
export function loadSearchablePackages(context: RequestContext): Promise<SearchablePackage[]> {
  const { store } = context.deps;
  return searchable.read(store, {
    key: `${context.domain}/${context.repository.name}`,
    domain: context.domain,
    format: 'nuget',
    chain: async () => (await repositoryChain(store, context.domain, context.repository)).map((repository) => repository.name),
    maxPackages: MAX_PACKAGES,
    load: async (ref) => {
      const view = buildPackageView(ref.name, await resolvePackage(store, context.domain, context.repository, { format: 'nuget', name: ref.name }));
      return { value: view && searchableOf(view), validUntil: Number.POSITIVE_INFINITY };
    },
    combine: (found) => [...found.values()].filter((entry): entry is SearchablePackage => entry !== undefined),
  });
}

function searchableOf(view: PackageView): SearchablePackage {
  return {
    name: view.name,
    displayId: view.displayId,
    versions: view.versions.map((entry) => {
      const { version, fullVersion, isSemVer2, title, authors, description, summary, tags, projectUrl, iconUrl, licenseUrl } = entry.fields;
      return {
        key: entry.key,
        parsed: entry.parsed,
        listed: entry.listed,
        fields: { version, fullVersion, isSemVer2, title, authors, description, summary, tags, projectUrl, iconUrl, licenseUrl },
        packageTypes: packageTypesOf(entry),
      };
    }),
  };
}

/** Search looks at ids, titles, descriptions, authors and tags; autocomplete at ids alone. */
function matches(view: SearchablePackage, latest: SearchVersion, query: SearchQuery, idsOnly: boolean): boolean {
  if (query.exactId !== undefined && view.name !== query.exactId) return false;
  const { fields } = latest;
  const haystack = idsOnly
    ? view.name
    : [view.name, fields.title, fields.description, fields.summary, fields.authors, ...fields.tags].filter(Boolean).join(' ').toLowerCase();
  return query.terms.every((term) => haystack.includes(term));
}

function relevance(view: SearchablePackage, query: SearchQuery): number {
  const [first] = query.terms;
  if (!first) return 0;
  if (view.name === first) return 3;
  if (view.name.startsWith(first)) return 2;
  return view.name.includes(first) ? 1 : 0;
}

/** The nuspec's package types; a package that declares none is a "Dependency", as NuGet says. */
function packageTypesOf(entry: OfferedVersion): string[] {
  const types = (entry.stored?.record.formatMetadata as { packageTypes?: { name: string }[] } | undefined)?.packageTypes;
  return types && types.length ? types.map((type) => type.name) : ['Dependency'];
}

function packageTypeMatches(entry: SearchVersion, wanted: string | undefined): boolean {
  return !wanted || entry.packageTypes.some((name) => name.toLowerCase() === wanted.toLowerCase());
}

export function searchPackages(
  views: readonly SearchablePackage[],
  query: SearchQuery,
  urls: NuGetUrls,
  idsOnly = false,
): { totalHits: number; data: Record<string, unknown>[] } {
  const hits: { view: SearchablePackage; versions: SearchVersion[]; score: number }[] = [];
  for (const view of views) {
    const versions = visibleVersions(view, query);
    const latest = versions.at(-1);
    if (!latest || !matches(view, latest, query, idsOnly) || !packageTypeMatches(latest, query.packageType)) continue;
    hits.push({ view, versions, score: relevance(view, query) });
  }
  hits.sort((a, b) => b.score - a.score || a.view.name.localeCompare(b.view.name));
  return {
    totalHits: hits.length,
    data: hits.slice(query.skip, query.skip + query.take).map(({ view, versions }) => renderHit(view, versions, urls, query.semVer2)),
  };
}

function renderHit(view: SearchablePackage, versions: SearchVersion[], urls: NuGetUrls, semVer2: boolean): Record<string, unknown> {
  const latest = versions[versions.length - 1];
  const { fields } = latest;
  const shown = (entry: SearchVersion) => (semVer2 ? entry.fields.fullVersion : entry.fields.version);
  return {
    '@id': urls.registrationIndex(view.name),
    '@type': 'Package',
    registration: urls.registrationIndex(view.name),
    id: view.displayId,
    version: shown(latest),
    description: fields.description ?? '',
    summary: fields.summary ?? '',
    title: fields.title ?? view.displayId,
    iconUrl: fields.iconUrl,
    licenseUrl: fields.licenseUrl,
    projectUrl: fields.projectUrl,
    tags: fields.tags,
    authors: fields.authors ? [fields.authors] : [],
    owners: [],
    totalDownloads: 0,
    verified: false,
    packageTypes: latest.packageTypes.map((name) => ({ name })),
    versions: versions.map((entry) => ({ version: shown(entry), downloads: 0, '@id': urls.registrationLeaf(view.name, entry.key) })),
  };
}
