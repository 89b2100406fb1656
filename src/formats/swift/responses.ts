/** Answers in the registry's shape: every one carries `Content-Version: 1`, JSON ones as application/json. */
import type { RequestContext } from '../../server/route.js';
import { RenderedBody, sendRendered } from '../../server/respond.js';
import { API_VERSION, CONTENT_TYPES } from './media-types.js';

export function setContentVersion(context: RequestContext): void {
  context.res.setHeader('content-version', API_VERSION);
}

export function sendRegistryJson(context: RequestContext, value: unknown, headers: Record<string, string> = {}): void {
  sendRendered(context.req, context.res, RenderedBody.json(value, CONTENT_TYPES.json), { headers: { 'content-version': API_VERSION, ...headers } });
}

/** An answer with no body (publish's 201, login's 200, a 303 to another manifest). */
export function sendEmpty(context: RequestContext, status: number, headers: Record<string, string> = {}): void {
  context.res.writeHead(status, { 'content-version': API_VERSION, 'content-length': 0, 'cache-control': 'no-store', ...headers });
  context.res.end();
}

/** A Link header value: `<url>; rel="name"` plus extra parameters. */
export function link(url: string, rel: string, params: Record<string, string> = {}): string {
  const extra = Object.entries(params).map(([key, value]) => `; ${key}="${value.replace(/["\\]/g, '')}"`);
  return `<${url}>; rel="${rel}"${extra.join('')}`;
}

/** The release's URL under the repository endpoint. */
export function releaseUrl(context: RequestContext, scope: string, name: string, version?: string): string {
  const base = `${context.endpoint}${encodeURIComponent(scope)}/${encodeURIComponent(name)}`;
  return version === undefined ? base : `${base}/${encodeURIComponent(version)}`;
}
