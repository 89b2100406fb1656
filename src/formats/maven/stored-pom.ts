/** Reading a POM back from the blob store, for files that streamed in without being parsed. */
import { ValidationError } from '../../errors.js';
import type { Store } from '../../store/store.js';
import type { Pom } from './pom.js';
import { readPomOffThread } from './xml-off-thread.js';

/** POMs are small; anything bigger is not read into memory. */
export const MAX_POM_BYTES = 4 * 1024 * 1024;

export async function readStoredPom(store: Store, sha256: string): Promise<Pom> {
  const size = await store.blobs.size(sha256);
  if (size === undefined || size > MAX_POM_BYTES) throw new ValidationError(`The POM is missing or larger than ${MAX_POM_BYTES} bytes.`);
  const chunks: Buffer[] = [];
  for await (const chunk of store.blobs.open(sha256) as AsyncIterable<Buffer>) chunks.push(chunk);
  return readPomOffThread(Buffer.concat(chunks).toString('utf8'));
}
