/** The filesystem BlobStore: <root>/blobs/sha256/ab/cd/<hex>, staged in <root>/tmp/. */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, createReadStream, createWriteStream, fsync as fsyncCallback, mkdirSync, openSync, promises as fs, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { PayloadTooLargeError, ValidationError } from '../errors.js';
import type { BlobDigests, BlobStore, ExpectedBlob } from './blob-store.js';

const HEX64 = /^[0-9a-f]{64}$/;

export class FsBlobStore implements BlobStore {
  private readonly blobDir: string;

  constructor(
    root: string,
    private readonly tmpDir = path.join(root, 'tmp'),
  ) {
    this.blobDir = path.join(root, 'blobs', 'sha256');
  }

  pathOf(sha256: string): string {
    if (!HEX64.test(sha256)) throw new ValidationError(`${JSON.stringify(sha256)} is not a SHA-256 digest.`);
    return path.join(this.blobDir, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async put(source: Readable | Buffer, expected: ExpectedBlob = {}): Promise<BlobDigests> {
    // An existing directory is found without touching the journal, so this check runs inline;
    // creating and renaming entries go to the thread pool (see replaceFile in json-file.ts).
    mkdirSync(this.tmpDir, { recursive: true });
    const temp = path.join(this.tmpDir, `blob-${process.pid}-${randomBytes(8).toString('hex')}`);
    const hashes = { sha256: createHash('sha256'), sha1: createHash('sha1'), sha512: createHash('sha512'), md5: createHash('md5') };
    let size = 0;
    const limit = expected.maxBytes ?? Number.POSITIVE_INFINITY;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        if (size > limit) {
          done(new PayloadTooLargeError(`The upload is larger than the limit of ${limit} bytes.`));
          return;
        }
        for (const hash of Object.values(hashes)) hash.update(chunk);
        done(null, chunk);
      },
    });
    const input = Buffer.isBuffer(source) ? Readable.from([source]) : source;
    try {
      await pipeline(input, meter, createWriteStream(temp, { flags: 'wx' }));
      const digests: BlobDigests = {
        sha256: hashes.sha256.digest('hex'),
        sha1: hashes.sha1.digest('hex'),
        sha512: hashes.sha512.digest('hex'),
        md5: hashes.md5.digest('hex'),
        size,
      };
      checkExpected(digests, expected);
      const final = this.pathOf(digests.sha256);
      if (await refresh(final)) {
        await fs.rm(temp, { force: true });
      } else {
        await fs.mkdir(path.dirname(final), { recursive: true });
        // Flush before the rename so a crash cannot leave a named blob with missing bytes.
        const fd = openSync(temp, 'r+');
        try {
          await fsync(fd);
        } finally {
          closeSync(fd);
        }
        await fs.rename(temp, final);
      }
      return digests;
    } catch (error) {
      await fs.rm(temp, { force: true });
      throw error;
    }
  }

  open(sha256: string, range?: { start: number; end: number }): Readable {
    return createReadStream(this.pathOf(sha256), range);
  }

  // size and readWhole are on every download's path and touch local files the kernel has
  // cached: synchronous calls cost microseconds, the thread pool's round trips several times more.
  async size(sha256: string): Promise<number | undefined> {
    try {
      return statSync(this.pathOf(sha256), { throwIfNoEntry: false })?.size;
    } catch {
      return undefined;
    }
  }

  async readWhole(sha256: string): Promise<Buffer | undefined> {
    try {
      return readFileSync(this.pathOf(sha256));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async remove(sha256: string): Promise<void> {
    await fs.rm(this.pathOf(sha256), { force: true });
  }

  async *list(): AsyncIterable<string> {
    for (const first of await readDirSafe(this.blobDir)) {
      for (const second of await readDirSafe(path.join(this.blobDir, first))) {
        for (const name of await readDirSafe(path.join(this.blobDir, first, second))) {
          if (HEX64.test(name)) yield name;
        }
      }
    }
  }
}

function checkExpected(actual: BlobDigests, expected: ExpectedBlob): void {
  if (expected.size !== undefined && expected.size !== actual.size) {
    throw new ValidationError(`The content is ${actual.size} bytes but ${expected.size} were announced.`);
  }
  for (const algorithm of ['sha256', 'sha1', 'sha512', 'md5'] as const) {
    const want = expected[algorithm];
    if (want !== undefined && want.toLowerCase() !== actual[algorithm]) {
      throw new ValidationError(`The ${algorithm.toUpperCase()} digest of the content does not match the one given.`, {
        hint: `Expected ${want}, got ${actual[algorithm]}.`,
      });
    }
  }
}

/**
 * Marks a stored blob as just written, or says it is not there. gc judges a blob's age by its
 * mtime, so a publish that reuses an old unreferenced blob must make it new again; if gc moved
 * the blob away meanwhile, the caller stores it afresh.
 */
async function refresh(file: string): Promise<boolean> {
  const now = new Date();
  try {
    await fs.utimes(file, now, now);
    return true;
  } catch (error) {
    // A blob we may not touch (another user's store) is still there; the grace period covers it.
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

const fsync = promisify(fsyncCallback);

async function readDirSafe(dir: string): Promise<string[]> {
  try {
    return await fs.readdir(dir);
  } catch {
    return [];
  }
}
