/**
 * The body of a file PUT on its way into the blob store. It streams (jars are never buffered
 * whole), stops at the size limit, optionally checks that an archive starts like a zip, and
 * takes the digests a client may announce in X-Checksum-* headers. The request itself is never
 * destroyed on a refusal, so the client still reads our 4xx instead of a reset connection.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Transform, type Readable } from 'node:stream';
import { PayloadTooLargeError, ValidationError } from '../../errors.js';
import { refuseDeclaredOver } from '../../server/body.js';
import type { ExpectedBlob } from '../../store/blob-store.js';
import { CHECKSUMS, type ChecksumAlgorithm } from './maven-path.js';

// Local file header, empty archive, spanned archive: every zip starts with one of these.
const ZIP_SIGNATURES = ['504b0304', '504b0506', '504b0708'];

export function refuseDeclaredOversize(req: IncomingMessage, maxBytes: number): void {
  refuseDeclaredOver(
    req,
    maxBytes,
    (declared) =>
      new PayloadTooLargeError(`The file is ${declared} bytes; this server accepts at most ${maxBytes}.`, {
        hint: 'Raise server.maxUploadBytes in the artifact-cli config file if this upload is expected.',
      }),
  );
}

/** The request body as a stream of its own, checked to be a zip when `zipNamed` names the file. */
export function uploadStream(req: IncomingMessage, zipNamed?: string): Readable {
  let head: Buffer | undefined = zipNamed ? Buffer.alloc(0) : undefined;
  const notZip = () =>
    new ValidationError(`${zipNamed} is not a zip archive, so it cannot be a Java archive; nothing was stored.`, {
      hint: 'Upload the built archive, not another file under its name.',
    });
  const guard = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (head === undefined) return done(null, chunk);
      head = Buffer.concat([head, chunk]);
      if (head.length < 4) return done();
      const start = head;
      head = undefined;
      done(ZIP_SIGNATURES.includes(start.subarray(0, 4).toString('hex')) ? null : notZip(), start);
    },
    flush(done) {
      done(head === undefined ? null : notZip());
    },
  });
  req.once('error', (error) => guard.destroy(error));
  req.once('close', () => {
    if (!req.complete) guard.destroy(new ValidationError('The upload was cut off before the end of the file; nothing was stored.'));
  });
  // The reader (the blob store's pipeline) gets every error; this keeps req.pipe from re-throwing
  // one that arrives after the reader has already given up.
  guard.on('error', () => undefined);
  req.pipe(guard);
  return guard;
}

/** Digests announced in X-Checksum-Sha1 (and -Md5, -Sha256, -Sha512) headers, to check while storing. */
export function announcedDigests(req: IncomingMessage): ExpectedBlob {
  const expected: ExpectedBlob = {};
  for (const algorithm of Object.keys(CHECKSUMS) as ChecksumAlgorithm[]) {
    const value = req.headers[`x-checksum-${algorithm}`];
    if (typeof value !== 'string') continue;
    const digest = value.trim().toLowerCase();
    if (!new RegExp(`^[0-9a-f]{${CHECKSUMS[algorithm].hexLength}}$`).test(digest)) {
      throw new ValidationError(`The X-Checksum-${algorithm} header is not a ${algorithm.toUpperCase()} digest.`);
    }
    expected[algorithm] = digest;
  }
  return expected;
}

/** The SHA-256 of a stream that is read but not stored (to compare with a file that may not change). */
export async function sha256Only(stream: Readable, maxBytes: number): Promise<string> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      stream.destroy();
      throw new PayloadTooLargeError(`The file is larger than the limit of ${maxBytes} bytes.`);
    }
    hash.update(chunk);
  }
  return hash.digest('hex');
}
