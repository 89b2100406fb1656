import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { expect, it } from 'vitest';
import { ValidationError } from '../../src/errors.js';
import { readBody } from '../../src/server/body.js';

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
