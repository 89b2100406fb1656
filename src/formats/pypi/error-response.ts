/**
 * How PyPI clients are told what went wrong. pip shows only the status; twine shows the status
 * and the HTTP reason phrase (PyPI puts its message there, e.g. "400 File already exists"), so
 * upload answers carry the message in the reason phrase as well as in the body.
 */
import type { ArtifactError } from '../../errors.js';
import type { RequestContext } from '../../server/route.js';
import { scrubForClient } from '../../server/scrub-paths.js';
import { errorToTell } from '../../server/store-failure-log.js';
import { endAfterBody } from '../../server/answer-before-body.js';
import type { ErrorBody } from '../format.js';

// Reason phrases are one line of visible ASCII; long ones are cut so proxies keep them.
const MAX_REASON_CHARS = 300;

export function renderPypiError(error: ArtifactError): ErrorBody {
  return { contentType: 'text/plain; charset=utf-8', body: `${error.code}: ${error.message}${error.hint ? `\n${error.hint}` : ''}\n` };
}

export function reasonPhrase(message: string): string {
  const oneLine = message.replace(/[^\x20-\x7e]+/g, ' ').trim();
  return oneLine.length > MAX_REASON_CHARS ? `${oneLine.slice(0, MAX_REASON_CHARS - 3)}...` : oneLine;
}

/** Answers a failed upload (a store's failure too, in words); other errors that are not ours go to the server's handler as 500s. */
export function sendUploadError(context: RequestContext, error: unknown): void {
  const { req, res } = context;
  // A full or read-only store is told here too: it is no bug, and the client needs its words.
  const artifactError = errorToTell(context, error);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const rendered = renderPypiError(artifactError);
  const root = context.deps.store.root;
  const body = Buffer.from(scrubForClient(rendered.body, root, error));
  res.writeHead(artifactError.httpStatus, reasonPhrase(scrubForClient(artifactError.message, root, error)), {
    'content-type': rendered.contentType,
    'content-length': body.length,
    'cache-control': 'no-store',
  });
  endAfterBody(req, res, body);
}

export function sendUploadOk(context: RequestContext, message: string): void {
  const body = Buffer.from(`${message}\n`);
  context.res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': body.length, 'cache-control': 'no-store' });
  context.res.end(body);
}
