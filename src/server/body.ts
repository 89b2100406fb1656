/**
 * Reads a request body into memory, refusing bodies over the route's limit; the bytes held at
 * once across requests are bounded by the body budget (body-budget.ts).
 */
import type { IncomingMessage } from 'node:http';
import { ArtifactError, PayloadTooLargeError, ValidationError } from '../errors.js';
import { bodyBudget } from './body-budget.js';
import { collectGarbage } from './collect-garbage.js';

/** `overLimit`: the 413 for a body over `maxBytes`, when the limit is the caller's own rather than server.maxUploadBytes. */
export async function readBody(req: IncomingMessage, maxBytes: number, overLimit?: () => ArtifactError): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  return kept(req, maxBytes, (take) =>
    receive(
      req,
      maxBytes,
      (chunk) => {
        take(chunk.length);
        chunks.push(chunk);
        size += chunk.length;
      },
      () => Buffer.concat(chunks, size),
      overLimit,
    ),
  );
}

/**
 * Reads a body only to be done with it (an audit request answered "no advisories"): each chunk
 * is dropped as it comes, so nothing is kept whatever its size, and it may be at most `maxBytes`.
 */
export function drainBody(req: IncomingMessage, maxBytes: number): Promise<void> {
  return receive(
    req,
    maxBytes,
    () => undefined,
    () => undefined,
  );
}

/**
 * Runs `read` with the body's bytes counted against the budget: a declared length is reserved
 * up front (waiting its turn), the rest is taken as it comes; all of it is released once the
 * body has been parsed and dropped by the caller, or as soon as reading fails.
 */
async function kept<T>(req: IncomingMessage, maxBytes: number, read: (take: (bytes: number) => void) => Promise<T>): Promise<T> {
  const declared = Number(req.headers['content-length']);
  const reserved = Number.isFinite(declared) && declared >= 0 && declared <= maxBytes ? declared : 0;
  if (reserved > 0) {
    // Paused while waiting: the socket's buffers, not this process, hold what the client sends meanwhile.
    req.pause();
    await bodyBudget.reserve(reserved);
    // The client may have given up while it waited; what it sent is gone with its request.
    if (req.destroyed) {
      bodyBudget.release(reserved);
      throw new ValidationError('The request body was cut off before it ended.');
    }
  }
  let taken = 0;
  try {
    return await read((bytes) => {
      if (taken + bytes <= reserved) {
        taken += bytes;
        return;
      }
      const extra = taken + bytes - Math.max(taken, reserved);
      if (!bodyBudget.tryTake(extra)) throw tooBusy();
      taken += bytes;
    });
  } finally {
    // What `read` kept is dropped once it resolves: readBody's caller parses synchronously, withJsonBody's use is inside.
    bodyBudget.release(Math.max(taken, reserved));
  }
}

function tooBusy(): PayloadTooLargeError {
  return new PayloadTooLargeError('The server is holding too many large request bodies at once to take this one; try again.', {
    hint: 'Send the body with a Content-Length header, and it waits its turn instead.',
  });
}

/** Feeds each chunk to `take` until the body ends (then resolves to `result()`) or breaks a rule. */
function receive<T>(req: IncomingMessage, maxBytes: number, take: (chunk: Buffer) => void, result: () => T, overLimit?: () => ArtifactError): Promise<T> {
  try {
    if (overLimit) refuseDeclaredOver(req, maxBytes, overLimit);
    else refuseDeclaredLength(req, maxBytes);
  } catch (error) {
    return Promise.reject(error);
  }
  // Listeners rather than for-await: leaving a for-await loop early destroys the request, and with
  // it the socket, so a client still sending an oversized body got a reset instead of our 413.
  // Here the rest of the body is left to the error response, which drains it.
  return new Promise((resolve, reject) => {
    let size = 0;
    const finish = (error?: ArtifactError) => {
      req.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
      if (error) reject(error);
      else resolve(result());
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) return finish(overLimit ? overLimit() : tooLarge(`The request body is larger than the limit of ${maxBytes} bytes.`));
      try {
        take(chunk);
      } catch (error) {
        finish(error as ArtifactError);
      }
    };
    const onEnd = () => finish();
    // The client hung up or its connection broke mid-body ("aborted"): a bad request, not our failure.
    const onError = (error: Error) => finish(new ValidationError('The request body was cut off before it ended.', { cause: error }));
    const onClose = () => {
      if (!req.complete) finish(new ValidationError('The request body was cut off before it ended.'));
    };
    req.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
    req.resume();
  });
}

/** Throws `tooLarge(declared)` when the request's Content-Length is over `maxBytes`, before any of the body is read. */
export function refuseDeclaredOver(req: IncomingMessage, maxBytes: number, tooLarge: (declared: number) => ArtifactError): void {
  const declared = Number(req.headers['content-length']);
  if (declared > maxBytes) throw tooLarge(declared);
}

/** Throws the 413 for a request whose Content-Length is over `maxBytes`, before any of the body is read. */
export function refuseDeclaredLength(req: IncomingMessage, maxBytes: number): void {
  refuseDeclaredOver(req, maxBytes, (declared) => tooLarge(`The request body is ${declared} bytes; the limit is ${maxBytes}.`));
}

function tooLarge(message: string): PayloadTooLargeError {
  return new PayloadTooLargeError(message, { hint: 'Raise server.maxUploadBytes in the config file if this upload is expected.' });
}

/** Parses a JSON body whose bytes are released as soon as it is parsed (small documents). */
export function readJsonBody<T>(req: IncomingMessage, maxBytes: number): Promise<T> {
  return withJsonBody<T, T>(req, maxBytes, (value) => Promise.resolve(value));
}

/**
 * Parses a JSON body and hands it to `use` (an npm publish), its bytes counted against the budget
 * until `use` is done: what a document costs is not only its bytes but their text and the values
 * parsed from them (a tarball's base64, then its bytes), and all of them live until `use` ends.
 * The bytes go into one buffer of the declared length, and are decoded once, at the end, one body
 * at a time: decoded as they came, every body in flight kept its text twice (pieces and joined).
 * After a large body, a collection gives its memory back at once: see docs/request-bodies.md.
 */
export async function withJsonBody<T, R>(req: IncomingMessage, maxBytes: number, use: (value: T) => Promise<R>): Promise<R> {
  let size = 0;
  try {
    return await kept(req, maxBytes, async (take) => {
      const bytes = await readInto(req, maxBytes, take);
      size = bytes.length;
      return use(parseJson<T>(bytes));
    });
  } finally {
    if (size >= COLLECT_AFTER_BYTES) collectGarbage();
  }
}

// Below this, what a body leaves behind is small enough for V8's own pace.
const COLLECT_AFTER_BYTES = 8 * 1024 * 1024;

function parseJson<T>(bytes: Buffer): T {
  try {
    return JSON.parse(bytes.toString('utf8')) as T;
  } catch {
    throw new ValidationError('The request body is not valid JSON.');
  }
}

/** The body in one buffer: allocated at its declared length up front, or joined from its chunks. */
function readInto(req: IncomingMessage, maxBytes: number, take: (bytes: number) => void): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  // HTTP ends a body at its declared length, so exactly that many bytes come (or an error).
  const whole = Number.isInteger(declared) && declared > 0 && declared <= maxBytes ? Buffer.allocUnsafeSlow(declared) : undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  return receive(
    req,
    maxBytes,
    (chunk) => {
      take(chunk.length);
      if (whole) chunk.copy(whole, size);
      else chunks.push(chunk);
      size += chunk.length;
    },
    () => (whole ? whole.subarray(0, size) : Buffer.concat(chunks, size)),
  );
}
