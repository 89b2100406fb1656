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
 * Three epochs come out of it:
 * - `epoch` advances on every index change, this process's own included.
 * - `sharedEpoch` advances on every change but this process's own writes of one package's
 *   files (its index in a repository, its cached upstream metadata). Those advance that
 *   package's generation instead (`packageChangedAt`). The server's remembered answers for a
 *   package depend on that package's files and on shared ones (repositories, tokens, policies,
 *   package groups): they die with the shared epoch or with their package's generation, so a
 *   cold install, which writes every package once, does not wipe the answers for the packages
 *   written before. The remembered passes through the door die with the shared epoch.
 * - `foreignEpoch` advances only on changes this marker did not record itself. A file this
 *   process writes is put right in its caches as it is written (FsIndexStore.update forgets
 *   it, the metadata cache seeds it), so its own writes need not make it stat every other file
 *   again. Under a cold install the server writes an index or two for every package; without
 *   this, each of those writes cost every later request a dozen stats. A write that removes a
 *   whole directory (a repository or domain deleted) is recorded as foreign all the same.
 *
 * The server's own appends go through the descriptor it samples, synchronously: then no append
 * is ever in flight when it samples, and the marker's size is exactly what it saw last plus
 * what it wrote since, unless another process wrote too.
 *
 * A process that never samples (a one-shot CLI command) keeps checking each file as it reads it.
 *
 * An append that fails (a full disk, an I/O error) does not fail the write it was for: that write
 * has landed. The marker is replaced by an empty file instead (no data block needed), whose new
 * inode every sampler notices; failing that too, the change is held back and the next append
 * that succeeds carries it, since readers forget everything at any change of size. A sampling
 * process retries at every sample. docs/store-failures.md has the whole decision.
 */
import { appendFileSync, closeSync, constants, fstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync, type Stats } from 'node:fs';
import path from 'node:path';
import { randomHex } from '../core/node-crypto.js';

export const CHANGE_MARKER_FILE = 'changes';

// Packages whose own changes are told apart (see notePackageChange).
const MAX_PACKAGE_CHANGES = 100_000;

/**
 * The name of one package's files for recordChange and packageChangedAt: a change to the
 * package in any repository of the domain, whatever the repository, touches every answer about
 * it there, since repositories read each other through their upstreams.
 */
export function packageScope(key: { domain: string; format: string; namespace?: string; name: string }): string {
  return `${key.domain}\n${key.format}\n${key.namespace ?? ''}\n${key.name}`;
}

// Read and append, never create: a server sampling an empty root leaves no file behind.
const OPEN_EXISTING = constants.O_RDWR | constants.O_APPEND;

const MARKED_AGAIN = 'index changes are marked again: other processes on this root now see the ones held back.';

/** Hears, in words for an operator, that changes could not be marked or are marked again. */
export type MarkerWarning = (message: string) => void;

export class ChangeMarker {
  private readonly file: string;
  private readonly root: string;
  /**
   * While appends fail: 'replaced' when each change was still marked by a new empty file,
   * 'held' when one could not be marked at all and waits for the next append that succeeds.
   */
  private trouble: 'replaced' | 'held' | undefined;
  /** The marker as the last sample found it, plus the bytes this process appended since. */
  private baseline: { ino: number; size: number } | undefined;
  private appendedSinceSample = 0;
  /**
   * Advances whenever a sample finds the marker changed, or this process writes. Undefined
   * until the first sample: until then no cached file may be trusted without a stat.
   */
  private current: number | undefined;
  private shared: number | undefined;
  private foreign: number | undefined;
  /** For each package this process changed (packageScope), the `epoch` its last change started. */
  private readonly packageChanges = new Map<string, number>();
  private fd: number | undefined;
  private sampledThisTurn = false;
  private readonly endTurn = (): void => {
    this.sampledThisTurn = false;
  };

  constructor(
    root: string,
    private warn: MarkerWarning = () => undefined,
  ) {
    this.root = root;
    this.file = path.join(root, CHANGE_MARKER_FILE);
  }

  /** Where failures to mark a change are told from now on (a server's log). */
  warnTo(warn: MarkerWarning): void {
    this.warn = warn;
  }

  /** Advances on every index change; undefined when not sampling. */
  get epoch(): number | undefined {
    return this.current;
  }

  /** Advances on every index change but this process's own writes of a package's files; undefined when not sampling. */
  get sharedEpoch(): number | undefined {
    return this.shared;
  }

  /**
   * The `epoch` at which this process last changed the files of the package `scope` names
   * (packageScope), or 0: an answer about that package worked out in an earlier epoch is stale.
   */
  packageChangedAt(scope: string): number {
    return this.packageChanges.get(scope) ?? 0;
  }

  /** The packages (packageScope) this process changed after `epoch`. */
  packagesChangedSince(epoch: number): string[] {
    const changed: string[] = [];
    for (const [scope, at] of this.packageChanges) if (at > epoch) changed.push(scope);
    return changed;
  }

  /** Advances on index changes other than this marker's own file writes; undefined when not sampling. */
  get foreignEpoch(): number | undefined {
    return this.foreign;
  }

