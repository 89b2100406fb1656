/**
 * A route that answers without reading the body it was sent (SwiftPM's login, cargo's unyank,
 * NuGet's relist take none, but a client may send one) to a client that asked for the
 * connection to close: the server reads the rest of the body before it closes, so a client
 * that writes all of its body before it reads (Python's http.client, Java's) reads the answer
 * instead of a broken pipe or a reset.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInProcessServer, type InProcessServer } from '../helpers/in-process-server.js';
import { writeThenRead } from '../helpers/write-then-read.js';

// Far more than the socket buffers hold: a server that closed at once would reset the client mid-send.
const BODY = Buffer.alloc(4 * 1024 * 1024, 0x7b);

let harness: InProcessServer;
let port: number;

beforeAll(async () => {
  harness = await startInProcessServer({ tempPrefix: 'artifact-cli-early-answer-' });
  port = Number(new URL(harness.server.url).port);
});

afterAll(async () => {
  await harness.server.close(100);
});

describe('a success answered before the body is read, on a connection that closes after it', () => {
  it.each([
    ['declared', false],
    ['chunked', true],
  ])('reaches a client that writes all of its body first (%s)', async (_label, chunked) => {
    const head = [
      'POST /acme/swift/main/login HTTP/1.1',
      `Host: 127.0.0.1:${port}`,
      `Authorization: Bearer ${harness.token}`,
      'Accept: application/vnd.swift.registry.v1+json',
      'Connection: close',
    ].join('\r\n');
    const result = await writeThenRead(port, head, BODY, chunked);
    expect(result.error).toBeUndefined();
    expect(result.status).toBe(200);
  });
});

describe('a success answered before the body is read, on a keep-alive connection', () => {
  it('leaves the connection ready for the next request once the body is in', async () => {
    const login = [
      'POST /acme/swift/main/login HTTP/1.1',
      `Host: 127.0.0.1:${port}`,
      `Authorization: Bearer ${harness.token}`,
      'Accept: application/vnd.swift.registry.v1+json',
      `Content-Length: ${BODY.length}`,
    ].join('\r\n');
    const health = `GET /health HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`;
    const answers = await new Promise<string>((resolve, reject) => {
      const socket = connect({ port, host: '127.0.0.1' });
      let text = '';
      socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
      socket.write(`${login}\r\n\r\n`);
      socket.write(BODY);
      socket.write(health);
    });
    const statuses = [...answers.matchAll(/^HTTP\/1\.1 (\d{3})/gm)].map((match) => match[1]);
    expect(statuses).toEqual(['200', '200']);
    expect(answers).toContain('"status":"ok"');
  });
});
