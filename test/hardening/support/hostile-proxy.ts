/**
 * A proxy in front of a stand-in public registry that, when told to, rewrites the metadata it
 * forwards into a well-formed but hostile answer (deep nesting, lone surrogates, __proto__
 * keys). Conditional request headers are dropped while it rewrites, so the registry answers
 * with a body to rewrite rather than 304; the stand-in's own address is replaced by the
 * proxy's so that files are fetched through it too.
 */
import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** Rewrites a text body for `path`, or leaves it (undefined). */
export type Rewrite = (path: string, text: string) => string | undefined;

export interface HostileProxy {
  url: string;
  setRewrite(rewrite: Rewrite | undefined): void;
  close(): Promise<void>;
}

export async function startHostileProxy(target: string): Promise<HostileProxy> {
  const upstream = new URL(target);
  let rewrite: Rewrite | undefined;
  let ownOrigin = '';
  const server = createServer((req, res) => {
    const headers = { ...req.headers, host: upstream.host };
    if (rewrite) {
      delete headers['if-none-match'];
      delete headers['if-modified-since'];
    }
    delete headers['accept-encoding'];
    const proxied = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('end', () => {
        const answerHeaders: IncomingHttpHeaders = { ...answer.headers };
        let body = Buffer.concat(chunks);
        // Some stand-ins label XML as octet-stream: a rewrite is offered every answer, and knows its own.
        if (rewrite || /json|xml|text|html/.test(String(answerHeaders['content-type'] ?? ''))) {
          const gzipped = answerHeaders['content-encoding'] === 'gzip';
          let text = (gzipped ? gunzipSync(body) : body).toString('utf8');
          const hostile = rewrite?.(req.url ?? '', text);
          if (hostile === undefined && !/json|xml|text|html/.test(String(answerHeaders['content-type'] ?? ''))) {
            answer.headers['content-length'] = String(body.length);
            return void res.writeHead(answer.statusCode ?? 502, answer.headers).end(body);
          }
          text = text.split(upstream.origin).join(ownOrigin);
          if (hostile !== undefined) {
            text = hostile;
            delete answerHeaders.etag;
            delete answerHeaders['last-modified'];
          }
          body = Buffer.from(text);
          delete answerHeaders['content-encoding'];
        }
        delete answerHeaders['transfer-encoding'];
        answerHeaders['content-length'] = String(body.length);
        res.writeHead(answer.statusCode ?? 502, answerHeaders).end(body);
      });
      answer.on('error', () => res.destroy());
    });
    proxied.on('error', () => res.destroy());
    req.pipe(proxied);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  ownOrigin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: ownOrigin,
    setRewrite: (next) => (rewrite = next),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
