/**
 * Answers to repeated reads, kept until an index changes. Installs ask for the same packuments
 * and tarballs over and over; working out each answer means walking the upstream chain,
 * consulting origin controls, package groups and cached upstream metadata. A route whose
 * answer depends only on the indexes (and on upstream metadata that is still fresh) hands it
 * here, and the next identical request is answered at once.
 *
 * Every request still proves its token and passes the permissions policies: only the work
 * after the door is skipped. An entry is keyed by what the answer depends on (the raw URL, the
 * Accept header that picks the npm form, the Host its URLs point back at). It dies with the
 * store's shared epoch, when this process changes the files of the package it is about, or
 * when upstream metadata it used goes stale (change-marker.ts). So the answers remembered for
 * the first packages of a cold install outlive the writes of the packages that follow, and a
 * repeated install finds them.
 *
 * A route that has just changed a package may work out again, at once, the answers about it
 * that the change ended (renew): a restore asks for a NuGet versions list and then downloads a
 * version it lists, and that download's write would otherwise leave every list of a cold
 * restore to be worked out again by the next restore.
 */
import type { IncomingMessage } from 'node:http';
import type { RepositoryAction } from '../core/policy-actions.js';
import type { Format } from '../formats/format.js';
import type { BlobResponse, RenderedBody, SendOptions } from './respond.js';

/** What a route may hand over: a rendered body, or a stored blob. */
export type ReusableResponse = { rendered: RenderedBody; options?: SendOptions } | { blob: BlobResponse };

export interface MemoEntry {
  format: Format;
  domain: string;
  repository: string;
  action: RepositoryAction;
  response: ReusableResponse;
  /** Milliseconds since 1970; Infinity when nothing time-limited went into the answer. */
  validUntil: number;
  /** The package the answer is about (packageScope): its own changes make the answer stale. '' for none. */
  about: string;
  /** The store's full epoch when the answer began to be worked out. */
  madeIn: number;
  /**
   * Credentials (token SHA-256) that passed the door for this answer, with when the pass ends:
   * the door memo's passes for this one repository and action, at hand without building its
   * key. They die with the entry, which dies with the epoch, as the door memo's do.
   */
  passes?: Map<string, number>;
}

// Enough for every packument and tarball of a large install. An entry keeps its rendered body
// alive, and its gzipped copy once one is made (blob bytes are bounded by their own cache), so
// both are counted and bounded too.
const MAX_ENTRIES = 10_000;
const MAX_BYTES = 64 * 1024 * 1024;
/**
 * What an entry costs besides its body (key, entry, headers built for it, door passes, the
 * Map slots), so that many tiny answers cannot hold far more than the budget. Measured: 1.6 KB
 * a rendered answer, 1.25 KB a blob one (bench/response-memo-overhead.mjs).
 */
export const MEMO_ENTRY_OVERHEAD_BYTES = 2048;
// Beyond this a URL is not worth remembering (and a client inventing long URLs cannot fill memory).
const MAX_KEY_LENGTH = 2048;

/** What the memo asks the change marker: when this process last changed a package's files. */
export interface PackageChanges {
  packageChangedAt(scope: string): number;
}

/** What renew puts into the remembered answers to a URL: a new answer and what it depends on. */
export interface Renewal {
  response: ReusableResponse;
  validUntil: number;
  /** The store's full epoch when the new answer began to be worked out. */
  madeIn: number;
}

export class ResponseMemo {
  private readonly entries = new Map<string, MemoEntry>();
  /** The keys remembered for each URL (one per Accept and Host), for renew. */
  private readonly keysByUrl = new Map<string, Set<string>>();
  private epoch: number | undefined;
  /** Bodies, their gzipped copies once made, plus each entry's overhead. */
  private bytes = 0;
  /**
   * Rendered bodies without a gzipped copy yet, with the keys of the entries holding them: the
   * copy is made when the first client that takes gzip is served, after the entry was counted.
   */
  private readonly awaitingGzip = new Map<RenderedBody, Set<string>>();
  private readonly countGzip = (rendered: RenderedBody): void => {
    const keys = this.awaitingGzip.get(rendered);
    if (!keys) return;
    this.awaitingGzip.delete(rendered);
    this.bytes += keys.size * rendered.gzippedBytes;
    this.evictUntilRoomFor(0);
  };

  /** `maxBytes`: the budget for bodies and entries together (tests make it small). */
  constructor(private readonly maxBytes = MAX_BYTES) {}

  /**
   * The remembered answer to this request, if neither the shared files (`epoch`, the shared
   * epoch) nor its package's have changed and it is still fresh.
   */
  find(req: IncomingMessage, epoch: number | undefined, now: number, changes: PackageChanges): MemoEntry | undefined {
    if (epoch === undefined) return undefined;
    if (epoch !== this.epoch) {
      this.clear();
      this.epoch = epoch;
      return undefined;
    }
    const key = keyOf(req);
    if (key === undefined) return undefined;
    const entry = this.entries.get(key);
    if (entry && (entry.validUntil <= now || changes.packageChangedAt(entry.about) > entry.madeIn)) {
      this.forget(key, entry);
      return undefined;
    }
    return entry;
  }

