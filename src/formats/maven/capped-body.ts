/**
 * Bodies with a fixed cap of their own (a checksum sidecar, a POM, maven-metadata.xml). Over
 * it, the 413 names that cap: the generic one tells the operator to raise
 * server.maxUploadBytes, which does not move a fixed cap.
 */
import type { IncomingMessage } from 'node:http';
import { PayloadTooLargeError } from '../../errors.js';
import { readBody } from '../../server/body.js';

export function readCappedBody(req: IncomingMessage, cap: number, what: string): Promise<Buffer> {
  return readBody(
    req,
    cap,
    () =>
      new PayloadTooLargeError(`${what} may be at most ${cap} bytes; this one is larger.`, {
        hint: 'This limit is fixed; it does not follow server.maxUploadBytes.',
      }),
  );
}
