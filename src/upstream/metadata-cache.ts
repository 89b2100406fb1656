/**
 * Metadata fetched from public registries, kept on disk beside the repository that holds the
 * external connection. Fresh entries are served as they are; older ones are revalidated with a
 * conditional request; when the registry is down, slow or broken the stale copy is served and
 * a warning is logged. Once a registry has stopped answering, stale copies are served at once
 * and refreshed behind the answer (registry-health.ts). Concurrent misses for one document
 * make one upstream request.
 */
import path from 'node:path';
import type { Config } from '../config/config.js';
import { DIRECTORY_SEGMENT_MAX, storedSegment } from '../core/names.js';
import { storeFailureOf, UpstreamError } from '../errors.js';
import { packageScope } from '../store/change-marker.js';
import { JsonFileCache } from '../store/json-file-cache.js';
import { writeCacheTextAtomic } from '../store/json-file.js';
import type { Store } from '../store/store.js';
import { readUpstreamText, redactUrl, upstreamGet } from './http-client.js';
import { keptDocumentProblem } from './document-checks.js';
import { RegistryHealth } from './registry-health.js';
import { SingleFlight } from './single-flight.js';
import { freezeInSlices, stringifyInSlices } from './slices.js';

// Public registries' metadata can be large (npm packuments of popular packages run to megabytes).
const MAX_METADATA_BYTES = 64 * 1024 * 1024;

export interface CachedDocument {
  url: string;
  fetchedAt: number;
  etag?: string;
  lastModified?: string;
  /** The parsed document, as the format's parse function returned it. */
  document: unknown;
}

export interface MetadataKey {
  domain: string;
  /** The repository holding the external connection. */
  repository: string;
  format: string;
  namespace?: string;
  name: string;
}

export interface MetadataRequest {
  key: MetadataKey;
  url: string;
  accept?: string;
  /**
   * Turns the body into the stored document; throws (or rejects) when the body is not what it
   * should be. Given the response's Content-Type for registries that answer in more than one form.
   */
  parse(text: string, contentType: string | undefined): unknown;
  /**
   * False when only this process needs the document, for now: a first download of one version
   * reads the registry's metadata for that version's digest, and what it keeps is the version
   * record. The document is then kept in memory only, until a request that does want it on
   * disk (a packument, sync) comes; writing a new file costs small VMs a new inode each.
   */
  persist?: boolean;
  /**
   * In a server, answer with a fresh document before its file is written: the write follows
   * behind (stopping the server waits for it). For small documents a client waits on in a row,
   * such as cargo's index files; the file is only a cache, so a crash loses nothing kept.
   */
  writeBehind?: boolean;
}

export interface MetadataCacheOptions {
  store: Store;
  config: Config;
  log: (line: string) => void;
  /**
   * A process that goes on after its answers (the server): a refresh may run behind an answer.
   * A one-shot command waits for its refreshes, since its process ends with its answer.
   */
  longRunning?: boolean;
  now?: () => number;
}

// Documents fetched for downloads and not yet written, by file; the oldest go first.
const MAX_UNSAVED = 2000;

export class MetadataCache {
  private readonly files: JsonFileCache;
  private readonly flights = new SingleFlight<CachedDocument | undefined>();
  private readonly unsaved = new Map<string, CachedDocument>();
  private readonly health = new RegistryHealth();
  /** Refreshes running behind answers already given, one per document. */
  private readonly behind = new SingleFlight<CachedDocument | undefined>();
  private readonly refreshesBehind = new Set<Promise<unknown>>();
  /** Documents answered with whose files are still being written (writeBehind), by file. */
  private readonly writing = new Map<string, { entry: CachedDocument; done: Promise<unknown> }>();

  constructor(private readonly options: MetadataCacheOptions) {
    this.files = new JsonFileCache(options.store.changes);
  }

  private fileOf(key: MetadataKey): string {
    const namespace = key.namespace === undefined ? '_' : storedSegment(key.namespace, DIRECTORY_SEGMENT_MAX);
    // Validated names only: the store's own path functions checked domain and repository.
    return path.join(
      this.options.store.root,
      'domains',
      key.domain,
      'repositories',
      key.repository,
      'external',
      key.format,
      namespace,
      `${storedSegment(key.name)}.json`,
    );
  }

  /** The document, or undefined when the registry says it does not exist (and nothing is cached). */
  async get(request: MetadataRequest): Promise<CachedDocument | undefined> {
    const file = this.fileOf(request.key);
    const document = await this.flights.run(file, () => this.load(file, request));
    // Kept in memory by a download, now wanted on disk: written once, by the first to come.
    if (document && request.persist !== false && this.unsaved.get(file) === document) {
      this.unsaved.delete(file);
      await this.writeOrKeep(file, document, request.key);
    }
    return document;
  }

