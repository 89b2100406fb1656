/**
 * Reads a request body into memory, refusing bodies over the route's limit; the bytes held at
 * once across requests are bounded by the body budget (body-budget.ts).
 */
import type { IncomingMessage } from 'node:http';
import { StringDecoder } from 'node:string_decoder';
import { ArtifactError, PayloadTooLargeError, ValidationError } from '../errors.js';
import { bodyBudget } from './body-budget.js';

export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
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
    // The caller's parse is synchronous after this resolves, so the bytes are dropped by the time another reservation needs them.
    bodyBudget.release(Math.max(taken, reserved));
  }
}

function tooBusy(): PayloadTooLargeError {
  return new PayloadTooLargeError('The server is holding too many large request bodies at once to take this one; try again.', {
    hint: 'Send the body with a Content-Length header, and it waits its turn instead.',
  });
}

/** Feeds each chunk to `take` until the body ends (then resolves to `result()`) or breaks a rule. */
function receive<T>(req: IncomingMessage, maxBytes: number, take: (chunk: Buffer) => void, result: () => T): Promise<T> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.reject(tooLarge(`The request body is ${declared} bytes; the limit is ${maxBytes}.`));
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
      if (size > maxBytes) return finish(tooLarge(`The request body is larger than the limit of ${maxBytes} bytes.`));
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

function tooLarge(message: string): PayloadTooLargeError {
  return new PayloadTooLargeError(message, { hint: 'Raise server.maxUploadBytes in the config file if this upload is expected.' });
}

/**
 * Parses a JSON body. The text is decoded chunk by chunk instead of joining the bytes first: an
 * npm publish carries its tarball in the body, and a buffer the size of the body would come from
 * malloc, whose arena keeps its high-water mark, while the text lives in V8's heap, which hands
 * its pages back once the server is idle.
 */
export async function readJsonBody<T>(req: IncomingMessage, maxBytes: number): Promise<T> {
  const text = await readBodyText(req, maxBytes);
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ValidationError('The request body is not valid JSON.');
  }
}

function readBodyText(req: IncomingMessage, maxBytes: number): Promise<string> {
  const decoder = new StringDecoder('utf8');
  const parts: string[] = [];
  return kept(req, maxBytes, (take) =>
    receive(
      req,
      maxBytes,
      (chunk) => {
        take(chunk.length);
        parts.push(decoder.write(chunk));
      },
      () => parts.join('') + decoder.end(),
    ),
  );
}
