/**
 * SearchQueryService and SearchAutocompleteService over the packages stored in the repository
 * and its upstream repositories (not the external connection: a public registry is searched
 * there). Unlisted versions are never returned, prereleases only with prerelease=true and
 * SemVer 2.0.0 versions only with semVerLevel=2.0.0. The work is bounded by MAX_PACKAGES.
 */
import type { RequestContext } from '../../server/route.js';
import { repositoryChain, resolvePackage } from '../../upstream/resolve.js';
import { buildPackageView, type OfferedVersion, type PackageView } from './package-view.js';
import type { NuGetUrls } from './urls.js';
import { isPrerelease } from './nuget-version.js';

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

/** The versions a search shows: listed, and within the prerelease and SemVer level asked for. */
export function visibleVersions(view: PackageView, filters: SearchFilters): OfferedVersion[] {
  return view.versions.filter((entry) => entry.listed && (filters.prerelease || !isPrerelease(entry.parsed)) && (filters.semVer2 || !entry.fields.isSemVer2));
}

/** Every package stored along the chain, each as a view, up to MAX_PACKAGES. */
export async function loadSearchablePackages(context: RequestContext): Promise<PackageView[]> {
  const { store } = context.deps;
  const names = new Set<string>();
  for (const repository of await repositoryChain(store, context.domain, context.repository)) {
    for (const ref of await store.index.listPackages(context.domain, repository.name, 'nuget')) {
      if (names.size >= MAX_PACKAGES) break;
      names.add(ref.name);
    }
  }
  const views: PackageView[] = [];
  for (const name of names) {
    const view = buildPackageView(name, await resolvePackage(store, context.domain, context.repository, { format: 'nuget', name }));
    if (view) views.push(view);
  }
  return views;
}

/** Search looks at ids, titles, descriptions, authors and tags; autocomplete at ids alone. */
function matches(view: PackageView, latest: OfferedVersion, query: SearchQuery, idsOnly: boolean): boolean {
  if (query.exactId !== undefined && view.name !== query.exactId) return false;
  const { fields } = latest;
  const haystack = idsOnly
    ? view.name
    : [view.name, fields.title, fields.description, fields.summary, fields.authors, ...fields.tags].filter(Boolean).join(' ').toLowerCase();
  return query.terms.every((term) => haystack.includes(term));
}

function relevance(view: PackageView, query: SearchQuery): number {
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

function packageTypeMatches(entry: OfferedVersion, wanted: string | undefined): boolean {
  return !wanted || packageTypesOf(entry).some((name) => name.toLowerCase() === wanted.toLowerCase());
}

export function searchPackages(
  views: PackageView[],
  query: SearchQuery,
  urls: NuGetUrls,
  idsOnly = false,
): { totalHits: number; data: Record<string, unknown>[] } {
  const hits: { view: PackageView; versions: OfferedVersion[]; score: number }[] = [];
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

function renderHit(view: PackageView, versions: OfferedVersion[], urls: NuGetUrls, semVer2: boolean): Record<string, unknown> {
  const latest = versions[versions.length - 1];
  const { fields } = latest;
  const shown = (entry: OfferedVersion) => (semVer2 ? entry.fields.fullVersion : entry.fields.version);
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
    packageTypes: packageTypesOf(latest).map((name) => ({ name })),
    versions: versions.map((entry) => ({ version: shown(entry), downloads: 0, '@id': urls.registrationLeaf(view.name, entry.key) })),
  };
}