  /** Looks at the marker; starts new epochs when another process has changed an index since. */
  sample(): void {
    const stat = this.statMarker();
    const ino = stat?.ino ?? -1;
    const size = stat?.size ?? 0;
    const onlyOwn = this.baseline !== undefined && this.baseline.ino === ino && this.baseline.size + this.appendedSinceSample === size;
    if (!onlyOwn || this.current === undefined || this.shared === undefined || this.foreign === undefined) {
      this.current = (this.current ?? 0) + 1;
      this.shared = (this.shared ?? 0) + 1;
      this.foreign = (this.foreign ?? 0) + 1;
    }
    this.baseline = { ino, size };
    this.appendedSinceSample = 0;
    // A change held back by a failed append is marked as soon as the disk takes it.
    if (this.trouble === 'held') this.mark();
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
   * The marker's stat through a descriptor kept open: half the cost of a stat by path. Writers
   * only ever append, so the open file is the marker; should it be removed or replaced all the
   * same (its link count drops to 0), it is opened anew by path.
   */
  private statMarker(): Stats | undefined {
    if (this.fd !== undefined) {
      const stat = fstatSync(this.fd);
      if (stat.nlink > 0) return stat;
      this.close();
    }
    try {
      this.fd = openSync(this.file, OPEN_EXISTING);
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

  /**
   * Called after an index file was replaced or removed, so every sampling process sees it.
   * `tree`: a whole directory went (a repository or domain), which this process's caches have
   * not been told about file by file, so they must look at every file again too.
   * `{ package }`: the file was one of that package's (packageScope), and nothing else.
   */
  recordChange(scope: 'file' | 'tree' | { package: string } = 'file'): Promise<void> {
    // Synchronous underneath. Never rejects: the change it marks has landed (see mark).
    this.recordChangeNow(scope);
    return Promise.resolve();
  }

  private recordChangeNow(scope: 'file' | 'tree' | { package: string }): void {
    // This process's own caches must not wait for its next sample.
    if (this.current !== undefined) {
      this.current += 1;
      if (typeof scope === 'object') this.notePackageChange(scope.package, this.current);
      else if (this.shared !== undefined) this.shared += 1;
    }
    if (scope === 'tree' && this.foreign !== undefined) this.foreign += 1;
    this.mark();
  }

  /**
   * Appends this process's byte. Its caller's index write has landed, so a failure here must
   * not fail it (its client would retry a publish that is stored, and meet a conflict): the
   * marker is replaced instead, or the change held back for the next append that succeeds.
   */
  private mark(): void {
    try {
      this.append();
    } catch (error) {
      this.markDespite(error as Error);
      return;
    }
    if (this.trouble === 'held') this.warn(MARKED_AGAIN);
    this.trouble = undefined;
  }

  private append(): void {
    if (this.current === undefined) {
      // Not sampling (a CLI command): one append, no descriptor kept.
      appendFileSync(this.file, '.');
      return;
    }
    this.appendThroughDescriptor();
  }

  private markDespite(appendError: Error): void {
    try {
      this.replaceWithEmptyFile();
    } catch (replaceError) {
      if (this.trouble !== 'held') {
        this.warn(
          `could not mark an index change in ${this.file} (${appendError.message}; replacing it: ${(replaceError as Error).message}). ` +
            'The change is stored; other processes on this root may serve what they remembered until the next change is marked.',
        );
      }
      this.trouble = 'held';
      return;
    }
    if (this.trouble === undefined) {
      this.warn(`could not append to ${this.file} (${appendError.message}); replaced it with an empty file so that other processes still see the change.`);
    } else if (this.trouble === 'held') {
      this.warn(MARKED_AGAIN);
    }
    this.trouble = 'replaced';
  }

  /**
   * A new, empty marker renamed over the old one: it needs an inode but no data block, and its
   * new inode tells every sampler that something changed (its size alone could come back to
   * what a sampler last saw; an inode in use by an open descriptor cannot).
   */
  private replaceWithEmptyFile(): void {
    const tmpDir = path.join(this.root, 'tmp');
    mkdirSync(tmpDir, { recursive: true });
    const fresh = path.join(tmpDir, `changes-${process.pid}-${randomHex(4)}`);
    closeSync(openSync(fresh, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644));
    try {
      renameSync(fresh, this.file);
    } catch (error) {
      rmSync(fresh, { force: true });
      throw error;
    }
    // Ours is no longer the marker; the next sample finds a new file and forgets everything once.
    this.close();
    this.baseline = undefined;
  }

  private notePackageChange(scope: string, epoch: number): void {
    // Bounded: past this many packages, forget them all and let everything go stale at once.
    if (this.packageChanges.size >= MAX_PACKAGE_CHANGES && !this.packageChanges.has(scope)) {
      this.packageChanges.clear();
      if (this.shared !== undefined) this.shared += 1;
    }
    this.packageChanges.set(scope, epoch);
  }

  private appendThroughDescriptor(): void {
    if (this.fd === undefined) {
      this.fd = openSync(this.file, OPEN_EXISTING | constants.O_CREAT, 0o644);
      // Created just now, or grown by others since the last sample: the next sample must not
      // mistake their bytes for ours.
      this.baseline = undefined;
    }
    writeSync(this.fd, '.');
    if (fstatSync(this.fd).nlink === 0) {
      // Someone removed the marker: the byte went to a file nobody else can open.
      this.close();
      appendFileSync(this.file, '.');
      this.baseline = undefined;
      return;
    }
    this.appendedSinceSample += 1;
  }
}
