/**
 * One file that says "some index under this root changed": <root>/changes. Every process that
 * writes an index (the server, a CLI command, sync) appends one byte to it once the new file is
 * in place. Appends are atomic and only ever grow the file, so its size changes with every
 * write even when two processes write within the same clock tick (file times are coarse).
 *
 * A running server samples the marker before the first request of each turn of its event loop
 * (sampleThisTurn). While it is unchanged, every index file the server has already read is
 * known to be unchanged too, so a turn's requests cost at most one stat between them instead of
 * one per file each consults (token, policies, package groups, repository, package, cached
 * upstream metadata). A file another process replaced is still seen by the very next request,
 * because that process appended to the marker before it returned (see sampleThisTurn).
 *
 * A process that never samples (a one-shot CLI command) keeps checking each file as it reads it.
 */
import { closeSync, fstatSync, openSync, promises as fs, type Stats } from 'node:fs';
import path from 'node:path';

export const CHANGE_MARKER_FILE = 'changes';

export class ChangeMarker {
  private readonly file: string;
  private lastSeen: string | undefined;
  /**
   * Advances whenever a sample finds the marker changed, or this process writes. Undefined
   * until the first sample: until then no cached file may be trusted without a stat.
   */
  private current: number | undefined;
  private fd: number | undefined;
  private sampledThisTurn = false;
  private readonly endTurn = (): void => {
    this.sampledThisTurn = false;
  };

  constructor(root: string) {
    this.file = path.join(root, CHANGE_MARKER_FILE);
  }

  /** The epoch cached files were last checked against, or undefined when not sampling. */
  get epoch(): number | undefined {
    return this.current;
  }

  /** Looks at the marker; starts a new epoch when another process has changed an index since. */
  sample(): void {
    const stat = this.statMarker();
    const seen = stat ? `${stat.ino}:${stat.size}:${stat.mtimeMs}` : 'absent';
    if (seen !== this.lastSeen || this.current === undefined) {
      this.lastSeen = seen;
      this.current = (this.current ?? 0) + 1;
    }
  }

  /**
   * sample(), at most once per turn of the event loop: the stat is a system call, and under
   * load a turn handles many requests. This stays as fresh as a sample per request for every
   * client that waits for an answer before it asks again (npm, pip, Maven, every client here):
   * a turn's requests are those whose sockets the poll found readable, so their bytes arrived
   * before the poll returned, and the sample taken at the first of them comes after that. A
   * change finished before such a request was sent is therefore in the sample. The flag is
   * cleared in the check phase, right after the poll phase that handles requests.
   */
  sampleThisTurn(): void {
    if (this.sampledThisTurn) return;
    this.sample();
    this.sampledThisTurn = true;
    setImmediate(this.endTurn);
  }

  /**
   * The marker's stat through a descriptor kept open: half the cost of a stat by path, and on
   * every request. Writers only ever append, so the open file is the marker; should it be
   * removed or replaced all the same (its link count drops to 0), it is opened anew by path.
   */
  private statMarker(): Stats | undefined {
    if (this.fd !== undefined) {
      const stat = fstatSync(this.fd);
      if (stat.nlink > 0) return stat;
      this.close();
    }
    try {
      this.fd = openSync(this.file, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    return fstatSync(this.fd);
  }

  /** Lets go of the open marker (a stopping server); a later sample opens it again. */
  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }

  /** Called after an index file was replaced or removed, so every sampling process sees it. */
  async recordChange(): Promise<void> {
    // This process's own caches must not wait for its next sample.
    if (this.current !== undefined) this.current += 1;
    // On the thread pool: growing a file updates its inode, which can wait for the journal
    // while other writes flush, and the event loop must not wait with it.
    await fs.appendFile(this.file, '.');
  }
}
