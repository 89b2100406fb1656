/**
 * A request body written to the root's tmp/ as it arrives, with a size cap, so a large upload
 * is never held in memory; the caller reads and checks the file and only then stores it. The
 * file name carries the process id, so a server stopped mid-upload removes it when it closes.
 *
 * The body is read with listeners, not piped: a pipe destroys the request when the cap is hit,
 * and the client then sees a reset connection instead of the 413 and its message. Here the rest
 * of an oversized body is left to the error answer, which drains it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, promises as fs, type WriteStream } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { ValidationError, type ArtifactError } from '../errors.js';
import { refuseDeclaredOver } from './body.js';

export interface StagedBody {
  file: string;
  size: number;
  sha256: string;
  /** Removes the file; safe to call whatever happened. */
  discard(): Promise<void>;
}

/** Stages the body; `tooLarge` makes the error for one over `maxBytes` (declared or counted). */
export async function stageRequestBody(req: IncomingMessage, root: string, name: string, maxBytes: number, tooLarge: () => ArtifactError): Promise<StagedBody> {
  refuseDeclaredOver(req, maxBytes, tooLarge);
  const dir = path.join(root, 'tmp');
  await fs.mkdir(dir, { recursive: true });
  const file = path.join(dir, `${name}-${process.pid}-${randomBytes(8).toString('hex')}.body`);
  const discard = () => fs.rm(file, { force: true });
  const out = createWriteStream(file, { flags: 'wx', mode: 0o600 });
  // receive() reports the stream's errors while it runs; after that, a write still in flight when
  // a refused body destroys the stream fails once more, and an unheard 'error' would end the server.
  out.on('error', () => undefined);
  try {
    const { size, sha256 } = await receive(req, out, maxBytes, tooLarge);
    return { file, size, sha256, discard };
  } catch (error) {
    out.destroy();
    // A refusal may come before the file is even open: removed then, the open would make it again.
    if (!out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve()));
    await discard();
    throw error;
  }
}

function receive(req: IncomingMessage, out: WriteStream, maxBytes: number, tooLarge: () => ArtifactError): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  return new Promise((resolve, reject) => {
    const finish = (error?: Error) => {
      req.off('data', onData).off('end', onEnd).off('error', onCut).off('close', onClose);
      out.off('error', finish).off('drain', onDrain);
      if (error) return reject(error);
      out.end((error?: Error | null) => (error ? reject(error) : resolve({ size, sha256: hash.digest('hex') })));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) return finish(tooLarge());
      hash.update(chunk);
      // The disk is slower than the network now and then: wait for it instead of buffering.
      if (!out.write(chunk)) req.pause();
    };
    const onDrain = () => req.resume();
    const onEnd = () => finish();
    const onCut = (error: Error) => finish(new ValidationError('The request body was cut off before it ended.', { cause: error }));
    const onClose = () => {
      if (!req.complete) finish(new ValidationError('The request body was cut off before it ended.'));
    };
    req.on('data', onData).on('end', onEnd).on('error', onCut).on('close', onClose);
    out.on('error', finish).on('drain', onDrain);
    req.resume();
  });
}
