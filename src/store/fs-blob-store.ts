/** The filesystem BlobStore: <root>/blobs/sha256/ab/cd/<hex>, staged in <root>/tmp/. */
import { once } from 'node:events';
import {
  closeSync,
  createReadStream,
  createWriteStream,
  existsSync,
  fsync as fsyncCallback,
  mkdirSync,
  open as openCallback,
  openSync,
  promises as fs,
  readFileSync,
  statSync,
  writeSync,
  type WriteStream,
} from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { promisify } from 'node:util';
import { PayloadTooLargeError, ValidationError } from '../errors.js';
import type { BlobDigests, BlobStore, ExpectedBlob, PutHooks } from './blob-store.js';
import { nodeCrypto, randomHex } from '../core/node-crypto.js';
import { existingSmallBlobCacheOf, SMALL_BLOB_MAX_BYTES } from './small-blob-cache.js';
import { makeDirectory, openTempFile, POOLED_FILE_MODE } from './temp-file-pool.js';

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

  async put(source: Readable | Buffer, expected: ExpectedBlob = {}, hooks?: PutHooks): Promise<BlobDigests> {
    // An existing directory is found without touching the journal, so this check runs inline;
    // creating and renaming entries go to the thread pool (see replaceFile in json-file.ts).
    mkdirSync(this.tmpDir, { recursive: true });
    const temp = path.join(this.tmpDir, `blob-${process.pid}-${randomHex(8)}`);
    const digester = new Digester(expected.maxBytes ?? Number.POSITIVE_INFINITY);
    try {
      // Small content stays in memory and is written only once its digests are known good;
      // larger content streams to the temp file as it comes.
      const bytes = await receive(source, digester, temp);
      const digests = digester.digests();
      checkExpected(digests, expected);
      hooks?.verified?.(digests, bytes);
      const final = this.pathOf(digests.sha256);
      if (await refresh(final)) {
        if (!bytes) await fs.rm(temp, { force: true });
      } else {
        // Nearly every new blob needs a new fan-out directory; a running server has some ready.
        // They are put in place while the bytes are written and flushed, not before.
        const directory = makeDirectory(this.tmpDir, path.dirname(final));
        directory.catch(() => undefined);
        // Flushed before the rename so a crash cannot leave a named blob with missing bytes.
        if (bytes) {
          await writeFlushedInPlace(final, bytes, temp, this.tmpDir, directory);
        } else {
          await Promise.all([flush(temp), directory]);
          await renameIntoPlace(temp, final, this.tmpDir);
        }
      }
      if (bytes) existingSmallBlobCacheOf(this)?.keep(digests.sha256, bytes);
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
  // Not async: a thrown error (other than a missing file) becomes the promise's rejection here.
  size(sha256: string): Promise<number | undefined> {
    try {
      return Promise.resolve(statSync(this.pathOf(sha256), { throwIfNoEntry: false })?.size);
    } catch {
      return Promise.resolve(undefined);
    }
  }

  readWhole(sha256: string): Promise<Buffer | undefined> {
    try {
      return Promise.resolve(readFileSync(this.pathOf(sha256)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return Promise.resolve(undefined);
      return Promise.reject(error);
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

function newHashes() {
  const { createHash } = nodeCrypto();
  return { sha256: createHash('sha256'), sha1: createHash('sha1'), sha512: createHash('sha512'), md5: createHash('md5') };
}

/** Size and every digest of the bytes as they pass, refusing more than the limit. */
class Digester {
  private readonly hashes = newHashes();
  private size = 0;

  constructor(private readonly limit: number) {}

  update(chunk: Buffer): void {
    this.size += chunk.length;
    if (this.size > this.limit) throw new PayloadTooLargeError(`The upload is larger than the limit of ${this.limit} bytes.`);
    for (const hash of Object.values(this.hashes)) hash.update(chunk);
  }

  digests(): BlobDigests {
    const { sha256, sha1, sha512, md5 } = this.hashes;
    return { sha256: sha256.digest('hex'), sha1: sha1.digest('hex'), sha512: sha512.digest('hex'), md5: md5.digest('hex'), size: this.size };
  }
}

/**
 * Reads the whole source through the digester. Returns its bytes while they fit in
 * SMALL_BLOB_MAX_BYTES, having written nothing; beyond that it has streamed them to `temp`
 * (not yet flushed) and returns undefined.
 */
async function receive(source: Readable | Buffer, digester: Digester, temp: string): Promise<Buffer | undefined> {
  if (Buffer.isBuffer(source)) {
    digester.update(source);
    if (source.length <= SMALL_BLOB_MAX_BYTES) return source;
    await fs.writeFile(temp, source, { flag: 'wx' });
    return undefined;
  }
  const held: Buffer[] = [];
  let heldBytes = 0;
  let spill: WriteStream | undefined;
  const write = async (stream: WriteStream, chunk: Buffer): Promise<void> => {
    if (stream.errored) throw stream.errored;
    if (!stream.write(chunk)) await once(stream, 'drain');
  };
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      digester.update(chunk);
      if (spill) {
        await write(spill, chunk);
        continue;
      }
      held.push(chunk);
      heldBytes += chunk.length;
      if (heldBytes <= SMALL_BLOB_MAX_BYTES) continue;
      spill = createWriteStream(temp, { flags: 'wx' });
      // Errors surface through write() and finished(); this only keeps one from going unheard.
      spill.on('error', () => undefined);
      for (const part of held.splice(0)) await write(spill, part);
    }
    if (!spill) return Buffer.concat(held, heldBytes);
    await finished(spill.end());
    return undefined;
  } catch (error) {
    // The caller removes the temp file, once the stream has let go of it.
    if (spill) {
      spill.destroy();
      await finished(spill).catch(() => undefined);
    }
    throw error;
  }
}

/**
 * Writes bytes to a temp file (the server's pooled one, else `newTemp`), flushes them and,
 * once `directory` (final's) is there, renames the file to `final`; on failure the temp file is removed.
 */
async function writeFlushedInPlace(final: string, bytes: Buffer, newTemp: string, tmpDir: string, directory: Promise<void>): Promise<void> {
  const { fd, file } = await openTempFile(tmpDir, POOLED_FILE_MODE, async () => ({ fd: await open(newTemp, 'wx', POOLED_FILE_MODE), file: newTemp }));
  try {
    try {
      writeSync(fd, bytes);
      await fsync(fd);
    } finally {
      closeSync(fd);
    }
    await directory;
    await renameIntoPlace(file, final, tmpDir);
  } catch (error) {
    await fs.rm(file, { force: true });
    throw error;
  }
}

/**
 * Renames a written blob to its name. Another process may rename an empty directory of its own
 * over the fan-out directory at that moment (see makeDirectory), which fails this rename with
 * ENOENT though a directory is there again right after: then it is tried again. Each such swap
 * takes another writer that saw the directory missing, so the swaps soon end.
 */
async function renameIntoPlace(from: string, to: string, tmpDir: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await fs.rename(from, to);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || attempt >= RENAME_ATTEMPTS || !existsSync(from)) throw error;
      await makeDirectory(tmpDir, path.dirname(to));
    }
  }
}

const RENAME_ATTEMPTS = 5;

async function flush(file: string): Promise<void> {
  const fd = openSync(file, 'r+');
  try {
    await fsync(fd);
  } finally {
    closeSync(fd);
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
  // Most blobs stored are new: a quick inline look spares the thread-pool trip of a failed utimes.
  if (!existsSync(file)) return false;
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
const open = promisify(openCallback);

async function readDirSafe(dir: string): Promise<string[]> {
  try {
    return await fs.readdir(dir);
  } catch {
    return [];
  }
}
