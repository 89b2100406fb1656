/**
 * Ending an answer given while the client is still sending its request body (a refusal before
 * or while the body is read). Node closes a `Connection: close` connection as soon as the
 * response ends, and closing a socket with unread bytes makes the kernel reset it: a client
 * still writing (Python's http.client, Java's, curl now and then) then fails with a broken pipe
 * and never reads the answer. So the answer goes out at once, the rest of the body is dropped as
 * it comes, and the response ends (and the connection closes) once the body is in.
 * docs/request-bodies.md#answering-before-the-body-is-in has the details.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** How long the client may pause while sending the rest of a body nobody reads. */
export const DRAIN_IDLE_MS = 5_000;
/** How long the rest of a refused body is read at most; then the connection is cut. */
export const DRAIN_MAX_MS = 30_000;

// Answers written in full while their request's body was still to be drained.
const sentWhileDraining = new WeakSet<ServerResponse>();

/**
 * Whether the whole answer went out before the rest of the body was drained: a client that
 * hangs up then (curl, a client told no before it sent its body) has had it all.
 */
export function answeredBeforeBody(res: ServerResponse): boolean {
  return sentWhileDraining.has(res);
}

export function endAfterBody(req: IncomingMessage, res: ServerResponse, body: string | Uint8Array | undefined): void {
  if (req.complete || req.destroyed || !hasBody(req)) {
    res.end(body);
    return;
  }
  if (body) res.write(body);
  // A write corks the socket until the next tick; a bad chunk later in the body would destroy
  // it before then, and the answer with it.
  res.socket?.uncork();
  if (body) sentWhileDraining.add(res);
  const done = () => {
    clearTimeout(idle);
    clearTimeout(limit);
    req.off('data', stillSending).off('end', done).off('close', done).off('error', done);
    // A client that hung up took the response with it.
    if (!res.destroyed) res.end();
  };
  // The client has had the whole answer for seconds: cutting it off now costs it nothing it needs.
  const giveUp = () => {
    done();
    req.socket.destroy();
  };
  const idle = setTimeout(giveUp, DRAIN_IDLE_MS);
  const limit = setTimeout(giveUp, DRAIN_MAX_MS);
  const stillSending = () => idle.refresh();
  req.on('data', stillSending).on('end', done).on('close', done).on('error', done);
  req.resume();
}

/**
 * On a connection that closes after this answer (the client said so), an answer that ends while
 * the body is still coming, from a route that reads none (a login, an unyank), ends as
 * endAfterBody ends it, whoever ends it. Keep-alive connections need nothing: Node reads the rest
 * of an unread body off them before the next request.
 */
export function drainBeforeClosing(req: IncomingMessage, res: ServerResponse): void {
  if (res.shouldKeepAlive || !hasBody(req)) return;
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.end = ((...args: unknown[]) => {
    // Back to the prototype's end, which endAfterBody calls in turn.
    Reflect.deleteProperty(res, 'end');
    const [chunk] = args;
    if (req.complete || req.destroyed || args.length > 1 || typeof chunk === 'function') return end(...args);
    endAfterBody(req, res, chunk as string | Uint8Array | undefined);
    return res;
  }) as ServerResponse['end'];
}

/** A request without a length or chunks has no body, though Node may not have marked it complete yet. */
function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}