  /** Remembers an answer worked out in shared `epoch` (the one the request began in). */
  remember(req: IncomingMessage, epoch: number | undefined, entry: MemoEntry, changes: PackageChanges): void {
    if (epoch === undefined || (this.epoch !== undefined && epoch < this.epoch)) return;
    // Its package changed while the answer was being worked out: it may mix old and new.
    if (changes.packageChangedAt(entry.about) > entry.madeIn) return;
    const key = keyOf(req);
    if (key === undefined) return;
    // Epochs only grow: a newer one means everything remembered so far is void.
    if (epoch !== this.epoch) {
      this.clear();
      this.epoch = epoch;
    }
    this.insert(key, entry);
  }

  /**
   * Whether answers to `url` (whatever their Accept and Host) about the package `about` are
   * remembered, still fresh, and dead only because the package changed since they were made:
   * the ones renew would bring back.
   */
  outdatedByChange(url: string, about: string, now: number, changes: PackageChanges): boolean {
    const changedAt = changes.packageChangedAt(about);
    for (const key of this.keysByUrl.get(url) ?? []) {
      const entry = this.entries.get(key)!;
      if (entry.about === about && entry.validUntil > now && changedAt > entry.madeIn) return true;
    }
    return false;
  }

  /**
   * Replaces every remembered answer to `url` about `about` (whatever its Accept and Host) by
   * `renewal`, worked out in shared `epoch`: for an answer that depends on neither header, as
   * its route would work it out now. Nothing changes when the epoch moved on; a renewal the
   * package changed under while it was worked out is dropped by find, as any answer is.
   */
  renew(url: string, about: string, epoch: number | undefined, renewal: Renewal): void {
    if (epoch === undefined || epoch !== this.epoch) return;
    for (const key of [...(this.keysByUrl.get(url) ?? [])]) {
      const entry = this.entries.get(key)!;
      if (entry.about === about) this.insert(key, { ...entry, ...renewal });
    }
  }

  private insert(key: string, entry: MemoEntry): void {
    const previous = this.entries.get(key);
    if (previous) this.forget(key, previous);
    const rendered = renderedOf(entry);
    const cost = MEMO_ENTRY_OVERHEAD_BYTES + (rendered ? rendered.body.length + rendered.gzippedBytes : 0);
    this.evictUntilRoomFor(cost, 1);
    this.entries.set(key, entry);
    this.bytes += cost;
    if (rendered && rendered.gzippedBytes === 0) {
      const keys = this.awaitingGzip.get(rendered);
      if (keys) keys.add(key);
      else {
        this.awaitingGzip.set(rendered, new Set([key]));
        rendered.watchGzip(this.countGzip);
      }
    }
    const url = urlOfKey(key);
    const keys = this.keysByUrl.get(url);
    if (keys) keys.add(key);
    else this.keysByUrl.set(url, new Set([key]));
  }

  /** Oldest first out, until `cost` more bytes and `entries` more entries fit both bounds. */
  private evictUntilRoomFor(cost: number, entries = 0): void {
    while (this.entries.size > 0 && (this.entries.size + entries > MAX_ENTRIES || this.bytes + cost > this.maxBytes)) {
      const [oldestKey, oldest] = this.entries.entries().next().value as [string, MemoEntry];
      this.forget(oldestKey, oldest);
    }
  }

  private forget(key: string, entry: MemoEntry): void {
    this.entries.delete(key);
    const rendered = renderedOf(entry);
    let cost = MEMO_ENTRY_OVERHEAD_BYTES;
    if (rendered) {
      // Its gzipped copy was counted unless the entry still awaits it.
      const awaiting = this.awaitingGzip.get(rendered);
      const counted = !awaiting?.delete(key);
      if (awaiting?.size === 0) this.awaitingGzip.delete(rendered);
      cost += rendered.body.length + (counted ? rendered.gzippedBytes : 0);
    }
    this.bytes -= cost;
    const url = urlOfKey(key);
    const keys = this.keysByUrl.get(url);
    keys?.delete(key);
    if (keys?.size === 0) this.keysByUrl.delete(url);
  }

  private clear(): void {
    this.entries.clear();
    this.keysByUrl.clear();
    this.awaitingGzip.clear();
    this.bytes = 0;
  }
}

function renderedOf(entry: MemoEntry): RenderedBody | undefined {
  return 'rendered' in entry.response ? entry.response.rendered : undefined;
}

function urlOfKey(key: string): string {
  return key.slice(0, key.indexOf('\n'));
}

function keyOf(req: IncomingMessage): string | undefined {
  const url = req.url;
  if (!url || url.length > MAX_KEY_LENGTH || (req.method !== 'GET' && req.method !== 'HEAD')) return undefined;
  return `${url}\n${req.headers.accept ?? ''}\n${req.headers.host ?? ''}`;
}
