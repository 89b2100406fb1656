/** Reads a request body into memory, refusing bodies over the configured limit. */
import type { IncomingMessage } from 'node:http';
import { StringDecoder } from 'node:string_decoder';
import { ArtifactError, PayloadTooLargeError, ValidationError } from '../errors.js';

export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  return receive(
    req,
    maxBytes,
    (chunk) => {
      chunks.push(chunk);
      size += chunk.length;
    },
    () => Buffer.concat(chunks, size),
  );
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
      if (size > maxBytes) finish(tooLarge(`The request body is larger than the limit of ${maxBytes} bytes.`));
      else take(chunk);
    };
    const onEnd = () => finish();
    // The client hung up or its connection broke mid-body ("aborted"): a bad request, not our failure.
    const onError = (error: Error) => finish(new ValidationError('The request body was cut off before it ended.', { cause: error }));
    const onClose = () => {
      if (!req.complete) finish(new ValidationError('The request body was cut off before it ended.'));
    };
    req.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
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
  return receive(req, maxBytes, (chunk) => parts.push(decoder.write(chunk)), () => parts.join('') + decoder.end());
}