  private async load(file: string, request: MetadataRequest): Promise<CachedDocument | undefined> {
    const { config, log } = this.options;
    const now = (this.options.now ?? Date.now)();
    const onDisk = await this.files.read<CachedDocument>(file).catch(() => undefined);
    // A document being written behind is newer than the file it replaces.
    const cached = this.writing.get(file)?.entry ?? onDisk ?? this.unsaved.get(file);
    if (cached && cached.url === request.url && now - cached.fetchedAt < config.upstream.metadataMaxAgeSeconds * 1000) return cached;
    if (config.offline) return cached;
    // A copy already on disk is kept current whoever asks.
    const persist = request.persist !== false || onDisk !== undefined;
    if (this.options.longRunning && cached && cached.url === request.url && this.health.inDoubt(request.url)) {
      this.refreshBehind(file, request, cached, now, persist);
      log(
        `warning: serving cached metadata for ${request.key.name}: the registry at ${new URL(request.url).origin} has not answered lately; asking it again in the background.`,
      );
      return cached;
    }
    try {
      return await this.refresh(file, request, cached?.url === request.url ? cached : undefined, now, persist);
    } catch (error) {
      if (!cached || !(error instanceof UpstreamError)) throw error;
      log(`warning: serving cached metadata for ${request.key.name}: ${error.message}`);
      return cached;
    }
  }

  private async refresh(
    file: string,
    request: MetadataRequest,
    cached: CachedDocument | undefined,
    now: number,
    persist: boolean,
  ): Promise<CachedDocument | undefined> {
    const headers: Record<string, string> = {};
    if (request.accept) headers.accept = request.accept;
    if (cached?.etag) headers['if-none-match'] = cached.etag;
    if (cached?.lastModified) headers['if-modified-since'] = cached.lastModified;
    let response;
    try {
      response = await upstreamGet({ url: request.url, headers, timeoutMs: this.options.config.upstream.timeoutMs });
    } catch (error) {
      this.health.failed(request.url);
      throw error;
    }
    this.health.answered(request.url);
    if (response.statusCode === 304 && cached) {
      await response.body.dump();
      const renewed = { ...cached, fetchedAt: now };
      return persist ? this.writeOrKeep(file, renewed, request.key) : this.keepUnsaved(file, renewed);
    }
    if (response.statusCode === 404 || response.statusCode === 410) {
      await response.body.dump();
      return undefined;
    }
    if (response.statusCode !== 200) {
      await response.body.dump();
      throw new UpstreamError(`The upstream registry answered ${response.statusCode} for ${redactUrl(request.url)}.`);
    }
    const text = await readUpstreamText(response, MAX_METADATA_BYTES, request.url);
    // Whatever goes wrong taking the answer in (a parse error, a RangeError from its depth)
    // is the registry's failure: the stale copy is served and the answer is not kept.
    let document: unknown;
    try {
      document = await request.parse(text, header(response.headers['content-type']));
    } catch (error) {
      throw new UpstreamError(`The upstream registry sent unusable metadata for ${redactUrl(request.url)}: ${(error as Error)?.message ?? String(error)}`, {
        cause: error,
      });
    }
    const problem = await keptDocumentProblem(document);
    if (problem) throw new UpstreamError(`The upstream registry sent unusable metadata for ${redactUrl(request.url)}: ${problem}.`);
    const entry: CachedDocument = {
      url: request.url,
      fetchedAt: now,
      etag: header(response.headers.etag),
      lastModified: header(response.headers['last-modified']),
      document,
    };
    if (!persist) return this.keepUnsaved(file, entry);
    if (request.writeBehind && this.options.longRunning) return this.writeBehind(file, entry, request.key);
    try {
      return await this.writeOrKeep(file, entry, request.key);
    } catch (error) {
      // The document cannot be serialized (the checks should have caught why): the registry's fault too.
      if (error instanceof RangeError || error instanceof TypeError)
        throw new UpstreamError(`The upstream registry sent metadata for ${redactUrl(request.url)} that cannot be kept: ${error.message}`, { cause: error });
      throw error;
    }
  }

