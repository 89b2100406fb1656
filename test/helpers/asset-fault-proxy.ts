/**
 * A proxy on 127.0.0.1 in front of a stand-in registry that misbehaves on package files only:
 * it lies (one byte changed, same length), cuts the body off halfway, or holds the second half
 * back until the test releases it. Metadata passes through with the stand-in's origin written
 * as the proxy's, so the files it names are fetched through the proxy too.
 */
import { createHash } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export type AssetFault = 'none' | 'lie' | 'cut' | 'hold';

export interface AssetFaultProxy {
  url: string;
  /** `times`: misbehave on that many files, then behave again. */
  setFault(fault: AssetFault, times?: number): void;
  /** How many files were sent with the fault. */
  faulted: number;
  /** Resolves when a held file has sent its first half and waits. */
  holding(): Promise<void>;
  release(): void;
  /** Every path asked for, in order. */
  requests: string[];
  /** SHA-256 of every lying body sent. */
  lies: string[];
  close(): Promise<void>;
}

const ASSET = /\.(tgz|whl|zip|tar\.gz|nupkg|jar|crate)$/;

export async function startAssetFaultProxy(
  target: string,
  isAsset: (pathname: string) => boolean = (pathname) => ASSET.test(pathname),
): Promise<AssetFaultProxy> {
  const targetOrigin = new URL(target).origin;
  let fault: AssetFault = 'none';
  let remaining = Number.POSITIVE_INFINITY;
  let faulted = 0;
  let onHolding: () => void = () => undefined;
  let holdingNow = new Promise<void>((resolve) => (onHolding = resolve));
  const releases: Array<() => void> = [];
  const lies: string[] = [];
  const requests: string[] = [];
  let origin = '';

  const forward = (req: IncomingMessage): Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const headers = { ...req.headers, host: new URL(targetOrigin).host };
      delete headers['accept-encoding'];
      const upstream = httpRequest(`${targetOrigin}${req.url}`, { method: req.method, headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 502, headers: response.headers, body: Buffer.concat(chunks) }));
        response.on('error', reject);
      });
      upstream.on('error', reject);
      req.pipe(upstream);
    });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    requests.push(new URL(req.url ?? '/', 'http://x').pathname);
    const answer = await forward(req);
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    const { 'content-length': _length, 'transfer-encoding': _encoding, connection: _connection, 'content-encoding': encoding, ...headers } = answer.headers;
    if (!isAsset(pathname) || answer.status !== 200 || fault === 'none') {
      // Metadata is sent on uncompressed, whatever the stand-in compressed, to rewrite its URLs.
      const plain = encoding === 'gzip' ? gunzipSync(answer.body) : answer.body;
      const body = isAsset(pathname) ? plain : Buffer.from(plain.toString('latin1').split(targetOrigin).join(origin), 'latin1');
      res.writeHead(answer.status, { ...headers, 'content-length': body.length }).end(body);
      return;
    }
    faulted += 1;
    const current = fault;
    if (--remaining <= 0) fault = 'none';
    const bytes = Buffer.from(answer.body);
    const half = bytes.length >> 1;
    res.writeHead(200, { ...headers, 'content-length': bytes.length });
    if (current === 'lie') {
      bytes[half] ^= 0xff;
      lies.push(createHash('sha256').update(bytes).digest('hex'));
      res.end(bytes);
    } else if (current === 'cut') {
      res.write(bytes.subarray(0, half), () => setTimeout(() => res.socket?.destroy(), 20));
    } else {
      res.write(bytes.subarray(0, half));
      releases.push(() => res.end(bytes.subarray(half)));
      onHolding();
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: target.replace(targetOrigin, origin),
    lies,
    requests,
    get faulted() {
      return faulted;
    },
    setFault(next, times = Number.POSITIVE_INFINITY) {
      fault = next;
      remaining = times;
      holdingNow = new Promise<void>((resolve) => (onHolding = resolve));
    },
    holding: () => holdingNow,
    release() {
      for (const release of releases.splice(0)) release();
    },
    close() {
      for (const release of releases.splice(0)) release();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
