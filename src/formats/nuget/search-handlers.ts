/** Serving SearchQueryService (`dotnet package search`, IDE browse) and SearchAutocompleteService. */
import { sendJson } from '../../server/respond.js';
import type { RequestContext } from '../../server/route.js';
import { resolvePackage } from '../../upstream/resolve.js';
import { buildPackageView } from './package-view.js';
import { loadSearchablePackages, parseFilters, parseSearchQuery, searchPackages, visibleVersions } from './search.js';
import { nameFromSegment } from './url-segments.js';
import { NuGetUrls } from './urls.js';

export async function handleSearch(context: RequestContext): Promise<void> {
  const query = parseSearchQuery(context.query);
  const result = searchPackages(await loadSearchablePackages(context), query, new NuGetUrls(context.endpoint));
  sendJson(context.req, context.res, 200, result);
}

/** `?q=` completes package ids; `?id=` lists the versions of one id. */
export async function handleAutocomplete(context: RequestContext): Promise<void> {
  const id = context.query.get('id');
  if (id !== null) {
    const name = nameFromSegment(id);
    const view = name
      ? buildPackageView(name, await resolvePackage(context.deps.store, context.domain, context.repository, { format: 'nuget', name }))
      : undefined;
    const filters = parseFilters(context.query);
    const versions = view ? visibleVersions(view, filters).map((entry) => (filters.semVer2 ? entry.fields.fullVersion : entry.fields.version)) : [];
    sendJson(context.req, context.res, 200, { totalHits: versions.length, data: versions });
    return;
  }
  const query = parseSearchQuery(context.query);
  const result = searchPackages(await loadSearchablePackages(context), query, new NuGetUrls(context.endpoint), true);
  sendJson(context.req, context.res, 200, { totalHits: result.totalHits, data: result.data.map((hit) => hit.id) });
}
