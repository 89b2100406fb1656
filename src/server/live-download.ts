/**
 * Answers a download whose file may first have to come from an upstream: when the work starts
 * such a download, the client gets the bytes as they arrive (see upstream/live-delivery.ts);
 * otherwise the work's result is handed back for the ordinary answer from the store.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { LiveDelivery } from '../upstream/live-delivery.js';
import { contentDisposition } from './respond.js';

export interface LiveHeaders {
  contentType: string;
  fileName?: string;
}

export type LiveOutcome<T> = { streamed: true } | { streamed: false; value: T };

interface LiveContext {
  req: IncomingMessage;
  res: ServerResponse;
  deps: { log(message: string): void };
  /** Set here for the work, which passes it to fetchAssetToStore. */
  live?: LiveDelivery;
}

export async function streamingMisses<T>(context: LiveContext, headers: LiveHeaders, work: () => Promise<T>): Promise<LiveOutcome<T>> {
  const { req, res } = context;
  // A range, a validator or HEAD wants what only the stored file can answer.
  if (req.method !== 'GET' || req.headers.range !== undefined || req.headers['if-none-match'] !== undefined) return { streamed: false, value: await work() };
  const delivery = new LiveDelivery();
  context.live = delivery;
  const result = delivery.run(work);
  // Read below in both cases; until then a failure must not count as unhandled.
  result.catch(() => undefined);
  const live = await delivery.started;
  if (!live) return { streamed: false, value: await result };
  const head: Record<string, string | number> = { 'content-type': headers.contentType };
  if (headers.fileName) head['content-disposition'] = contentDisposition(headers.fileName);
  if (live.size !== undefined) head['content-length'] = live.size;
  res.writeHead(200, head);
  // A stream that ends in an error (a file failing its digest, an upstream cut off) destroys the
  // response before its end, so the client sees a broken transfer and nothing complete.
  await pipeline(live.stream, res).catch(() => res.destroy());
  // The client has its answer (or its broken transfer) already; the reason goes to the log.
  await result.catch((error: unknown) => context.deps.log(`warning: a download fed live failed: ${error instanceof Error ? error.message : String(error)}`));
  return { streamed: true };
}
