/** Starts the HTTP server: one listener for every domain and repository under the root. */
import { promises as fs } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Config } from '../config/config.js';
import { loadFormats } from '../formats/registry.js';
import { redactRequestPath } from '../operations/tokens.js';
import { deferLockReleases, settleLockReleases } from '../store/lock.js';
import { smallBlobCacheOf } from '../store/small-blob-cache.js';
import { settleMetadataCache } from '../upstream/metadata-cache.js';
import type { Store } from '../store/store.js';
import { startTempFilePool, stopTempFilePool } from '../store/temp-file-pool.js';
import { answeredBeforeBody, drainBeforeClosing } from './answer-before-body.js';
import { createHandler } from './handler.js';
import type { ServerDeps } from './route.js';

export interface ServeOptions {
  store: Store;
  config: Config;
  log?: (line: string) => void;
  /** Give up on a client that has not sent all its headers in this time. */
  headersTimeoutMs?: number;
  /** Give up on a request (headers and body) that takes longer than this. */
  requestTimeoutMs?: number;
  /** Empty temp files and as many directories kept ready for writes (temp-file-pool.ts); 0 for none. */
  tempFilePoolSize?: number;
}

// About two files and two directories per package of a cold `npm ci` of a project of ~190 packages.
const DEFAULT_TEMP_FILE_POOL_SIZE = 384;

export interface RunningServer {
  url: string;
  server: Server;
  /** Stops taking connections, lets in-flight requests finish, removes this process's temp files. */
  close(graceMs?: number): Promise<void>;
}

