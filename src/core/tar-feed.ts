/**
 * Feeding node-tar's Parser an archive, from memory or from a file, in small slices.
 *
 * The parser's gunzip inflates whatever one write hands it in one synchronous step, and keeps
 * every piece of output until that step ends. One 64 KB read of a gzip bomb therefore becomes
 * 64 MB at once, in 16 KB pieces that land in malloc's main arena, which glibc never hands back
 * whole: a single bomb upload grew the server's resident memory by 64 MB for good. Fed in 4 KB
 * slices, one step inflates at most about 4 MB, and the parser's decompression-ratio check stops
 * a bomb after a few of them.
 *
 * The event loop turns between chunks, so reading a large archive does not stall other requests.
 */
import { createReadStream } from 'node:fs';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { ValidationError } from '../errors.js';

export const TAR_FEED_SLICE_BYTES = 4 * 1024;
// A file is read 64 KB at a time, each read a turn of the event loop. An archive already in
// memory yields every 16 KB: 16 KB of headers can be a few hundred entries to parse.
const FILE_CHUNK_BYTES = 64 * 1024;
const MEMORY_CHUNK_BYTES = 16 * 1024;

/** What the feed needs of a parser: node-tar's Parser has both. */
export interface TarSink {
  write(chunk: Buffer): unknown;
  end(): unknown;
}

/**
 * Writes `source` (the archive's bytes, the path of its file, or its chunks) into `parser`, slice by slice,
 * then ends it. Stops early, leaving the parser as it is, once `stopped()` says the parser has
 * finished or given up. A file that cannot be read rejects with its error.
 */
export async function feedTar(parser: TarSink, source: Buffer | string | AsyncIterable<Buffer>, stopped: () => boolean): Promise<void> {
  const chunks =
    typeof source === 'string' ? createReadStream(source, { highWaterMark: FILE_CHUNK_BYTES }) : Buffer.isBuffer(source) ? chunksOf(source) : source;
  // Leaving the loop early (return) closes the file.
  for await (const chunk of chunks as AsyncIterable<Buffer>) {
    for (let offset = 0; offset < chunk.length; offset += TAR_FEED_SLICE_BYTES) {
      if (stopped()) return;
      parser.write(chunk.subarray(offset, offset + TAR_FEED_SLICE_BYTES));
    }
  }
  if (!stopped()) parser.end();
}

/** A tar parser that reports how it ended: node-tar's Parser. */
export interface TarParser extends TarSink {
  on(event: 'abort' | 'error', listener: (error: unknown) => void): unknown;
  on(event: 'end' | 'eof', listener: () => void): unknown;
}

/**
 * Feeds `source` through `parser` (feedTar) and settles when the parser has read it all, or
 * reached the end-of-archive marker. A
 * refusal the entry handlers raised (a ValidationError) comes back as it is; any other failure,
 * from the parser or from reading the source, becomes `invalid(reason)`.
 */
export function readTar(parser: TarParser, source: Buffer | string | AsyncIterable<Buffer>, invalid: (reason: string) => ValidationError): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const refuse = (error: unknown) => {
      settled = true;
      reject(error instanceof ValidationError ? error : invalid((error as Error)?.message ?? String(error)));
    };
    parser.on('abort', refuse);
    parser.on('error', refuse);
    const finish = () => {
      settled = true;
      resolve();
    };
    parser.on('end', finish);
    // The end-of-archive marker ends the archive, as it does for the installers. What follows it
    // node-tar only piles up, copying the pile again for every slice: a gzip bomb placed there
    // would hold the event loop for minutes (50 MB: 48 s), so it is left unread.
    parser.on('eof', finish);
    feedTar(parser, source, () => settled).catch(refuse);
  });
}

async function* chunksOf(bytes: Buffer): AsyncGenerator<Buffer> {
  for (let offset = 0; offset < bytes.length; offset += MEMORY_CHUNK_BYTES) {
    if (offset > 0) await nextTurn();
    yield bytes.subarray(offset, offset + MEMORY_CHUNK_BYTES);
  }
}
