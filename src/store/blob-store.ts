/** Content-addressed storage of asset bytes, named by SHA-256. */
import type { Readable } from 'node:stream';

export interface BlobDigests {
  sha256: string;
  sha1: string;
  sha512: string;
  md5: string;
  size: number;
}

/** What the caller expects of the bytes; any mismatch refuses the write. */
export interface ExpectedBlob {
  sha256?: string;
  sha1?: string;
  sha512?: string;
  md5?: string;
  size?: number;
  /** Refuse streams longer than this many bytes. */
  maxBytes?: number;
}

/** What a put tells its caller on the way. */
export interface PutHooks {
  /**
   * The bytes matched what was expected and are about to be written: work that only needs
   * their digests (an index update, up to its rename) may start now, beside the write.
   * `bytes`: the content itself when it is small enough to be held in memory, for work that
   * reads it (a package's manifest) before the file is in place.
   */
  verified?(digests: BlobDigests, bytes?: Buffer): void;
}

export interface BlobStore {
  /** Stores the bytes (once), checking them while they stream; returns their digests once they are durable. */
  put(source: Readable | Buffer, expected?: ExpectedBlob, hooks?: PutHooks): Promise<BlobDigests>;
  /** A stream of the stored bytes, optionally one byte range (inclusive end). */
  open(sha256: string, range?: { start: number; end: number }): Readable;
  /** Size of the stored blob, or undefined when it is missing. */
  size(sha256: string): Promise<number | undefined>;
  /** The whole blob in one buffer (for small ones, where one read beats a stream), or undefined when it is missing. */
  readWhole(sha256: string): Promise<Buffer | undefined>;
  /** The file path of a blob, for stores that have one. */
  pathOf(sha256: string): string;
  remove(sha256: string): Promise<void>;
  list(): AsyncIterable<string>;
}
