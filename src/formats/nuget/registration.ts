/**
 * Registration documents (RegistrationsBaseUrl): the index of a package with its pages, the
 * pages, the leaves, and the catalog entry each leaf points to. Up to INLINE_LIMIT versions the
 * index inlines every page and leaf, as nuget.org does; beyond that pages are fetched by @id.
 */
import type { OfferedVersion, PackageView } from './package-view.js';
import type { NuGetUrls } from './urls.js';

const PAGE_SIZE = 64;
const INLINE_LIMIT = 128;
// Clients that look for a publish date get one; unlisted versions keep theirs (listed says the rest).
const UNKNOWN_PUBLISHED = '1900-01-01T00:00:00Z';

export interface RegistrationPage {
  lower: string;
  upper: string;
  versions: OfferedVersion[];
}

export function registrationPages(view: PackageView): RegistrationPage[] {
  const pages: RegistrationPage[] = [];
  for (let start = 0; start < view.versions.length; start += PAGE_SIZE) {
    const versions = view.versions.slice(start, start + PAGE_SIZE);
    pages.push({ lower: versions[0].key, upper: versions[versions.length - 1].key, versions });
  }
  return pages;
}

export function renderCatalogEntry(view: PackageView, entry: OfferedVersion, urls: NuGetUrls): Record<string, unknown> {
  const { fields } = entry;
  return {
    '@id': urls.catalogEntry(view.name, entry.key),
    '@type': 'PackageDetails',
    id: fields.id,
    version: fields.fullVersion,
    title: fields.title,
    authors: fields.authors ?? '',
    description: fields.description ?? '',
    summary: fields.summary,
    tags: fields.tags,
    projectUrl: fields.projectUrl,
    iconUrl: fields.iconUrl,
    licenseUrl: fields.licenseUrl,
    licenseExpression: fields.licenseExpression,
    requireLicenseAcceptance: fields.requireLicenseAcceptance,
    language: fields.language,
    minClientVersion: fields.minClientVersion,
    listed: entry.listed,
    published: entry.published ?? UNKNOWN_PUBLISHED,
    packageContent: urls.nupkg(view.name, entry.key),
    packageHash: entry.packageHash,
    packageHashAlgorithm: entry.packageHash ? 'SHA512' : undefined,
    dependencyGroups: fields.dependencyGroups.map((group) => ({
      '@type': 'PackageDependencyGroup',
      targetFramework: group.targetFramework,
      dependencies: group.dependencies.map((dependency) => ({ '@type': 'PackageDependency', id: dependency.id, range: dependency.range })),
    })),
  };
}

function renderPageLeaf(view: PackageView, entry: OfferedVersion, urls: NuGetUrls): Record<string, unknown> {
  return {
    '@id': urls.registrationLeaf(view.name, entry.key),
    '@type': 'Package',
    catalogEntry: renderCatalogEntry(view, entry, urls),
    packageContent: urls.nupkg(view.name, entry.key),
    registration: urls.registrationIndex(view.name),
  };
}

export function renderRegistrationPage(view: PackageView, page: RegistrationPage, urls: NuGetUrls, inlined: boolean): Record<string, unknown> {
  const index = urls.registrationIndex(view.name);
  return {
    '@id': inlined ? `${index}#page/${page.lower}/${page.upper}` : urls.registrationPage(view.name, page.lower, page.upper),
    '@type': 'catalog:CatalogPage',
    count: page.versions.length,
    lower: page.lower,
    upper: page.upper,
    parent: index,
    items: page.versions.map((entry) => renderPageLeaf(view, entry, urls)),
  };
}

export function renderRegistrationIndex(view: PackageView, urls: NuGetUrls): Record<string, unknown> {
  const pages = registrationPages(view);
  const inline = view.versions.length <= INLINE_LIMIT;
  return {
    '@id': urls.registrationIndex(view.name),
    '@type': ['catalog:CatalogRoot', 'PackageRegistration', 'catalog:Permalink'],
    count: pages.length,
    items: pages.map((page) => {
      if (inline) return renderRegistrationPage(view, page, urls, true);
      // Not inlined: the client fetches the page from its @id.
      return {
        '@id': urls.registrationPage(view.name, page.lower, page.upper),
        '@type': 'catalog:CatalogPage',
        count: page.versions.length,
        lower: page.lower,
        upper: page.upper,
      };
    }),
  };
}

export function renderRegistrationLeaf(view: PackageView, entry: OfferedVersion, urls: NuGetUrls): Record<string, unknown> {
  return {
    '@id': urls.registrationLeaf(view.name, entry.key),
    '@type': ['Package', 'http://schema.nuget.org/catalog#Permalink'],
    catalogEntry: urls.catalogEntry(view.name, entry.key),
    listed: entry.listed,
    packageContent: urls.nupkg(view.name, entry.key),
    published: entry.published ?? UNKNOWN_PUBLISHED,
    registration: urls.registrationIndex(view.name),
  };
}
