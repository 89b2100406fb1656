import { createHash } from 'node:crypto';
import { connect } from 'node:net';
import { expect, it } from 'vitest';
import { startInProcessServer } from '../helpers/in-process-server.js';

it('logs an upload the client cut off as such, not as an internal error or a 200', async () => {
  const log: string[] = [];
  const { token, server } = await startInProcessServer({ tempPrefix: 'artifact-cli-cut-off-', log: (line) => log.push(line) });
  try {
    const { port } = new URL(server.url);
    const sha256 = createHash('sha256').update('x'.repeat(100_000)).digest('hex');
    // A generic upload (streamed into the blob store) that announces 100 kB and hangs up after 10.
    await new Promise<void>((resolve) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(
          `PUT /acme/generic/main/ns/pkg/1.0/a.bin HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nX-Checksum-Sha256: ${sha256}\r\nContent-Length: 100000\r\n\r\nxxxxxxxxxx`,
        );
        setTimeout(() => socket.destroy(), 100);
      });
      socket.on('close', () => resolve());
      socket.on('error', () => undefined);
    });
    for (let waited = 0; waited < 2000 && log.length === 0; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
  } finally {
    await server.close(100);
  }
  expect(log.filter((line) => line.startsWith('internal error'))).toEqual([]);
  // Not "200": the request log says the client left before an answer.
  expect(log).toEqual([expect.stringMatching(/^PUT \/acme\/generic\/main\/ns\/pkg\/1\.0\/a\.bin closed by the client /)]);
});

it('logs an upload still running when the shutdown grace ends as cut off by the server, not by the client', async () => {
  const log: string[] = [];
  const { token, server } = await startInProcessServer({ tempPrefix: 'artifact-cli-cut-at-shutdown-', log: (line) => log.push(line) });
  const { port } = new URL(server.url);
  const sha256 = createHash('sha256').update('x'.repeat(100_000)).digest('hex');
  const socket = connect(Number(port), '127.0.0.1');
  socket.on('error', () => undefined);
  try {
    // An upload that announces 100 kB, sends 10 bytes and then keeps the connection open.
    const received = new Promise((resolve) => server.server.once('request', resolve));
    socket.write(
      `PUT /acme/generic/main/ns/pkg/1.0/a.bin HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nX-Checksum-Sha256: ${sha256}\r\nContent-Length: 100000\r\n\r\nxxxxxxxxxx`,
    );
    await received;
    await server.close(100);
  } finally {
    socket.destroy();
  }
  expect(log.filter((line) => line.startsWith('internal error'))).toEqual([]);
  expect(log).toEqual([expect.stringMatching(/^PUT \/acme\/generic\/main\/ns\/pkg\/1\.0\/a\.bin cut off by the server at shutdown /)]);
});
