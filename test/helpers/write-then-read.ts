/**
 * A client that sends its whole request before it reads a byte of the answer, as Python's
 * http.client and Java's HttpURLConnection do: a server that closes the connection while the
 * body is still coming makes its writes fail (a broken pipe or a reset), and the answer waiting
 * in its receive buffer is never read.
 */
import { connect } from 'node:net';

export interface WriteThenReadResult {
  /** The status line and headers, as sent. */
  head: string;
  status: number;
  body: string;
  /** The error that stopped the client (EPIPE, ECONNRESET) before it could read the answer. */
  error?: string;
}

const PIECE = 1024 * 1024;

/** `head` is the request line and headers without the blank line; `chunked` frames the body in 1 MiB chunks. */
export function writeThenRead(port: number, head: string, body: Buffer, chunked: boolean): Promise<WriteThenReadResult> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    // Not reading until everything is written, like a blocking client.
    socket.pause();
    const received: Buffer[] = [];
    let settled = false;
    const settle = (error?: string) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      const text = Buffer.concat(received).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      const headText = split < 0 ? text : text.slice(0, split);
      resolve({ head: headText, status: Number(/^HTTP\/1\.1 (\d{3})/.exec(headText)?.[1] ?? 0), body: split < 0 ? '' : text.slice(split + 4), error });
    };
    socket.on('error', (error: NodeJS.ErrnoException) => settle(error.code ?? error.message));
    socket.on('connect', () => {
      socket.write(`${head}\r\n${chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${body.length}`}\r\n\r\n`);
      const pieces: (Buffer | string)[] = [];
      for (let at = 0; at < body.length; at += PIECE) {
        const piece = body.subarray(at, at + PIECE);
        pieces.push(...(chunked ? [`${piece.length.toString(16)}\r\n`, piece, '\r\n'] : [piece]));
      }
      if (chunked) pieces.push('0\r\n\r\n');
      const last = pieces.pop() as Buffer | string;
      for (const piece of pieces) socket.write(piece);
      // The callback of the last write runs once everything before it is handed to the kernel.
      socket.write(last, (error) => {
        if (error) return;
        socket.on('data', (chunk: Buffer) => received.push(chunk));
        socket.on('end', () => settle());
        socket.resume();
      });
    });
  });
}
