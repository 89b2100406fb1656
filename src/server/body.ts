/** Reads a request body into memory, refusing bodies over the configured limit. */
import type { IncomingMessage } from 'node:http';
import { ArtifactError, PayloadTooLargeError, ValidationError } from '../errors.js';

export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    throw new PayloadTooLargeError(`The request body is ${declared} bytes; the limit is ${maxBytes}.`, {
      hint: 'Raise server.maxUploadBytes in the config file if this upload is expected.',
    });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes) {
        throw new PayloadTooLargeError(`The request body is larger than the limit of ${maxBytes} bytes.`, {
          hint: 'Raise server.maxUploadBytes in the config file if this upload is expected.',
        });
      }
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof ArtifactError) throw error;
    // The client hung up or its connection broke mid-body ("aborted"): a bad request, not our failure.
    throw new ValidationError('The request body was cut off before it ended.', { cause: error });
  }
  return Buffer.concat(chunks, size);
}

export async function readJsonBody<T>(req: IncomingMessage, maxBytes: number): Promise<T> {
  const body = await readBody(req, maxBytes);
  try {
    return JSON.parse(body.toString('utf8')) as T;
  } catch {
    throw new ValidationError('The request body is not valid JSON.');
  }
}
