/**
 * GET /identifiers?url=: which packages here (or in the upstream repositories) were published
 * from a source repository, by the repositoryURLs of their metadata. SwiftPM asks this to use
 * the registry for a dependency declared by git URL. The answer lists `scope.name` identifiers;
 * none is a 404. A server keeps each repository's index of URLs and brings it up to date by
 * reading only the packages that changed (kept-summaries.ts), not every release of every package.
 */
import { ResourceNotFoundError, ValidationError } from '../../errors.js';
import type { RequestContext } from '../../server/route.js';
import { KeptSummaries } from '../../store/kept-summaries.js';
import { repositoryChain } from '../../upstream/resolve.js';
import { identifierOf } from './identity.js';
import { checkAccept, checkContentVersion } from './media-types.js';
import { normalizeRepositoryUrl } from './package-metadata.js';
import { swiftMetadataOf } from './releases.js';
import { sendRegistryJson } from './responses.js';

// Package identifiers by the normalized source URLs their releases name.
type UrlIndex = ReadonlyMap<string, readonly string[]>;

// Repositories whose lookups a server keeps; past this the least recently asked goes.
const lookups = new KeptSummaries<[url: string, id: string][], UrlIndex>(64);

export async function handleIdentifiers(context: RequestContext): Promise<void> {
  checkAccept(context.req, 'json');
  checkContentVersion(context.req);
  const url = context.query.get('url');
  if (url === null || url.trim() === '') throw new ValidationError('The url query parameter is required: the URL of a source repository.');
  const wanted = normalizeRepositoryUrl(url);
  if (wanted === undefined) throw new ValidationError(`${JSON.stringify(url.slice(0, 200))} is not a repository URL.`);
  const { store } = context.deps;
  let chain: readonly string[] = [];
  const index = await lookups.read(store, {
    key: `${context.domain}/${context.repository.name}`,
    domain: context.domain,
    format: 'swift',
    chain: async () => (chain = (await repositoryChain(store, context.domain, context.repository)).map((repository) => repository.name)),
    load: async (ref) => {
      const pairs = new Map<string, string>();
      for (const repository of chain) {
        const record = await store.index.getPackage({ domain: context.domain, repository, ...ref });
        for (const version of Object.values(record?.versions ?? {})) {
          if (!version.formatMetadata || (version.status !== 'Published' && version.status !== 'Unlisted')) continue;
          const meta = swiftMetadataOf(version);
          const id = identifierOf(meta.scope, meta.name);
          for (const candidate of meta.repositoryUrls) {
            const normalized = normalizeRepositoryUrl(candidate);
            // One identifier per package and URL, however its versions spell it: the nearest first.
            if (normalized !== undefined && !pairs.has(normalized)) pairs.set(normalized, id);
          }
        }
      }
      return { value: [...pairs], validUntil: Number.POSITIVE_INFINITY };
    },
    combine: indexByUrl,
  });
  const found = index.get(wanted);
  if (!found) throw new ResourceNotFoundError(`No package here was published from ${JSON.stringify(url.slice(0, 200))}.`);
  sendRegistryJson(context, { identifiers: found });
}

/** Each URL's identifiers, sorted, one per identifier whatever its case (the first package's spelling, by package). */
function indexByUrl(packages: ReadonlyMap<string, [url: string, id: string][]>): UrlIndex {
  const byUrl = new Map<string, Map<string, string>>();
  for (const key of [...packages.keys()].sort()) {
    for (const [url, id] of packages.get(key)!) {
      let ids = byUrl.get(url);
      if (!ids) byUrl.set(url, (ids = new Map<string, string>()));
      if (!ids.has(id.toLowerCase())) ids.set(id.toLowerCase(), id);
    }
  }
  const index = new Map<string, string[]>();
  for (const [url, ids] of byUrl) index.set(url, [...ids.values()].sort());
  return index;
}
