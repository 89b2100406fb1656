/**
 * Bytes that will be kept a long time, in memory of their own. A small Buffer is often a view
 * into a larger one: a slice of Node's shared 8 KiB pool (small reads, concatenations, strings
 * turned into bytes), of zlib's 16 KiB output chunk, or of a whole request body; keeping the
 * view keeps all of that alive. 500 kept blobs, 1.2 MiB of bytes, held 4 MiB this way.
 */
export function ownMemory(bytes: Buffer): Buffer {
  if (bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.length) return bytes;
  // allocUnsafeSlow never takes from the pool, so the copy is exactly its own length.
  const copy = Buffer.allocUnsafeSlow(bytes.length);
  bytes.copy(copy);
  return copy;
}
