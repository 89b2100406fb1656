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
 */
import { appendFileSync, closeSync, constants, fstatSync, openSync, writeSync, type Stats } from 'node:fs';
import path from 'node:path';

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

export class ChangeMarker {
  private readonly file: string;
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

  constructor(root: string) {
    this.file = path.join(root, CHANGE_MARKER_FILE);
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
    // Synchronous underneath; a failed append still reaches the caller as a rejection.
    try {
      this.recordChangeNow(scope);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  private recordChangeNow(scope: 'file' | 'tree' | { package: string }): void {
    // This process's own caches must not wait for its next sample.
    if (this.current !== undefined) {
      this.current += 1;
      if (typeof scope === 'object') this.notePackageChange(scope.package, this.current);
      else if (this.shared !== undefined) this.shared += 1;
    }
    if (scope === 'tree' && this.foreign !== undefined) this.foreign += 1;
    if (this.current === undefined) {
      // Not sampling (a CLI command): one append, no descriptor kept.
      appendFileSync(this.file, '.');
      return;
    }
    this.appendThroughDescriptor();
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
