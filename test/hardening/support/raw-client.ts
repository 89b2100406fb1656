/**
 * A client that writes exactly the bytes it is given to a TCP socket, so requests can break
 * HTTP itself (bad header lines, lying Content-Length, bytes outside ASCII) where fetch and
 * node:http refuse to. It reads one response (skipping 100 Continue) and reports how it ended.
 */
import { connect } from 'node:net';

export interface RawResult {
  /** The status of the final response; 0 when none came. */
  status: number;
  outcome: 'answered' | 'closed' | 'timeout' | 'error';
  head: string;
  body: Buffer;
  ms: number;
}

export interface RawOptions {
  timeoutMs?: number;
  /** Half-close after sending: the server sees the end of a body that was cut short. */
  endAfterSend?: boolean;
  /** Wait this long between chunks (a slow client). */
  pauseMs?: number;
}

export function sendRaw(port: number, chunks: (Buffer | string)[], options: RawOptions = {}): Promise<RawResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    const isHead =
      Buffer.from(chunks[0] ?? '')
        .subarray(0, 5)
        .toString('latin1') === 'HEAD ';
    let received = Buffer.alloc(0);
    let settled = false;
    const finish = (outcome: RawResult['outcome']) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const parsed = parseResponse(received, isHead);
      resolve({
        status: parsed?.status ?? 0,
        outcome: parsed ? (outcome === 'closed' ? 'answered' : outcome) : outcome,
        head: parsed?.head ?? '',
        body: parsed?.body ?? Buffer.alloc(0),
        ms: performance.now() - started,
      });
    };
    const timer = setTimeout(() => finish('timeout'), options.timeoutMs ?? 10_000);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (parseResponse(received, isHead)?.complete) finish('answered');
    });
    socket.on('end', () => finish('closed'));
    socket.on('close', () => finish('closed'));
    socket.on('error', () => finish(parseResponse(received, isHead) ? 'answered' : 'error'));
    const sendChunks = async () => {
      for (const [index, chunk] of chunks.entries()) {
        if (socket.destroyed) return;
        if (index > 0 && options.pauseMs) await new Promise((wait) => setTimeout(wait, options.pauseMs));
        socket.write(chunk);
      }
      if (options.endAfterSend && !socket.destroyed) socket.end();
    };
    socket.on('connect', () => void sendChunks());
  });
}

interface Parsed {
  status: number;
  head: string;
  body: Buffer;
  complete: boolean;
}

/** The last non-1xx response in the bytes, and whether all of its body has arrived. */
function parseResponse(bytes: Buffer, isHead: boolean): Parsed | undefined {
  let offset = 0;
  for (;;) {
    const end = bytes.indexOf('\r\n\r\n', offset);
    if (end < 0) return undefined;
    const head = bytes.subarray(offset, end).toString('latin1');
    const status = Number(/^HTTP\/\d\.\d (\d{3})/.exec(head)?.[1] ?? 0);
    const bodyStart = end + 4;
    if (status >= 100 && status < 200) {
      offset = bodyStart;
      continue;
    }
    const rest = bytes.subarray(bodyStart);
    const length = /\r\ncontent-length: *(\d+)/i.exec(head);
    if (status === 204 || status === 304 || isHead) return { status, head, body: Buffer.alloc(0), complete: true };
    if (length) return { status, head, body: rest.subarray(0, Number(length[1])), complete: rest.length >= Number(length[1]) };
    if (/\r\ntransfer-encoding: *chunked/i.test(head))
      return { status, head, body: rest, complete: rest.includes('\r\n0\r\n\r\n') || rest.subarray(0, 5).toString() === '0\r\n\r\n' };
    return { status, head, body: rest, complete: false };
  }
}

export interface RawRequest {
  method: string;
  target: string;
  headers?: [string, string][];
  body?: Buffer | string;
  /** Leave out the Content-Length the body would get. */
  noContentLength?: boolean;
}

/** The bytes of a request; Host and Connection: close are added unless given. */
export function requestBytes(port: number, request: RawRequest): Buffer {
  const headers = [...(request.headers ?? [])];
  const has = (name: string) => headers.some(([key]) => key.toLowerCase() === name);
  if (!has('host')) headers.unshift(['Host', `127.0.0.1:${port}`]);
  if (!has('connection')) headers.push(['Connection', 'close']);
  const body = request.body === undefined ? undefined : Buffer.from(request.body);
  if (body && !request.noContentLength && !has('content-length') && !has('transfer-encoding')) headers.push(['Content-Length', String(body.length)]);
  const head = `${request.method} ${request.target} HTTP/1.1\r\n${headers.map(([key, value]) => `${key}: ${value}`).join('\r\n')}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), body ?? Buffer.alloc(0)]);
}
