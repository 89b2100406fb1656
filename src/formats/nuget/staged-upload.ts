/**
 * A pushed package on its way in. It is written to the root's tmp/ first, with a size cap, and
 * reaches the blob store only after it has been read and found valid: a rejected push leaves no
 * bytes behind. The file name carries the process id, so a server that stops mid-upload removes
 * the leftover when it closes.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PayloadTooLargeError } from '../../errors.js';

export interface StagedUpload {
  file: string;
  /** Removes the file; safe to call whatever happened. */
  discard(): Promise<void>;
}

export async function createStagedUpload(root: string): Promise<StagedUpload> {
  const dir = path.join(root, 'tmp');
  await fs.mkdir(dir, { recursive: true });
  const file = path.join(dir, `nuget-push-${process.pid}-${randomBytes(8).toString('hex')}.nupkg`);
  return { file, discard: () => fs.rm(file, { force: true }) };
}

/** Writes the stream to the staged file, refusing more than `maxBytes`. */
export async function writeStagedUpload(staged: StagedUpload, stream: Readable, maxBytes: number): Promise<void> {
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      done(size > maxBytes ? new PayloadTooLargeError(`The upload is larger than the limit of ${maxBytes} bytes.`) : null, chunk);
    },
  });
  await pipeline(stream, meter, createWriteStream(staged.file, { flags: 'wx', mode: 0o600 }));
}
