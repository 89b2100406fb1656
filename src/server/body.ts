/** Reads a request body into memory, refusing bodies over the configured limit. */
import type { IncomingMessage } from 'node:http';
import { ArtifactError, PayloadTooLargeError, ValidationError } from '../errors.js';

export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(`The request body is ${declared} bytes; the limit is ${maxBytes}.`);
  // Listeners rather than for-await: leaving a for-await loop early destroys the request, and with
  // it the socket, so a client still sending an oversized body got a reset instead of our 413.
  // Here the rest of the body is left to the error response, which drains it.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (error?: ArtifactError) => {
      req.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
      if (error) reject(error);
      else resolve(Buffer.concat(chunks, size));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) finish(tooLarge(`The request body is larger than the limit of ${maxBytes} bytes.`));
      else chunks.push(chunk);
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

export async function readJsonBody<T>(req: IncomingMessage, maxBytes: number): Promise<T> {
  const body = await readBody(req, maxBytes);
  try {
    return JSON.parse(body.toString('utf8')) as T;
  } catch {
    throw new ValidationError('The request body is not valid JSON.');
  }
}
