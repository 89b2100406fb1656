import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { PayloadTooLargeError, ValidationError } from '../../src/errors.js';
import { BODY_MEMORY_BUDGET, BodyBudget, bodyBudget } from '../../src/server/body-budget.js';
import { readBody, readJsonBody, withJsonBody } from '../../src/server/body.js';
import { startInProcessServer } from '../helpers/in-process-server.js';

describe('BodyBudget', () => {
  it('grants reservations whole and in order, and a waiting one only once enough is released', async () => {
    const budget = new BodyBudget(100);
    const granted: string[] = [];
    await budget.reserve(60);
    const second = budget.reserve(60).then(() => granted.push('second'));
    const third = budget.reserve(10).then(() => granted.push('third'));
    await new Promise((resolve) => setImmediate(resolve));
    // The third would fit, but waits behind the second: first come, first served.
    expect(granted).toEqual([]);
    budget.release(60);
    await Promise.all([second, third]);
    expect(granted).toEqual(['second', 'third']);
    expect(budget.inUse).toBe(70);
  });

  it('always lets one body through alone, and refuses bytes of unknown length that do not fit', async () => {
    const budget = new BodyBudget(100);
    await budget.reserve(500);
    expect(budget.tryTake(1)).toBe(false);
    budget.release(500);
    expect(budget.tryTake(80)).toBe(true);
    expect(budget.tryTake(30)).toBe(false);
  });
});

const servers: ReturnType<typeof createServer>[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

/** A server whose handler is `handle`; sends `body` with or without a declared length. */
async function send(handle: (req: IncomingMessage) => Promise<unknown>, body: string, chunked = false): Promise<unknown> {
  let outcome: unknown;
  const done = new Promise<void>((resolve) => {
    const server = createServer((req, res) => {
      handle(req)
        .then(
          (value) => (outcome = value),
          (error: unknown) => (outcome = error),
        )
        .finally(() => {
          res.end();
          resolve();
        });
    });
    servers.push(server);
    server.listen(0, '127.0.0.1', () => {
      const socket = connect((server.address() as AddressInfo).port, '127.0.0.1', () => {
        // Written, not ended: a client keeps its side open for the answer.
        if (chunked) socket.write(`PUT / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`);
        else socket.write(`PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      });
      socket.on('error', () => undefined);
    });
  });
  await done;
  return outcome;
}

describe('reading bodies against the budget', () => {
  it('reserves a declared length before keeping a byte, and releases it once read', async () => {
    let during = -1;
    const value = await send(async (req) => {
      const reading = readJsonBody<unknown>(req, 1024);
      during = bodyBudget.inUse;
      return reading;
    }, '{"a":1}');
    expect(value).toEqual({ a: 1 });
    expect(during).toBe(7);
    expect(bodyBudget.inUse).toBe(0);
  });

  it('keeps a JSON body counted until its use is done (a publish stores it first), with or without a declared length', async () => {
    for (const chunked of [false, true]) {
      let during = -1;
      const value = await send(
        (req) =>
          withJsonBody<{ a: string }, string>(req, 1024, async (body) => {
            await new Promise((resolve) => setImmediate(resolve));
            during = bodyBudget.inUse;
            return body.a;
          }),
        '{"a":"b"}',
        chunked,
      );
      expect(value).toBe('b');
      expect(during).toBe(Buffer.byteLength('{"a":"b"}'));
      expect(bodyBudget.inUse).toBe(0);
    }
  });

  it('refuses a body that is not JSON and releases what it held', async () => {
    const refused = await send((req) => withJsonBody(req, 1024, () => Promise.resolve('used')), '{"a":');
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as Error).message).toBe('The request body is not valid JSON.');
    expect(bodyBudget.inUse).toBe(0);
  });

  it('makes a body wait while the budget is held by others, and refuses a chunked one that would not fit', async () => {
    // Other bodies hold all but 10 bytes of the budget (the budget only counts, so nothing is allocated).
    await bodyBudget.reserve(BODY_MEMORY_BUDGET - 10);
    try {
      const refused = await send((req) => readBody(req, 1024), 'x'.repeat(64), true);
      expect(refused).toBeInstanceOf(PayloadTooLargeError);
      let settled = false;
      const waiting = send((req) => readBody(req, 1024), 'y'.repeat(64)).finally(() => (settled = true));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(settled).toBe(false);
      bodyBudget.release(BODY_MEMORY_BUDGET - 10);
      expect(((await waiting) as Buffer).toString()).toBe('y'.repeat(64));
    } finally {
      bodyBudget.release(bodyBudget.inUse);
    }
    expect(bodyBudget.inUse).toBe(0);
  });
});

it('drains an audit body without keeping it, and refuses one over what an audit needs', async () => {
  const { token, server } = await startInProcessServer({ tempPrefix: 'artifact-cli-audit-body-' });
  try {
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const small = await fetch(`${server.url}/acme/npm/main/-/npm/v1/security/advisories/bulk`, { method: 'POST', headers, body: '{"left-pad":["1.3.0"]}' });
    expect([small.status, await small.json()]).toEqual([200, {}]);
    const huge = await fetch(`${server.url}/acme/npm/main/-/npm/v1/security/advisories/bulk`, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(33 * 1024 * 1024) },
      body: Buffer.alloc(33 * 1024 * 1024, 0x20),
    });
    expect(huge.status).toBe(413);
    await huge.text();
  } finally {
    await server.close(100);
  }
});