  /**
   * Refreshes `cached` without anyone waiting for it. The registry's failures were warned of as
   * the stale copy went out; anything else (the cache file cannot be written) is logged here.
   */
  private refreshBehind(file: string, request: MetadataRequest, cached: CachedDocument, now: number, persist: boolean): void {
    const refreshing = this.behind
      .run(file, () => this.refresh(file, request, cached, now, persist))
      .catch((error: unknown) => {
        if (!(error instanceof UpstreamError))
          this.options.log(`warning: refreshing cached metadata for ${request.key.name} failed: ${(error as Error).message}`);
        return undefined;
      });
    this.refreshesBehind.add(refreshing);
    void refreshing.then(() => this.refreshesBehind.delete(refreshing));
  }

  /** Waits for the refreshes running behind answers (a stopping server, tests), for at most `maxMs`. */
  async settle(maxMs = Number.POSITIVE_INFINITY): Promise<void> {
    const deadline = performance.now() + maxMs;
    while (this.refreshesBehind.size > 0 && performance.now() < deadline) {
      let timer: NodeJS.Timeout | undefined;
      const timeUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, deadline - performance.now())));
      await Promise.race([Promise.all(this.refreshesBehind), timeUp]);
      clearTimeout(timer);
    }
  }

  /** Writes the entry's file after the answer; writes of one file follow each other. */
  private writeBehind(file: string, entry: CachedDocument, key: MetadataKey): CachedDocument {
    this.unsaved.delete(file);
    const before = this.writing.get(file)?.done ?? Promise.resolve();
    const done = before
      .then(() => this.write(file, entry, key))
      .catch((error: unknown) => this.options.log(`warning: keeping the metadata of ${key.name} on disk failed: ${(error as Error).message}`))
      .finally(() => {
        if (this.writing.get(file)?.entry === entry) this.writing.delete(file);
        this.refreshesBehind.delete(done);
      });
    this.writing.set(file, { entry, done });
    this.refreshesBehind.add(done);
    return entry;
  }

  private keepUnsaved(file: string, entry: CachedDocument): CachedDocument {
    this.unsaved.delete(file);
    if (this.unsaved.size >= MAX_UNSAVED) this.unsaved.delete(this.unsaved.keys().next().value as string);
    this.unsaved.set(file, entry);
    return entry;
  }

  /**
   * Writes the entry; when the store cannot be written (a full disk) it is kept in memory
   * instead, as an unsaved one: reads through the connection go on, and what they fetch fails
   * to be stored with the store's own error.
   */
  private async writeOrKeep(file: string, entry: CachedDocument, key: MetadataKey): Promise<CachedDocument> {
    try {
      return await this.write(file, entry, key);
    } catch (error) {
      const storeFailure = storeFailureOf(error);
      if (!storeFailure) throw error;
      this.options.log(`warning: the metadata of ${key.name} is served but not kept on disk: ${storeFailure.message}`);
      return this.keepUnsaved(file, entry);
    }
  }

  private async write(file: string, entry: CachedDocument, key: MetadataKey): Promise<CachedDocument> {
    this.unsaved.delete(file);
    // Serialized in slices: a big packument would otherwise hold the event loop a quarter second.
    // Into one of a running server's ready empty files: a new file is dear on some file systems (temp-file-pool.ts).
    await writeCacheTextAtomic(file, await stringifyInSlices(entry), path.join(this.options.store.root, 'tmp'));
    // The parsed form is at hand: the next read of this document (the tarball request that
    // follows a packument miss) must not parse it back from disk. Shared, so frozen first.
    await freezeInSlices(entry);
    this.files.seed(file, entry);
    // Only answers about this package depend on its upstream metadata.
    await this.options.store.changes.recordChange({ package: packageScope(key) });
    return entry;
  }
}

/** When a cached document stops being fresh; offline, kept documents never go stale. */
export function freshUntil(deps: Pick<MetadataCacheOptions, 'config'>, document: CachedDocument): number {
  if (deps.config.offline) return Number.POSITIVE_INFINITY;
  return document.fetchedAt + deps.config.upstream.metadataMaxAgeSeconds * 1000;
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

const cachesByDeps = new WeakMap<MetadataCacheOptions, MetadataCache>();

/** Waits (at most `maxMs`) for the refreshes a server's metadata cache runs behind its answers, if it has one. */
export async function settleMetadataCache(deps: MetadataCacheOptions, maxMs: number): Promise<void> {
  await cachesByDeps.get(deps)?.settle(maxMs);
}

/**
 * The one MetadataCache of a server (or CLI run), shared by every format, so single-flight
 * spans them all. Keyed by the dependencies object because it carries the config (offline).
 */
export function metadataCacheFor(deps: MetadataCacheOptions): MetadataCache {
  let cache = cachesByDeps.get(deps);
  if (!cache) {
    cache = new MetadataCache(deps);
    cachesByDeps.set(deps, cache);
  }
  return cache;
}
