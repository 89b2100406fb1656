/**
 * Ends an upstream answer that crawls. The socket's idle timer fires only on silence, so a
 * registry that sends a byte now and then would hold the request, and every request waiting for
 * the same file or document, for ever. An answer must move at least MIN_BYTES_PER_SECOND over
 * each whole time limit (upstream.timeoutMs); a slow but real link is far above that, and a
 * large document or file never runs into a total deadline (docs/upstreams.md).
 */
import type { IncomingMessage } from 'node:http';

export const MIN_BYTES_PER_SECOND = 1024;

export class UpstreamCrawl extends Error {}

export function endIfCrawling(response: IncomingMessage, windowMs: number): void {
  const socket = response.socket;
  if (!socket) return;
  const minBytes = Math.ceil((windowMs / 1000) * MIN_BYTES_PER_SECOND);
  let seen = socket.bytesRead;
  const timer = setInterval(() => {
    if (response.complete || response.destroyed) return clearInterval(timer);
    const read = socket.bytesRead;
    // A full buffer means this server stopped reading (an early download waiting for its
    // digest): the stall is ours, not the registry's.
    const ours = response.readableLength >= response.readableHighWaterMark;
    if (!ours && read - seen < minBytes) {
      clearInterval(timer);
      response.destroy(new UpstreamCrawl(`it sent ${read - seen} bytes in ${windowMs} ms, under ${MIN_BYTES_PER_SECOND} bytes a second (upstream.timeoutMs)`));
      return;
    }
    seen = read;
  }, windowMs);
  timer.unref();
  response.once('close', () => clearInterval(timer));
}
