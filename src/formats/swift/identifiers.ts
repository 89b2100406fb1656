/**
 * GET /identifiers?url=: which packages here (or in the upstream repositories) were published
 * from a source repository, by the repositoryURLs of their metadata. SwiftPM asks this to use
 * the registry for a dependency declared by git URL. The answer lists `scope.name` identifiers;
 * none is a 404.
 */
import { ResourceNotFoundError, ValidationError } from '../../errors.js';
import type { RequestContext } from '../../server/route.js';
import { repositoryChain } from '../../upstream/resolve.js';
import { identifierOf } from './identity.js';
import { checkAccept, checkContentVersion } from './media-types.js';
import { normalizeRepositoryUrl } from './package-metadata.js';
import { swiftMetadataOf } from './releases.js';
import { sendRegistryJson } from './responses.js';

export async function handleIdentifiers(context: RequestContext): Promise<void> {
  checkAccept(context.req, 'json');
  checkContentVersion(context.req);
  const url = context.query.get('url');
  if (url === null || url.trim() === '') throw new ValidationError('The url query parameter is required: the URL of a source repository.');
  const wanted = normalizeRepositoryUrl(url);
  if (wanted === undefined) throw new ValidationError(`${JSON.stringify(url.slice(0, 200))} is not a repository URL.`);
  const { store } = context.deps;
  const found = new Map<string, string>();
  for (const repository of await repositoryChain(store, context.domain, context.repository)) {
    for (const ref of await store.index.listPackages(context.domain, repository.name, 'swift')) {
      const record = await store.index.getPackage({ domain: context.domain, repository: repository.name, ...ref });
      for (const version of Object.values(record?.versions ?? {})) {
        if (!version.formatMetadata || (version.status !== 'Published' && version.status !== 'Unlisted')) continue;
        const meta = swiftMetadataOf(version);
        if (!meta.repositoryUrls.some((candidate) => normalizeRepositoryUrl(candidate) === wanted)) continue;
        const id = identifierOf(meta.scope, meta.name);
        // One identifier per package, however its versions spell it.
        if (!found.has(id.toLowerCase())) found.set(id.toLowerCase(), id);
      }
    }
  }
  if (found.size === 0) throw new ResourceNotFoundError(`No package here was published from ${JSON.stringify(url.slice(0, 200))}.`);
  sendRegistryJson(context, { identifiers: [...found.values()].sort() });
}
