/**
 * The service index: where every NuGet client starts. Clients look resources up by @type and
 * never guess URLs, so each alias a client version may ask for is listed, all pointing at the
 * same resource. SymbolPackagePublish is left out on purpose: listing it makes `dotnet nuget
 * push` upload .snupkg files too.
 */
import { RenderedBody } from '../../server/respond.js';
import { NuGetUrls } from './urls.js';

const REGISTRATION_TYPES = [
  'RegistrationsBaseUrl',
  'RegistrationsBaseUrl/3.0.0-beta',
  'RegistrationsBaseUrl/3.0.0-rc',
  'RegistrationsBaseUrl/3.4.0',
  'RegistrationsBaseUrl/3.6.0',
];
const SEARCH_TYPES = ['SearchQueryService', 'SearchQueryService/3.0.0-beta', 'SearchQueryService/3.0.0-rc', 'SearchQueryService/3.5.0'];
const AUTOCOMPLETE_TYPES = [
  'SearchAutocompleteService',
  'SearchAutocompleteService/3.0.0-beta',
  'SearchAutocompleteService/3.0.0-rc',
  'SearchAutocompleteService/3.5.0',
];

function renderServiceIndex(urls: NuGetUrls): unknown {
  const resource = (id: string, type: string, comment: string) => ({ '@id': id, '@type': type, comment });
  return {
    version: '3.0.0',
    resources: [
      resource(urls.packageBase, 'PackageBaseAddress/3.0.0', 'Flat container: versions index, .nupkg and .nuspec of each package.'),
      resource(urls.publish, 'PackagePublish/2.0.0', 'Push (PUT), unlist (DELETE) and relist (POST).'),
      ...REGISTRATION_TYPES.map((type) => resource(urls.registrationBase, type, 'Package metadata, SemVer 2.0.0 versions included.')),
      ...SEARCH_TYPES.map((type) => resource(urls.search, type, 'Search within this repository and its upstream repositories.')),
      ...AUTOCOMPLETE_TYPES.map((type) => resource(urls.autocomplete, type, 'Package ids and versions for search boxes.')),
    ],
  };
}

// One rendering per endpoint (i.e. per repository and Host name); capped like the other caches.
const MAX_CACHED = 256;
const rendered = new Map<string, RenderedBody>();

export function serviceIndexBody(endpoint: string): RenderedBody {
  let body = rendered.get(endpoint);
  if (!body) {
    body = RenderedBody.json(renderServiceIndex(new NuGetUrls(endpoint)));
    if (rendered.size >= MAX_CACHED) rendered.delete(rendered.keys().next().value as string);
    rendered.set(endpoint, body);
  }
  return body;
}
