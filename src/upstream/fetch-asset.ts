/**
 * Downloads one asset from an upstream registry straight into the blob store, checked against
 * the digest the registry announced. A mismatch or a cut-off download stores nothing. Only URLs
 * on the registry's own origin (or an allowed one) are fetched, and a redirect is followed only
 * to such a URL, each hop checked again (asset-origins.ts), at most MAX_REDIRECTS of them. The request that started a download may be fed its bytes as they
 * arrive (live-delivery.ts), the last of them only once the digest matched and the file is kept.
 */
import { Readable } from 'node:stream';
import type { Config } from '../config/config.js';
import { ResourceNotFoundError, storeFailureOf, UpstreamError, ValidationError } from '../errors.js';
import type { BlobDigests, ExpectedBlob, PutHooks } from '../store/blob-store.js';
import type { Store } from '../store/store.js';
import { putInTwoSteps, type TwoStepPut } from '../store/two-step-put.js';
import { checkAssetUrl, type AssetSource } from './asset-origins.js';
import type { EarlyDownload } from './early-download.js';
import { describeNetworkError, redactUrl, upstreamGet, type UpstreamResponse } from './http-client.js';
import type { LiveDelivery, LiveFeed } from './live-delivery.js';
import { SingleFlight } from './single-flight.js';

const flights = new SingleFlight<BlobDigests>();

// A file up to this size arrives in a moment and is checked whole before it is served, so a
// bad one gets a 502 with its reason rather than a broken transfer; larger ones go out live.
export const LIVE_MIN_BYTES = 256 * 1024;

/**
 * `source`: the registry whose metadata named the URL. `early`: a download of a guessed URL
 * started beforehand; its bytes are used when the URL is this one. `live`: the asking request's
 * delivery, fed the bytes as they come when this call starts the download. `hooks`: told of
 * the bytes' digests once they matched, before they are written, when this call downloads them
 * (a call that joins another's download is not told; it has the digests when its promise resolves).
 */
export async function fetchAssetToStore(
  store: Store,
  config: Config,
  source: AssetSource,
  url: string,
  expected: ExpectedBlob,
  early?: EarlyDownload,
  live?: LiveDelivery,
  hooks?: PutHooks,
): Promise<BlobDigests> {
  checkAssetUrl(config, source, url);
  // Shared only by requests expecting the same bytes: two packages may name one URL with
  // different digests, and each must be checked against its own.
  return flights.run(flightKey(url, expected), () => download(store, config, source, url, expected, early?.url === url ? early : undefined, live, hooks));
}

/**
 * fetchAssetToStore told in two steps (two-step-put.ts): the digests once the bytes matched,
 * then the blob durable. The caller must await `durable` before serving the blob or letting its lease go.
 */
export function fetchAssetChecked(
  store: Store,
  config: Config,
  source: AssetSource,
  url: string,
  expected: ExpectedBlob,
  early?: EarlyDownload,
  live?: LiveDelivery,
): TwoStepPut {
  return putInTwoSteps((hooks) => fetchAssetToStore(store, config, source, url, expected, early, live, hooks));
}

function flightKey(url: string, expected: ExpectedBlob): string {
  const { sha256, sha512, sha1, md5, size } = expected;
  return [url, sha256, sha512, sha1, md5, size].map((part) => String(part ?? '').toLowerCase()).join('\n');
}

async function download(
  store: Store,
  config: Config,
  source: AssetSource,
  url: string,
  expected: ExpectedBlob,
  early: EarlyDownload | undefined,
  delivery: LiveDelivery | undefined,
  hooks: PutHooks | undefined,
): Promise<BlobDigests> {
  if (config.offline) {
    throw new ResourceNotFoundError('This file is not stored here and the server is offline.', { hint: 'Run `artifact-cli sync` while online to fetch it.' });
  }
  // Whatever went wrong with the early download (an error answer, too big, cut off), the
  // ordinary one below asks again and reports it.
  const bytes = await early?.bytes;
  if (bytes) return storeChecked(store, config, url, bytes, expected, hooks);
  const response = early?.takeLarge() ?? (await getFollowingRedirects(config, source, url));
  if (response.statusCode === 404 || response.statusCode === 410) {
    await response.body.dump();
    throw new ResourceNotFoundError(`The upstream registry has no file at ${redactUrl(url)}.`);
  }
  if (response.statusCode !== 200) {
    await response.body.dump();
    throw new UpstreamError(`The upstream registry answered ${response.statusCode} for ${redactUrl(url)}.`);
  }
  // The request that started this download may take its bytes as they come (live-delivery.ts);
  // requests sharing the flight wait for the stored file.
  const size = contentLengthOf(response);
  if (!delivery || (size !== undefined && size <= LIVE_MIN_BYTES)) return storeChecked(store, config, url, response.body, expected, hooks);
  const live: { feed?: LiveFeed } = {};
  try {
    // The last byte goes out once the caller's whole work succeeded (live-delivery.ts).
    return await storeChecked(store, config, url, Readable.from(passingTo(response.body, size, delivery, live), { objectMode: false }), expected, hooks);
  } catch (error) {
    live.feed?.fail(error);
    throw error;
  }
}

