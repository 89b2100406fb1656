/**
 * Bodies with a fixed cap of their own (a checksum sidecar, a POM, maven-metadata.xml). Over
 * it, the 413 names that cap: the generic one tells the operator to raise
 * server.maxUploadBytes, which does not move a fixed cap.
 */
import type { IncomingMessage } from 'node:http';
import { PayloadTooLargeError } from '../../errors.js';
import { readBody, refuseDeclaredOver } from '../../server/body.js';

export async function readCappedBody(req: IncomingMessage, cap: number, what: string): Promise<Buffer> {
  const overCap = () =>
    new PayloadTooLargeError(`${what} may be at most ${cap} bytes; this one is larger.`, {
      hint: 'This limit is fixed; it does not follow server.maxUploadBytes.',
    });
  refuseDeclaredOver(req, cap, overCap);
  try {
    return await readBody(req, cap);
  } catch (error) {
    // A chunked body found over the cap while it streams (a busy server's 413 stays as it is).
    if (error instanceof PayloadTooLargeError && error.message.includes(`limit of ${cap} bytes`)) throw overCap();
    throw error;
  }
}
