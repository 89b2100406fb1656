/**
 * How Ruby clients are told what went wrong: `gem` prints the body of a failed push or yank as
 * it is, Bundler shows the status, so errors are one or two lines of plain text. An invalid gem
 * is answered 422, as the reference server does, instead of the generic 400.
 */
import { ValidationError, type ArtifactError } from '../../errors.js';
import type { RequestContext } from '../../server/route.js';
import { endAfterBody } from '../../server/answer-before-body.js';
import { errorToTell } from '../../server/store-failure-log.js';
import type { ErrorBody } from '../format.js';

export function renderRubyError(error: ArtifactError): ErrorBody {
  return { contentType: 'text/plain; charset=utf-8', body: `${error.message}${error.hint ? `\n${error.hint}` : ''}\n` };
}

/** Answers a failed write (a store's failure too, in words); other errors that are not ours go to the server's handler as 500s. */
export function sendWriteError(context: RequestContext, error: unknown): void {
  const { req, res } = context;
  // A full or read-only store is told here too: it is no bug, and the client needs its words.
  const artifactError = errorToTell(context, error);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = Buffer.from(renderRubyError(artifactError).body);
  const status = artifactError instanceof ValidationError ? 422 : artifactError.httpStatus;
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': body.length, 'cache-control': 'no-store' });
  endAfterBody(req, res, body);
}

export function sendWriteOk(context: RequestContext, message: string): void {
  const body = Buffer.from(message);
  context.res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': body.length, 'cache-control': 'no-store' });
  context.res.end(body);
}