// Registries that keep their files elsewhere redirect once; a chain longer than this is a loop.
const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * GET, following redirects whose target the asset-origin rule allows (a refused one throws
 * before it is reached). Credentials in the URL go on only to hops on the same origin.
 */
async function getFollowingRedirects(config: Config, source: AssetSource, url: string): Promise<UpstreamResponse> {
  let current = url;
  for (let hops = 0; ; hops += 1) {
    const response = await upstreamGet({ url: current, timeoutMs: config.upstream.timeoutMs });
    if (!REDIRECTS.has(response.statusCode)) return response;
    await response.body.dump();
    const location = response.headers.location;
    if (!location || hops >= MAX_REDIRECTS) {
      const why = location ? `redirected more than ${MAX_REDIRECTS} times` : `answered ${response.statusCode} without a Location`;
      throw new UpstreamError(`The upstream registry ${why} for ${redactUrl(url)}.`);
    }
    current = redirectTarget(current, location);
    checkAssetUrl(config, source, current);
  }
}

function redirectTarget(from: string, location: string): string {
  let target: URL;
  try {
    target = new URL(location, from);
  } catch {
    throw new UpstreamError(`The upstream registry redirected ${redactUrl(from)} to an address that is not a URL.`);
  }
  const origin = new URL(from);
  if (target.origin === origin.origin && !target.username && !target.password) {
    target.username = origin.username;
    target.password = origin.password;
  }
  return target.toString();
}

/**
 * The body on its way to the store, fed live as well once it is known to be large: at once
 * for a Content-Length above LIVE_MIN_BYTES, else (no length sent) once that many bytes came.
 */
async function* passingTo(body: AsyncIterable<Buffer>, size: number | undefined, delivery: LiveDelivery, live: { feed?: LiveFeed }): AsyncGenerator<Buffer> {
  const early: Buffer[] = [];
  let seen = 0;
  const goLive = () => {
    live.feed = delivery.claim();
    live.feed?.begin(size);
    for (const chunk of early.splice(0)) live.feed?.push(chunk);
  };
  if (size !== undefined) goLive();
  for await (const chunk of body) {
    if (live.feed) live.feed.push(chunk);
    else if (size === undefined && seen <= LIVE_MIN_BYTES) {
      early.push(chunk);
      seen += chunk.length;
      if (seen > LIVE_MIN_BYTES) goLive();
    }
    yield chunk;
  }
}

function contentLengthOf(response: UpstreamResponse): number | undefined {
  const header = response.headers['content-length'];
  return typeof header === 'string' && /^\d+$/.test(header) ? Number(header) : undefined;
}

async function storeChecked(
  store: Store,
  config: Config,
  url: string,
  source: Readable | Buffer,
  expected: ExpectedBlob,
  hooks: PutHooks | undefined,
): Promise<BlobDigests> {
  try {
    return await store.blobs.put(source, { ...expected, maxBytes: expected.maxBytes ?? config.server.maxUploadBytes }, hooks);
  } catch (error) {
    if (error instanceof ValidationError) {
      // Neither digest goes into the answer: the bytes came from elsewhere than the client asked.
      throw new UpstreamError(`The file from ${redactUrl(url)} does not match the digest the registry announced; it was not stored.`, {
        cause: error,
        hint: 'The registry may be changing the file right now; try again later, and tell its operators if it persists.',
      });
    }
    if (error instanceof UpstreamError || (error as { httpStatus?: number }).httpStatus) throw error;
    // The store's own write failed (a full disk): the server's fault, not the registry's.
    const storeFailure = storeFailureOf(error);
    if (storeFailure) throw storeFailure;
    throw new UpstreamError(`The download of ${redactUrl(url)} broke off: ${describeNetworkError(error)}; nothing was stored.`, { cause: error });
  }
}