// V8's default, times four: a function is optimized once it has run four times as much
// bytecode. Optimizing costs CPU that a burst of cold misses never earns back (docs/performance.md,
// "Where a cold NuGet restore's time goes"); code that stays hot is optimized all the same.
const INTERRUPT_BUDGET = 4 * 67_584;

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  setFlagsFromString(`--interrupt-budget=${INTERRUPT_BUDGET}`);
  const { store, config } = options;
  const stdoutLog = options.log ? undefined : batchedStdoutLog();
  const log = options.log ?? stdoutLog!.log;
  const deps: ServerDeps = { store, config, baseUrl: '', log, longRunning: true };
  // An index change the marker could not take is the operator's to hear, in the server's log.
  store.changes.warnTo((message) => log(`warning: ${message}`));
  const formats = await loadFormats();
  deferLockReleases();
  const handler = createHandler(deps, formats);
  // From now on small blobs stored by this process are kept in memory for the downloads that follow.
  smallBlobCacheOf(store.blobs);

  const headersTimeout = options.headersTimeoutMs ?? 30_000;
  const requestTimeout = options.requestTimeoutMs ?? 300_000;
  // Node only checks both timeouts every connectionsCheckingInterval (30 s by default), so a
  // short timeout needs a check at least that often to cut a slow client off in time.
  const connectionsCheckingInterval = Math.max(50, Math.min(30_000, Math.floor(Math.min(headersTimeout, requestTimeout) / 2)));
  // Set when the shutdown grace runs out: from then on an unfinished answer was cut off here.
  let cuttingOff = false;
  function logOnClose(this: ServerResponse): void {
    logRequest(log, this as TimedResponse, cuttingOff);
  }
  // Made before the listener so that every request can tell the pool to hold off refilling.
  const tmpDir = path.join(store.root, 'tmp');
  const pool = startTempFilePool(tmpDir, { size: options.tempFilePoolSize ?? DEFAULT_TEMP_FILE_POOL_SIZE });
  // One shared listener, no closure per request: the start time travels on the response.
  function track(res: ServerResponse): void {
    const startedAt = performance.now();
    (res as TimedResponse)[STARTED] = startedAt;
    pool.noteActivity(startedAt);
    res.on('close', logOnClose);
  }
  const server = createServer({ keepAlive: true, headersTimeout, requestTimeout, connectionsCheckingInterval }, (req, res) => {
    // A request that waited for 100 Continue is tracked from its first check (below).
    if (!(STARTED in res)) track(res);
    drainBeforeClosing(req, res);
    void handler.handle(req, res);
  });
  // A client waiting for 100 Continue (curl and cargo for large bodies, Maven's wagon) is told
  // "no" before it sends a body that would be refused; else the request goes on as any other.
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    track(res);
    void handler.beforeBody(req, res).then((goOn) => {
      if (!goOn) return;
      res.writeContinue();
      server.emit('request', req, res);
    });
  });
  server.keepAliveTimeout = 5_000;

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.server.port, config.server.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    // The port is taken or refused: nothing will use the pool, so it goes with what it made.
    await stopTempFilePool(tmpDir, { removeReady: true });
    throw error;
  }
  const address = server.address() as AddressInfo;
  // The port really bound (--port 0 picks one), for the check that no upstream URL leads back here.
  deps.config = { ...config, server: { ...config.server, port: address.port } };
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${address.port}`;
  deps.baseUrl = config.server.publicUrl?.replace(/\/$/, '') ?? url;

  let closing: Promise<void> | undefined;
  return {
    url,
    server,
    close(graceMs = 10_000) {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const timer = setTimeout(() => {
          cuttingOff = true;
          server.closeAllConnections();
        }, graceMs);
        await closed;
        clearTimeout(timer);
        // A refresh behind an answer may still be asking its registry, or writing what it got;
        // it gets the grace the connections got.
        await settleMetadataCache(deps, graceMs);
        store.changes.close();
        await stopTempFilePool(tmpDir);
        await settleLockReleases();
        await removeOwnTempFiles(store.root);
        // The last requests' lines before whatever the caller prints about stopping.
        stdoutLog?.flush();
      })();
      return closing;
    },
  };
}

/** Temp files carry the writer's pid; after shutdown ours are leftovers of cut-off uploads. */
async function removeOwnTempFiles(root: string): Promise<void> {
  const dir = path.join(root, 'tmp');
  const marker = `-${process.pid}-`;
  for (const name of await fs.readdir(dir).catch(() => [] as string[])) {
    // Pooled directories are empty; recursive only lets rm take them.
    if (name.includes(marker)) await fs.rm(path.join(dir, name), { recursive: true, force: true });
  }
}

const STARTED = Symbol('started');
type TimedResponse = ServerResponse & { [STARTED]: number };

/** One line per request: method, path (no query, tokens masked), status, time; never a header. */
function logRequest(log: (line: string) => void, res: TimedResponse, cuttingOff: boolean): void {
  const req = res.req;
  const ms = performance.now() - res[STARTED];
  // A response that never finished was cut off, by the client unless the server was closing
  // the connections left at the end of its shutdown grace; its statusCode would be a guess.
  // One written in full while the body was drained reached a client that hung up once it had it.
  const status =
    res.writableFinished || answeredBeforeBody(res) ? String(res.statusCode) : cuttingOff ? 'cut off by the server at shutdown' : 'closed by the client';
  const url = req.url ?? '';
  const query = url.indexOf('?');
  const pathOnly = query < 0 ? url : url.slice(0, query);
  // npm logout sends the token it revokes in the path, possibly percent-encoded.
  log(`${req.method} ${redactRequestPath(pathOnly)} ${status} ${ms.toFixed(1)}ms`);
}

// How long a request log line may wait to be written, and how many may wait at most.
const LOG_FLUSH_MS = 50;
const LOG_FLUSH_LINES = 1000;

/**
 * Request log lines go to stdout in batches, at most LOG_FLUSH_MS after the first of them,
 * not one write each: stdout is a file or a pipe, written synchronously, and a write to a file
 * updates its inode: once per event-loop turn, under load, that cost several per cent of the
 * tarball throughput. Lines still pending are written when the process exits.
 */
function batchedStdoutLog(): { log: (line: string) => void; flush: () => void } {
  let pending: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  const flush = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (pending.length === 0) return;
    const text = pending.join('');
    pending = [];
    // A reader that closed the log (serve | head) leaves nothing to write to.
    if (!process.stdout.destroyed) process.stdout.write(text);
  };
  process.once('exit', flush);
  const log = (line: string): void => {
    pending.push(`${line}\n`);
    if (pending.length >= LOG_FLUSH_LINES) flush();
    else timer ??= setTimeout(flush, LOG_FLUSH_MS).unref();
  };
  return { log, flush };
}
