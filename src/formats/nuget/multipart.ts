/**
 * The push body: multipart/form-data whose file part is the .nupkg (the client names it
 * "package"/"package.nupkg", others name it anything). The part is handed on as a stream, so the
 * parser never holds the upload in memory.
 */
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import { ArtifactError, PayloadTooLargeError, ValidationError } from '../../errors.js';
import { refuseDeclaredOver } from '../../server/body.js';

// Room for boundaries and part headers around the file when judging a declared length.
const ENVELOPE_ALLOWANCE = 64 * 1024;

function tooLarge(maxBytes: number): PayloadTooLargeError {
  return new PayloadTooLargeError(`The package is larger than this server's limit of ${maxBytes} bytes.`, {
    hint: 'Raise server.maxUploadBytes in the artifact-cli config file if packages this large are expected.',
  });
}

function malformed(reason: string): ValidationError {
  return new ValidationError(`The push body is not usable multipart/form-data: ${reason}.`, {
    hint: 'Push with `dotnet nuget push` or `nuget push`, which send the .nupkg as a multipart file part.',
  });
}

/** The push's 413 for a declared length that cannot hold a package of at most `maxBytes`. */
export function refuseOversizePush(req: IncomingMessage, maxBytes: number): void {
  refuseDeclaredOver(req, maxBytes + ENVELOPE_ALLOWANCE, () => tooLarge(maxBytes));
}

/**
 * Passes the first file part of the request body to `consume`, which must read it to the end
 * and enforce `maxBytes` (throwing PayloadTooLargeError). Resolves once the body is fully read.
 */
export function receiveMultipartFile<T>(req: IncomingMessage, maxBytes: number, consume: (file: Readable) => Promise<T>): Promise<T> {
  const contentType = req.headers['content-type'] ?? '';
  if (!/^multipart\/form-data\s*;/i.test(contentType)) {
    throw malformed(`the Content-Type is ${JSON.stringify(contentType.slice(0, 80) || 'missing')}, not multipart/form-data`);
  }
  refuseOversizePush(req, maxBytes);

  let parser: busboy.Busboy;
  try {
    // One file; a few small fields at most (nothing reads them), so a body of fields stays cheap.
    parser = busboy({ headers: req.headers, limits: { files: 1, fields: 16, fieldSize: 16 * 1024, parts: 32, headerPairs: 32 } });
  } catch (error) {
    throw malformed((error as Error).message);
  }

  return new Promise<T>((resolve, reject) => {
    let stored: Promise<T> | undefined;
    let settled = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      // Stop feeding the parser; the server drains the rest of the body before it answers.
      req.unpipe(parser);
      parser.destroy();
      // Destroying the parser ends the file stream; wait until `consume` has let go of it, so the
      // caller can clean up after it.
      void (stored ?? Promise.resolve()).then(
        () => reject(error),
        () => reject(error),
      );
    };

    parser.on('file', (_name, stream) => {
      let streamError: Error | undefined;
      stream.on('error', (error) => (streamError = error));
      stored = consume(stream).catch((error: unknown) => {
        if (error instanceof PayloadTooLargeError) throw tooLarge(maxBytes);
        if (error instanceof ArtifactError || !streamError) throw error;
        throw malformed(streamError.message.toLowerCase().replace(/\.$/, ''));
      });
      stored.catch(fail);
    });
    parser.on('error', (error: Error) => fail(malformed(error.message.toLowerCase().replace(/\.$/, ''))));
    parser.on('close', () => {
      if (!stored) {
        fail(malformed('it has no file part; send the .nupkg as a file'));
        return;
      }
      stored.then((result) => {
        if (settled) return;
        settled = true;
        resolve(result);
      }, fail);
    });
    req.on('close', () => {
      if (!req.complete) fail(malformed('the upload was cut off before it ended'));
    });
    req.pipe(parser);
  });
}
