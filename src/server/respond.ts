/** Writing responses: JSON, rendered metadata with ETag and gzip, and blobs streamed from disk. */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { gzip as gzipAsync, gzipSync } from 'node:zlib';
import { ownMemory } from '../core/own-memory.js';
import { ResourceNotFoundError } from '../errors.js';
import type { BlobStore } from '../store/blob-store.js';
import { SMALL_BLOB_MAX_BYTES, smallBlobCacheOf } from '../store/small-blob-cache.js';

// Below this size gzip costs more than it saves.
const GZIP_MIN_BYTES = 1024;
// Above this size a body is compressed on the thread pool, not the event loop (20 MB took a
// second): it is sent plain until its compressed form is ready.
const GZIP_INLINE_MAX_BYTES = 1024 * 1024;

/** A response body rendered once and served many times. */
export class RenderedBody {
  readonly etag: string;
  private gzipped?: Buffer;
  private headerCache?: { options: SendOptions; plain?: ResponseHeaders; gzip?: ResponseHeaders };
  readonly body: Buffer;

  // Bodies are kept in caches: a small one that is a view into a larger buffer would keep all of
  // it (own-memory.ts), as would zlib's output, a view into its 16 KiB chunk.
  constructor(
    readonly contentType: string,
    body: Buffer,
  ) {
    this.body = ownMemory(body);
    this.etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
  }

  static json(value: unknown, contentType = 'application/json'): RenderedBody {
    return new RenderedBody(contentType, Buffer.from(JSON.stringify(value)));
  }

  private compressing = false;
  /** Told once the gzipped form is kept: caches that count this body count it too. */
  private gzipWatchers?: ((rendered: RenderedBody) => void)[];

  gzip(): Buffer {
    return this.gzipped ?? this.keepGzipped(gzipSync(this.body, { level: 6 }));
  }

  /** The bytes of the gzipped form kept with the body; 0 until one is made. */
  get gzippedBytes(): number {
    return this.gzipped?.length ?? 0;
  }

  /** Calls `watcher` when the gzipped form is made and kept (at most once; never when it already is). */
  watchGzip(watcher: (rendered: RenderedBody) => void): void {
    if (this.gzipped) return;
    this.gzipWatchers ??= [];
    if (!this.gzipWatchers.includes(watcher)) this.gzipWatchers.push(watcher);
  }

  /** True when the gzipped form can be had without holding the event loop; else starts making it. */
  gzipReady(): boolean {
    if (this.gzipped || this.body.length <= GZIP_INLINE_MAX_BYTES) return true;
    if (!this.compressing) {
      this.compressing = true;
      gzipAsync(this.body, { level: 6 }, (error, result) => {
        if (!error && !this.gzipped) this.keepGzipped(result);
      });
    }
    return false;
  }

  private keepGzipped(gzipped: Buffer): Buffer {
    const kept = ownMemory(gzipped);
    this.gzipped = kept;
    const watchers = this.gzipWatchers;
    this.gzipWatchers = undefined;
    for (const watcher of watchers ?? []) watcher(this);
    return kept;
  }

  /**
   * The headers of a full answer, built once per options object: a remembered answer sends the
   * same body with the same options every time, and Node's writeHead only reads them.
   */
  headersFor(options: SendOptions, gzipped: boolean): ResponseHeaders {
    if (this.headerCache?.options !== options) this.headerCache = { options };
    const cache = this.headerCache;
    if (gzipped) return (cache.gzip ??= { ...baseHeaders(this, options), 'content-encoding': 'gzip', 'content-length': this.gzip().length });
    return (cache.plain ??= { ...baseHeaders(this, options), 'content-length': this.body.length });
  }
}

type ResponseHeaders = Readonly<Record<string, string | number>>;

function baseHeaders(rendered: RenderedBody, options: SendOptions): Record<string, string | number> {
  return {
    'content-type': rendered.contentType,
    etag: rendered.etag,
    'cache-control': options.cacheControl ?? 'no-cache',
    vary: 'Accept, Accept-Encoding',
    ...options.headers,
  };
}

function acceptsGzip(req: IncomingMessage): boolean {
  const accept = req.headers['accept-encoding'];
  return typeof accept === 'string' && /\bgzip\b/.test(accept);
}

function matchesEtag(req: IncomingMessage, etag: string): boolean {
  const header = req.headers['if-none-match'];
  if (!header) return false;
  return header.split(',').some((candidate) => {
    const value = candidate.trim();
    return value === etag || value === `W/${etag}` || value === '*';
  });
}

export interface SendOptions {
  status?: number;
  cacheControl?: string;
  headers?: Record<string, string>;
}

const NO_OPTIONS: SendOptions = Object.freeze({});

/** Sends a rendered body with ETag/304, gzip when the client takes it, and no body for HEAD. */
export function sendRendered(req: IncomingMessage, res: ServerResponse, rendered: RenderedBody, options: SendOptions = NO_OPTIONS): void {
  const status = options.status ?? 200;
  if (status === 200 && matchesEtag(req, rendered.etag)) {
    res.writeHead(304, baseHeaders(rendered, options)).end();
    return;
  }
  const gzipped = rendered.body.length >= GZIP_MIN_BYTES && acceptsGzip(req) && rendered.gzipReady();
  res.writeHead(status, rendered.headersFor(options, gzipped));
  res.end(req.method === 'HEAD' ? undefined : gzipped ? rendered.gzip() : rendered.body);
}

