import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { expect, it } from 'vitest';
import { ValidationError } from '../../src/errors.js';
import { DRAIN_IDLE_MS } from '../../src/server/answer-before-body.js';
import { readBody } from '../../src/server/body.js';
import { startInProcessServer } from '../helpers/in-process-server.js';

it('reports a body the client cut off as a validation error, not an internal one', async () => {
  let caught: unknown;
  const handled = new Promise<void>((resolve) => {
    const server = createServer((req, res) => {
      readBody(req, 1024 * 1024)
        .catch((error: unknown) => (caught = error))
        .finally(() => {
          res.destroy();
          server.close();
          resolve();
        });
    });
    server.listen(0, '127.0.0.1', () => {
      const socket = connect((server.address() as AddressInfo).port, '127.0.0.1', () => {
        socket.write('PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly part of it');
        setTimeout(() => socket.destroy(), 50);
      });
      socket.on('error', () => undefined);
    });
  });
  await handled;
  expect(caught).toBeInstanceOf(ValidationError);
});

it('answers 413 to a chunked body that outgrows the limit, instead of resetting the connection', async () => {
  const { token, server } = await startInProcessServer({
    tempPrefix: 'artifact-cli-body-',
    configure: (config) => {
      config.server.maxUploadBytes = 256 * 1024;
    },
  });
  try {
    // An npm publish body (read whole, up to the limit) sent chunked, so no length warns the server.
    let reset = '';
    const answer = await new Promise<string>((resolve) => {
      let received = '';
      // Sent from an async function the connect callback starts: it waits between chunks.
      const socket = connect(Number(new URL(server.url).port), '127.0.0.1', () => void sendChunked());
      const sendChunked = async () => {
        socket.write(
          `PUT /acme/npm/main/big HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`,
        );
        const piece = Buffer.alloc(16 * 1024, 0x61);
        for (let sent = 0; sent < 64 && !socket.destroyed; sent++) {
          socket.write(`${piece.length.toString(16)}\r\n`);
          socket.write(piece);
          socket.write('\r\n');
          await new Promise((wait) => setImmediate(wait));
        }
        if (!socket.destroyed) socket.end('0\r\n\r\n');
      };
      socket.on('data', (chunk: Buffer) => {
        received += chunk.toString('latin1');
        // Answered and drained: the connection stays usable, and the client may close it.
        if (received.includes('\r\n\r\n') && socket.writableEnded) socket.destroy();
      });
      socket.on('error', (error: NodeJS.ErrnoException) => (reset = error.code ?? error.message));
      socket.on('close', () => resolve(received));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    // Destroying the request to stop reading reset the socket under a client still sending.
    expect(reset).toBe('');
  } finally {
    await server.close(100);
  }
});

it('cuts off a client that stops sending the rest of a refused body, once it has had the answer and been idle a while', async () => {
  const { token, server } = await startInProcessServer({
    tempPrefix: 'artifact-cli-body-',
    configure: (config) => {
      config.server.maxUploadBytes = 256 * 1024;
    },
  });
  try {
    let answeredAt = 0;
    const outcome = await new Promise<{ received: string; how: string }>((resolve) => {
      let received = '';
      const socket = connect(Number(new URL(server.url).port), '127.0.0.1', () => {
        // Announces 10 MiB, sends 64 KiB of it and then nothing, without hanging up.
        socket.write(
          `PUT /acme/maven/main/com/example/idle/1.0/idle-1.0.jar HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Length: ${10 * 1024 * 1024}\r\n\r\n`,
        );
        socket.write(Buffer.alloc(64 * 1024, 0x61));
      });
      socket.on('data', (chunk: Buffer) => {
        received += chunk.toString('latin1');
        if (!answeredAt && received.includes('\r\n\r\n')) answeredAt = performance.now();
      });
      socket.on('error', (error: NodeJS.ErrnoException) => resolve({ received, how: error.code ?? error.message }));
      socket.on('close', () => resolve({ received, how: 'closed' }));
    });
    expect(outcome.received).toMatch(/^HTTP\/1\.1 413 /);
    // The server held the connection while the client might still send, then let it go.
    expect(performance.now() - answeredAt).toBeGreaterThan(DRAIN_IDLE_MS - 1000);
    expect(['closed', 'ECONNRESET']).toContain(outcome.how);
  } finally {
    await server.close(100);
  }
});

it('a refusal given at once still reaches the client when a broken chunk follows in the same packet', async () => {
  const { token, server } = await startInProcessServer({ tempPrefix: 'artifact-cli-body-' });
  try {
    const received = await new Promise<string>((resolve) => {
      let text = '';
      const socket = connect(Number(new URL(server.url).port), '127.0.0.1', () => {
        // No route takes a PUT here: refused before the body is read; Node's parser then meets "zz" and destroys the socket.
        socket.write(
          `PUT /acme/pypi/main/simple/ HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n`,
        );
      });
      socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
      socket.on('error', () => undefined);
      socket.on('close', () => resolve(text));
    });
    expect(received).toMatch(/^HTTP\/1\.1 4\d\d /);
  } finally {
    await server.close(100);
  }
});
