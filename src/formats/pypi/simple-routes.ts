/**
 * GET /simple/ and /simple/<project>/: the pages pip reads. A project asked for by another
 * spelling than its PEP 503 name, or without the trailing slash its relative links need, is
 * redirected (301) to the normal URL.
 */
import { ResourceNotFoundError } from '../../errors.js';
import { sendRendered } from '../../server/respond.js';
import type { RequestContext } from '../../server/route.js';
import { repositoryChain } from '../../upstream/resolve.js';
import { PageCache } from './page-cache.js';
import { loadProjectSources, viewOf } from './project-sources.js';
import { requireProjectName } from './project-name.js';
import { choosePageType, renderIndexPage, renderProjectPage } from './simple-pages.js';

const pages = new PageCache();

export async function handleProjectPage(context: RequestContext, match: RegExpExecArray): Promise<void> {
  const raw = decodeSegment(match[1]);
  const project = requireProjectName(raw);
  if (raw !== project || !match[2]) {
    const query = context.query.toString();
    const location = `${context.endpoint}simple/${encodeURIComponent(project)}/${query ? `?${query}` : ''}`;
    context.res.writeHead(301, { location, 'cache-control': 'no-store', 'content-length': 0 }).end();
    return;
  }
  const loaded = await loadProjectSources(context, project);
  if (loaded.sources.length === 0 && !loaded.external?.files.length) {
    throw new ResourceNotFoundError(`Project ${project} is not in repository ${context.repository.name}, its upstreams or their public index.`, {
      resourceType: 'package',
      resourceId: project,
    });
  }
  const type = choosePageType(context.req.headers.accept, context.query.get('format'));
  const parts: object[] = loaded.sources.map((source) => source.record);
  if (loaded.external) parts.push(loaded.external.document);
  const key = `${context.domain}/${context.repository.name}/${project}`;
  const body = pages.get(key, parts, type, () => renderProjectPage(viewOf(loaded), type));
  sendRendered(context.req, context.res, body);
}

/** The projects stored along the chain (the public index's list is not offered, as on CodeArtifact). */
export async function handleIndexPage(context: RequestContext): Promise<void> {
  const { store } = context.deps;
  const names = new Set<string>();
  for (const repository of await repositoryChain(store, context.domain, context.repository)) {
    for (const ref of await store.index.listPackages(context.domain, repository.name, 'pypi')) names.add(ref.name);
  }
  const type = choosePageType(context.req.headers.accept, context.query.get('format'));
  sendRendered(context.req, context.res, renderIndexPage([...names].sort(), type));
}

export function decodeSegment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
