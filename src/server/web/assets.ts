/**
 * The interface's static files, held in memory: each is named by a hash of its bytes, so it can
 * be cached for a year and a new release is a new name; the ETag answers revalidations with 304.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { CLIENT_SCRIPT } from './client-script.js';
import { ICON_SVG } from './icon.js';
import { STYLE } from './style.js';

interface Asset {
  /** The path it is served at, hash included. */
  path: string;
  type: string;
  body: Buffer;
  gzipped: Buffer;
  etag: string;
}

function asset(stem: string, extension: string, type: string, text: string): Asset {
  const body = Buffer.from(text, 'utf8');
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 16);
  return { path: `/-/ui/assets/${stem}.${hash}.${extension}`, type, body, gzipped: gzipSync(body, { level: 9 }), etag: `"${hash}"` };
}

export const ASSETS = {
  style: asset('style', 'css', 'text/css; charset=utf-8', STYLE),
  script: asset('app', 'js', 'text/javascript; charset=utf-8', CLIENT_SCRIPT),
  icon: asset('icon', 'svg', 'image/svg+xml', ICON_SVG),
};

const BY_PATH = new Map<string, Asset>(Object.values(ASSETS).map((entry) => [entry.path, entry]));

/** Sends the asset at `path`; false when there is none. */
export function sendAsset(req: IncomingMessage, res: ServerResponse, path: string, securityHeaders: Record<string, string>): boolean {
  const found = BY_PATH.get(path);
  if (!found) return false;
  const headers: Record<string, string | number> = {
    ...securityHeaders,
    'content-type': found.type,
    'cache-control': 'public, max-age=31536000, immutable',
    etag: found.etag,
    vary: 'accept-encoding',
  };
  if (req.headers['if-none-match'] === found.etag) {
    res.writeHead(304, headers);
    res.end();
    return true;
  }
  const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  const body = gzip ? found.gzipped : found.body;
  if (gzip) headers['content-encoding'] = 'gzip';
  headers['content-length'] = body.length;
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
  return true;
}
