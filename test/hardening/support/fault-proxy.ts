/**
 * A proxy in front of a stand-in public registry that fails the way real ones do: down (the
 * connection is dropped), slow (answers only after the caller's time limit), flapping (every
 * other request dropped) or corrupt (bodies arrive with bytes changed, length intact). The
 * same faults then apply to every format, whatever its stand-in offers itself. Stand-ins that
 * write their own address into documents (npm tarball URLs, NuGet resource URLs) get it
 * rewritten to the proxy's, so that every later request passes through the proxy too.
 */
import { createServer, request, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync, gzipSync } from 'node:zlib';

export type ProxyFault = 'none' | 'down' | 'slow' | 'flapping' | 'corrupt';

export interface FaultProxy {
  /** Base URL (no trailing slash) that forwards to the target. */
  url: string;
  setFault(fault: ProxyFault): void;
  requests(): number;
  close(): Promise<void>;
}

export async function startFaultProxy(target: string, slowMs: number): Promise<FaultProxy> {
  const upstream = new URL(target);
  let fault: ProxyFault = 'none';
  let count = 0;
  const open = new Set<IncomingMessage>();

  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const proxied = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const headers: IncomingHttpHeaders = { ...answer.headers };
          const body = rewriteAddresses(Buffer.concat(chunks), headers, upstream.origin, ownOrigin);
          // From the middle on every byte changes: JSON and XML stop parsing, digests stop matching.
          if (fault === 'corrupt') for (let index = body.length >> 1; index < body.length; index++) body[index] ^= 0x5a;
          delete headers['transfer-encoding'];
          headers['content-length'] = String(body.length);
          res.writeHead(answer.statusCode ?? 502, headers).end(body);
        });
        answer.on('error', () => res.destroy());
      },
    );
    proxied.on('error', () => res.destroy());
    req.pipe(proxied);
  };

  let ownOrigin = '';
  const server = createServer((req, res) => {
    count += 1;
    open.add(req);
    res.on('close', () => open.delete(req));
    if (fault === 'down' || (fault === 'flapping' && count % 2 === 1)) return void req.socket.destroy();
    if (fault === 'slow') return void setTimeout(() => !res.destroyed && forward(req, res), slowMs);
    forward(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  ownOrigin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: ownOrigin,
    setFault: (next) => (fault = next),
    requests: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        for (const req of open) req.socket.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Text documents (gzipped or not) with the stand-in's address replaced by the proxy's. */
function rewriteAddresses(body: Buffer, headers: IncomingHttpHeaders, from: string, to: string): Buffer {
  if (!/json|xml|text|html/.test(String(headers['content-type'] ?? ''))) return body;
  const gzipped = headers['content-encoding'] === 'gzip';
  const text = (gzipped ? gunzipSync(body) : body).toString('utf8');
  if (!text.includes(from)) return body;
  const rewritten = Buffer.from(text.split(from).join(to));
  return gzipped ? gzipSync(rewritten) : rewritten;
}
