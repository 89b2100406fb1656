/**
 * The sparse index cargo reads (docs/formats/cargo.md, "Sparse index"): config.json at the
 * root, then one file per crate at its prefix path. Files carry an ETag and `no-cache`, so
 * cargo revalidates each time and a publish or yank is seen at once.
 */
import { RenderedBody, sendRendered } from '../../server/respond.js';
import type { RequestContext } from '../../server/route.js';
import { nameFromIndexPath } from './crate-name.js';
import { crateNotFound, loadCrateSources, viewOf } from './crate-sources.js';
import { renderIndexLine } from './index-line.js';
import { RenderCache } from './render-cache.js';

const INDEX_TYPE = 'text/plain; charset=utf-8';
export const indexFiles = new RenderCache();

/** The API root cargo appends `/api/v1/...` to: the endpoint without its trailing slash. */
export function apiRoot(endpoint: string): string {
  return endpoint.replace(/\/$/, '');
}

export function downloadTemplate(endpoint: string): string {
  return `${endpoint}api/v1/crates/{crate}/{version}/download`;
}

export function handleConfig(context: RequestContext): void {
  const { endpoint } = context;
  const config = {
    dl: downloadTemplate(endpoint),
    api: apiRoot(endpoint),
    // A token is needed to read unless the server lets anyone read; cargo then sends it everywhere.
    'auth-required': !context.deps.config.server.allowAnonymousRead,
  };
  sendRendered(context.req, context.res, RenderedBody.json(config));
}

export async function handleIndexFile(context: RequestContext): Promise<void> {
  const name = nameFromIndexPath(context.rawPath);
  const loaded = await loadCrateSources(context, name);
  const parts: object[] = loaded.sources.map((source) => source.record);
  if (loaded.external) parts.push(loaded.external.document);
  const key = `${context.domain}/${context.repository.name}/${name}`;
  const body = indexFiles.get(
    key,
    parts,
    () =>
      new RenderedBody(
        INDEX_TYPE,
        Buffer.from(
          viewOf(loaded)
            .map((entry) => renderIndexLine(entry.line, entry.yanked))
            .join(''),
        ),
      ),
  );
  if (body.body.length === 0) throw crateNotFound(context, name);
  context.reuse({ rendered: body }, { name });
  sendRendered(context.req, context.res, body);
}