export function sendJson(req: IncomingMessage, res: ServerResponse, status: number, value: unknown, headers: Record<string, string | string[]> = {}): void {
  const body = Buffer.from(JSON.stringify(value));
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': body.length, 'cache-control': 'no-store', ...headers });
  res.end(req.method === 'HEAD' ? undefined : body);
}

export function sendText(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  contentType: string,
  text: string,
  headers: Record<string, string | string[]> = {},
): void {
  const body = Buffer.from(text);
  res.writeHead(status, { 'content-type': contentType, 'content-length': body.length, 'cache-control': 'no-store', ...headers });
  res.end(req.method === 'HEAD' ? undefined : body);
}

export interface BlobResponse {
  sha256: string;
  contentType: string;
  /** Offered to browsers and curl -OJ. */
  fileName?: string;
}

/**
 * Streams a blob from disk: ETag from its digest, 304, Content-Length, one byte range, HEAD.
 * Blobs of at most 256 KB are read whole and kept in memory (small-blob-cache.ts); larger ones stream.
 */
export async function sendBlob(req: IncomingMessage, res: ServerResponse, blobs: BlobStore, blob: BlobResponse): Promise<void> {
  if (sendKeptBlob(req, res, blobs, blob)) return;
  const kept = smallBlobCacheOf(blobs);
  let bytes = kept.get(blob.sha256);
  const size = bytes ? bytes.length : await blobs.size(blob.sha256);
  if (size === undefined) throw new ResourceNotFoundError('The file of this asset is missing from the store.', { hint: 'Run `artifact-cli verify`.' });
  const etag = `"${blob.sha256}"`;
  const headers: Record<string, string | number> = {
    'content-type': blob.contentType,
    etag,
    'accept-ranges': 'bytes',
    // Published bytes never change, so clients may keep them.
    'cache-control': 'public, max-age=31536000, immutable',
  };
  if (blob.fileName) headers['content-disposition'] = contentDisposition(blob.fileName);
  if (matchesEtag(req, etag)) {
    res.writeHead(304, headers).end();
    return;
  }
  const range = parseRange(req.headers.range, size);
  if (range === 'invalid') {
    res.writeHead(416, { 'content-range': `bytes */${size}` }).end();
    return;
  }
  const status = range ? 206 : 200;
  if (range) headers['content-range'] = `bytes ${range.start}-${range.end}/${size}`;
  headers['content-length'] = range ? range.end - range.start + 1 : size;
  if (req.method === 'HEAD' || size === 0) {
    res.writeHead(status, headers).end();
    return;
  }
  // A range of a blob kept in memory is a slice of it: no file to open and stream.
  if (range && bytes) {
    res.writeHead(status, headers).end(bytes.subarray(range.start, range.end + 1));
    return;
  }
  if (!range && size <= SMALL_BLOB_MAX_BYTES) {
    bytes ??= await blobs.readWhole(blob.sha256);
    if (!bytes) throw new ResourceNotFoundError('The file of this asset is missing from the store.', { hint: 'Run `artifact-cli verify`.' });
    kept.keep(blob.sha256, bytes);
    headers['content-length'] = bytes.length;
    res.writeHead(status, headers).end(bytes);
    return;
  }
  const stream = blobs.open(blob.sha256, range ?? undefined);
  res.writeHead(status, headers);
  await pipeline(stream, res).catch(() => {
    // The client went away mid-download; nothing to tell it.
    res.destroy();
  });
}

const dispositions = new Map<string, string>();

// The headers of a whole 200 answer per blob response, built once: a remembered download
// (response-memo.ts) hands the same BlobResponse to every repeat, and Node reads the object
// without changing it.
const wholeHeaders = new WeakMap<BlobResponse, Record<string, string | number>>();

/**
 * The common download in one synchronous step: a plain GET or HEAD (no range, no validator)
 * of a blob kept in memory. Answers false, having sent nothing, for anything else.
 */
export function sendKeptBlob(req: IncomingMessage, res: ServerResponse, blobs: BlobStore, blob: BlobResponse): boolean {
  if (req.headers.range !== undefined || req.headers['if-none-match'] !== undefined) return false;
  const bytes = smallBlobCacheOf(blobs).get(blob.sha256);
  if (!bytes) return false;
  let headers = wholeHeaders.get(blob);
  if (!headers) {
    headers = {
      'content-type': blob.contentType,
      etag: `"${blob.sha256}"`,
      'accept-ranges': 'bytes',
      'cache-control': 'public, max-age=31536000, immutable',
      ...(blob.fileName ? { 'content-disposition': contentDisposition(blob.fileName) } : {}),
      'content-length': bytes.length,
    };
    wholeHeaders.set(blob, headers);
  }
  res.writeHead(200, headers).end(req.method === 'HEAD' ? undefined : bytes);
  return true;
}

/** A plain ASCII name for old clients, and the exact name as RFC 5987 UTF-8 for the rest. */
export function contentDisposition(fileName: string): string {
  let header = dispositions.get(fileName);
  if (header === undefined) {
    header = buildContentDisposition(fileName);
    // Worked out once per name: downloads repeat, and names from requests are bounded here.
    if (dispositions.size >= 10_000) dispositions.clear();
    dispositions.set(fileName, header);
  }
  return header;
}

function buildContentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'invalid' | undefined {
  if (!header) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (match[1] === '') {
    start = Math.max(0, size - Number(match[2]));
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  if (start > end || start >= size) return 'invalid';
  return { start, end };
}
