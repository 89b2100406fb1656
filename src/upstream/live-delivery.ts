/**
 * Hands a cold download's bytes to the client that asked while they are still arriving from
 * the upstream, instead of after they are stored. The request opens a LiveDelivery around the
 * work that may fetch and hands it down (RequestContext.live); the first download started with
 * it (fetch-asset.ts) claims it and feeds it. It is passed by hand rather than through
 * AsyncLocalStorage, whose promise hooks would cost every request of the server on Node 20. The bytes stay untrusted until the whole file matched its announced digest and was
 * recorded, so the last byte is held back until then: a file that fails ends in a destroyed stream, and the
 * client sees a broken transfer, never a complete wrong file.
 */
import { Readable } from 'node:stream';

// A client reading slower than the upstream sends would make the server hold the difference;
// past this it is cut off (it retries and finds the file stored) rather than buffered further.
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

export interface LiveStream {
  stream: Readable;
  /** The upstream's Content-Length, when it sent one. */
  size: number | undefined;
}

/**
 * What the downloading side calls: begin, push…, and fail when the file is not good. A failed
 * feed sends nothing more and ends in a broken transfer when the request's work settles, even
 * if that work goes on to succeed some other way.
 */
export interface LiveFeed {
  begin(size: number | undefined): void;
  push(chunk: Buffer): void;
  fail(error: unknown): void;
}

export class LiveDelivery {
  private claimed = false;
  private closed = false;
  private announce!: (live: LiveStream | undefined) => void;
  /** The live stream once a download began, or undefined when the work ended without one. */
  readonly started = new Promise<LiveStream | undefined>((resolve) => {
    this.announce = resolve;
  });

  private feed: Feed | undefined;

  /**
   * Runs the work that may download. The held-back last byte goes out only once the work as a
   * whole succeeded (the file stored and recorded), so a client whose download completed finds
   * the package there on its next request; a failure anywhere breaks the transfer instead.
   */
  run<T>(work: () => Promise<T>): Promise<T> {
    const result = work();
    // Settled only once every download this work shared has let go of its failure: a client
    // that retries after seeing its transfer break then starts afresh rather than joining it.
    result.then(
      () => this.feed?.succeed(),
      (error: unknown) => this.feed?.abort(error),
    );
    return result.finally(() => {
      this.closed = true;
      this.announce(undefined);
    });
  }

  /** The feed, once: the first download started for the request takes it; undefined after the work ended. */
  claim(): LiveFeed | undefined {
    if (this.claimed || this.closed) return undefined;
    this.claimed = true;
    this.feed = new Feed(this.announce);
    return this.feed;
  }
}

class Feed implements LiveFeed {
  private readonly stream = new Readable({ read() {} });
  private held: Buffer | undefined;
  private failed: Error | undefined;

  constructor(private readonly announce: (live: LiveStream) => void) {
    // Whoever reads the stream reports its errors; until then this keeps one from going unheard.
    this.stream.on('error', () => undefined);
  }

  begin(size: number | undefined): void {
    this.announce({ stream: this.stream, size });
  }

  push(chunk: Buffer): void {
    if (this.failed || this.stream.destroyed || chunk.length === 0) return;
    // Only the last byte so far waits: the client gets everything else as soon as it comes.
    if (this.held) this.stream.push(this.held);
    if (chunk.length > 1) this.stream.push(chunk.subarray(0, -1));
    this.held = chunk.subarray(-1);
    if (this.stream.readableLength > MAX_BUFFERED_BYTES) this.stream.destroy(new Error('The client reads too slowly to be fed live.'));
  }

  succeed(): void {
    if (this.failed) return this.abort(this.failed);
    if (this.stream.destroyed) return;
    if (this.held) this.stream.push(this.held);
    this.held = undefined;
    this.stream.push(null);
  }

  fail(error: unknown): void {
    this.held = undefined;
    this.failed ??= error instanceof Error ? error : new Error(String(error));
  }

  abort(error: unknown): void {
    this.held = undefined;
    this.stream.destroy(this.failed ?? (error instanceof Error ? error : new Error(String(error))));
  }
}
