/**
 * Makes a store's writes fail as a full (or read-only, or forbidden) disk makes them fail: blob
 * puts and index updates reject with the error Node's fs gives (code, errno, syscall, and the
 * path of a file under the root), after reading part of the bytes they were given, as a write
 * that ran out of space midway does. `recover()` gives the store its own methods back.
 */
import { constants } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { BlobStore } from '../../src/store/blob-store.js';
import type { Store } from '../../src/store/store.js';

export type StoreErrno = 'ENOSPC' | 'EDQUOT' | 'EROFS' | 'EACCES' | 'EPERM' | 'EIO' | 'EMFILE' | 'ENFILE';

const DESCRIPTIONS: Record<StoreErrno, string> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EIO: 'i/o error',
  EMFILE: 'too many open files',
  ENFILE: 'file table overflow',
};

/** The error Node's fs throws for `syscall` failing with `code` (on `file`, when it names one). */
export function fsError(code: StoreErrno, syscall: string, file?: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`${code}: ${DESCRIPTIONS[code]}, ${syscall}${file ? ` '${file}'` : ''}`);
  error.errno = -constants.errno[code];
  error.code = code;
  error.syscall = syscall;
  if (file) error.path = file;
  return error;
}

export interface FailingStore {
  /** How many writes failed so far. */
  readonly failures: number;
  /** The disk has room again: writes go through. */
  recover(): void;
}

const INDEX_WRITES = ['updateDomain', 'updateRepository', 'updatePackage', 'updateTokens', 'updatePackageGroups', 'updatePermissionsPolicy'] as const;

/**
 * `blobsFirst`: how many blob puts still succeed before the disk is full (a wheel's before its
 * METADATA's). `blobsOnly`: index updates go through, so that a test sees the blob's failure alone.
 */
export function failStoreWrites(store: Store, code: StoreErrno = 'ENOSPC', options: { blobsFirst?: number; blobsOnly?: boolean } = {}): FailingStore {
  const blobs = store.blobs as { put: BlobStore['put'] };
  const index = store.index as unknown as Record<(typeof INDEX_WRITES)[number], (...args: unknown[]) => Promise<unknown>>;
  const put = blobs.put;
  const updates = Object.fromEntries(INDEX_WRITES.map((name) => [name, index[name]]));
  let failures = 0;
  const indexTemp = path.join(store.root, 'domains', `.index.${process.pid}.failing.tmp`);
  let blobsLeft = options.blobsFirst ?? 0;
  blobs.put = async (...args) => {
    const [source] = args;
    if (blobsLeft > 0) {
      blobsLeft -= 1;
      return put.apply(store.blobs, args);
    }
    failures += 1;
    // A write that runs out of space has taken some of the bytes first.
    if (!Buffer.isBuffer(source)) await readSome(source);
    throw fsError(code, 'write');
  };
  for (const name of options.blobsOnly ? [] : INDEX_WRITES) {
    index[name] = () => {
      failures += 1;
      return Promise.reject(fsError(code, 'open', indexTemp));
    };
  }
  return {
    get failures() {
      return failures;
    },
    recover() {
      blobs.put = put;
      for (const name of INDEX_WRITES) index[name] = updates[name];
    },
  };
}

// More than a cold download checks whole before it streams to its client (LIVE_MIN_BYTES).
const READ_BEFORE_FAILING = 320 * 1024;

/** Reads the start of a stream, as a write does before the disk runs out, then lets go of it. */
async function readSome(source: Readable): Promise<void> {
  let read = 0;
  for await (const chunk of source as AsyncIterable<Buffer>) {
    read += chunk.length;
    if (read >= READ_BEFORE_FAILING) break;
  }
}
