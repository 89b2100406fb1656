/**
 * Where a .gem's bytes are read from: memory (a test, a small fetched file) or a staged file (a
 * push, a retained download), so a pushed gem is never held in memory whole. Reads are by
 * offset, which is all the outer tar needs; members are streamed in chunks.
 */
import { createReadStream, promises as fs } from 'node:fs';
import { Readable } from 'node:stream';

const CHUNK_BYTES = 64 * 1024;

export interface GemSource {
  size: number;
  read(start: number, length: number): Promise<Buffer>;
  chunks(start: number, length: number): AsyncIterable<Buffer>;
}

export function gemSourceOf(bytes: Buffer): GemSource {
  return {
    size: bytes.length,
    read: (start, length) => Promise.resolve(bytes.subarray(start, start + length)),
    chunks: (start, length) => Readable.from(slices(bytes, start, length)),
  };
}

function* slices(bytes: Buffer, start: number, length: number): Generator<Buffer> {
  for (let at = start; at < start + length; at += CHUNK_BYTES) yield bytes.subarray(at, Math.min(at + CHUNK_BYTES, start + length));
}

/** Runs `use` with the file open as a GemSource, closing it afterwards. */
export async function withGemFile<T>(file: string, use: (source: GemSource) => Promise<T>): Promise<T> {
  const handle = await fs.open(file, 'r');
  try {
    const { size } = await handle.stat();
    return await use({
      size,
      async read(start, length) {
        const buffer = Buffer.alloc(Math.max(0, Math.min(length, size - start)));
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, start);
        return buffer.subarray(0, bytesRead);
      },
      chunks: (start, length) => (length > 0 ? createReadStream(file, { start, end: start + length - 1, highWaterMark: CHUNK_BYTES }) : Readable.from([])),
    });
  } finally {
    await handle.close();
  }
}
