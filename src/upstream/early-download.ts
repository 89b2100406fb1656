/**
 * A download started before it is known to be wanted. A first download of a version through
 * an external connection needs the registry's metadata (where the file is, which digest it
 * must have) and then the file: two round trips, one after the other, for every package of a
 * cold install. Registries keep files at predictable URLs, so the file is asked for at the
 * same time as the metadata and its bytes wait in memory. When the metadata names the same
 * URL they are checked against its digest like any download before anything is stored
 * (fetch-asset.ts); when it names another, or nobody asks, they are dropped.
 *
 * Requests for the same URL at the same time share one download; it is stopped once every
 * request holding it has let go.
 */
import type { Config } from '../config/config.js';
import { upstreamGet, type UpstreamResponse } from './http-client.js';

// Beyond this the bytes are not held in memory; the ordinary download streams them to disk.
const MAX_EARLY_BYTES = 1024 * 1024;

export interface EarlyDownload {
  url: string;
  /** The whole body of a 200 answer; undefined for anything else (other status, too big, failed, stopped). */
  bytes: Promise<Buffer | undefined>;
  /**
   * A 200 answer whose Content-Length is over the limit, its body not read yet: the ordinary
   * download takes it (once) instead of asking again, and streams it as any other.
   */
  takeLarge(): UpstreamResponse | undefined;
  /** This request no longer needs the bytes; the last one to let go stops the download. */
  release(): void;
}

interface Shared {
  bytes: Promise<Buffer | undefined>;
  takeLarge(): UpstreamResponse | undefined;
  holders: number;
  stop(): void;
}

const downloads = new Map<string, Shared>();

/** `maxBytes`: a larger file is not held (a caller that streams large files live says so). */
export function startEarlyDownload(config: Config, url: string, maxBytes = MAX_EARLY_BYTES): EarlyDownload {
  let shared = downloads.get(url);
  if (!shared) {
    shared = download(config, url, Math.min(maxBytes, MAX_EARLY_BYTES));
    downloads.set(url, shared);
  }
  shared.holders += 1;
  let released = false;
  const held = shared;
  return {
    url,
    bytes: held.bytes,
    takeLarge: () => held.takeLarge(),
    release() {
      if (released) return;
      released = true;
      held.holders -= 1;
      if (held.holders > 0) return;
      held.stop();
      if (downloads.get(url) === held) downloads.delete(url);
    },
  };
}

function download(config: Config, url: string, maxBytes: number): Shared {
  let response: UpstreamResponse | undefined;
  let large: UpstreamResponse | undefined;
  let taken: UpstreamResponse | undefined;
  let stopped = false;
  const stop = (): undefined => {
    if (response && response !== taken && !response.body.readableEnded) response.body.destroy();
    return undefined;
  };
  const bytes = (async (): Promise<Buffer | undefined> => {
    response = await upstreamGet({ url, timeoutMs: config.upstream.timeoutMs });
    if (stopped || response.statusCode !== 200) return stop();
    if (Number(response.headers['content-length']) > maxBytes) {
      large = response;
      return undefined;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (stopped || size > maxBytes) return stop();
      chunks.push(chunk);
    }
    return Buffer.concat(chunks, size);
  })().catch(() => undefined);
  return {
    bytes,
    takeLarge() {
      if (stopped || !large || taken) return undefined;
      taken = large;
      return taken;
    },
    holders: 0,
    stop() {
      stopped = true;
      stop();
    },
  };
}
