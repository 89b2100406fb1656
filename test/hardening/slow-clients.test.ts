/**
 * Slow and abusive clients: hundreds of connections that send their headers a byte at a time,
 * uploads that trickle in, readers that never read, and a thousand connections that say nothing,
 * all at once. Meanwhile ordinary clients (an npm install's packument and tarball reads, a pip
 * page read, a generic publish) keep being served: their p99 stays within a small multiple of
 * what it was without the abuse. Afterwards the server has shed the slow-header connections.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { recordFigures } from './support/figures.js';
import { prepareRoot, startHardeningServer, type HardeningServer } from './support/hardening-server.js';
import { percentile, range, round } from './support/load.js';
import { genericUpload, npmPublish, pypiUpload, sendPlanned } from './support/publish-requests.js';

const SLOW_HEADERS = 300;
const SLOW_BODIES = 50;
const STALLED_READERS = 20;
const IDLE = 1000;
const ROUNDS = 150;
const BIG_ASSET_BYTES = 8 * 1024 * 1024;
// headersTimeout is 30 s and Node checks it every 15 s: every such connection is gone 45 s after it
// opened (the last ones open a few seconds into the abuse).
const SHED_WITHIN_MS = 60_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One round of what ordinary clients do; resolves to its duration, or throws what went wrong. */
async function ordinaryRound(server: HardeningServer, token: string, round: number): Promise<number> {
  const started = performance.now();
  const auth = { authorization: `Bearer ${token}` };
  const check = async (response: Response, what: string) => {
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${what} answered ${response.status}`);
  };
  await check(await fetch(`${server.endpoint('npm')}steady`, { headers: { ...auth, accept: 'application/vnd.npm.install-v1+json' } }), 'packument');
  await check(await fetch(`${server.endpoint('npm')}steady/-/steady-1.0.0.tgz`, { headers: auth }), 'tarball');
  await check(await fetch(`${server.endpoint('pypi')}simple/steady/`, { headers: auth }), 'project page');
  await check(await fetch(`${server.endpoint('generic')}ns/steady/1.0/steady.bin`, { headers: auth }), 'generic download');
  if (round % 5 === 0) {
    const publish = await sendPlanned(server.endpoint('generic'), genericUpload(token, 'ns', 'steady', `2.${round}`));
    if (publish.status !== 200) throw new Error(`generic publish answered ${publish.status}`);
  }
  return performance.now() - started;
}

interface Measured {
  durations: number[];
  p50: number;
  p99: number;
  max: number;
  failures: string[];
}

function summarise(durations: number[], failures: string[]): Measured {
  return { durations, p50: percentile(durations, 50), p99: percentile(durations, 99), max: Math.max(...durations), failures };
}

/** `ROUNDS` ordinary rounds; `first` numbers their publishes, so every phase publishes new versions. */
async function measure(server: HardeningServer, token: string, first: number): Promise<Measured> {
  const durations: number[] = [];
  const failures: string[] = [];
  for (const round of range(ROUNDS)) {
    try {
      durations.push(await ordinaryRound(server, token, first + round));
    } catch (error) {
      failures.push((error as Error).message);
    }
  }
  return summarise(durations, failures);
}

/** Resolves once every socket has closed, or after `ms`, whichever comes first. */
function allClosed(sockets: Socket[], ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const closed = Promise.all(sockets.map((socket) => (socket.destroyed ? Promise.resolve() : new Promise((resolve) => socket.once('close', resolve)))));
  const timeUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  return Promise.race([closed.then(() => undefined), timeUp]).finally(() => clearTimeout(timer));
}

function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.on('error', reject);
  });
}

interface Abuse {
  stop(): void;
  slowHeaderSockets: Socket[];
  idleSockets: Socket[];
}

async function startAbuse(server: HardeningServer, token: string): Promise<Abuse> {
  const port = server.port;
  const timers: NodeJS.Timeout[] = [];
  const track = (socket: Socket) => socket.on('error', () => undefined);
  // Slowloris: a request line, then one header byte a second, never finishing the headers.
  const slowHeaderSockets = await Promise.all(range(SLOW_HEADERS).map(async () => track(await openSocket(port)).resume()));
  for (const socket of slowHeaderSockets) socket.write(`GET /acme/npm/main/steady HTTP/1.1\r\nHost: x\r\nX-Slow: `);
  timers.push(setInterval(() => slowHeaderSockets.forEach((socket) => !socket.destroyed && socket.write('a')), 1000));
  // Uploads that announce a megabyte and trickle 100 bytes every 200 ms.
  const sha256 = createHash('sha256')
    .update(Buffer.alloc(1024 * 1024))
    .digest('hex');
  const slowBodies = await Promise.all(range(SLOW_BODIES).map(async () => track(await openSocket(port))));
  slowBodies.forEach((socket, index) =>
    socket.write(
      `PUT /acme/generic/main/ns/trickle/${index}/t.bin HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nX-Checksum-Sha256: ${sha256}\r\nContent-Length: ${1024 * 1024}\r\n\r\n`,
    ),
  );
  timers.push(setInterval(() => slowBodies.forEach((socket) => !socket.destroyed && socket.write(Buffer.alloc(100))), 200));
  // Readers that ask for a big file and never read the answer (the server must not buffer it all).
  const stalled = await Promise.all(range(STALLED_READERS).map(async () => track(await openSocket(port))));
  for (const socket of stalled) {
    socket.write(`GET /acme/generic/main/ns/big/1.0/big.bin HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\n\r\n`);
    socket.pause();
  }
  // Connections that never say anything (but read, so they notice when the server hangs up).
  const idle: Socket[] = [];
  for (const batch of range(IDLE / 100)) {
    idle.push(...(await Promise.all(range(100).map(async () => track(await openSocket(port)).resume()))));
    if (batch % 2 === 1) await sleep(10);
  }
  return {
    stop() {
      timers.forEach(clearInterval);
      for (const socket of [...slowHeaderSockets, ...slowBodies, ...stalled, ...idle]) socket.destroy();
    },
    slowHeaderSockets,
    idleSockets: idle,
  };
}

const openSockets = (pid: number) => readdirSync(`/proc/${pid}/fd`).length;

describe('slow and abusive clients', () => {
  it('keep ordinary clients served within their usual time', async () => {
    const prepared = await prepareRoot();
    const server = await startHardeningServer(prepared);
    const { token } = prepared;
    for (const [format, request] of [
      ['npm', npmPublish(token, 'steady', '1.0.0')],
      ['pypi', pypiUpload(token, 'steady', '1.0')],
      ['generic', genericUpload(token, 'ns', 'steady', '1.0')],
      ['generic', genericUpload(token, 'ns', 'big', '1.0', randomBytes(BIG_ASSET_BYTES))],
    ] as const) {
      expect((await sendPlanned(server.endpoint(format), request)).status).toBeLessThan(300);
    }
    await measure(server, token, 0);
    const before = await measure(server, token, ROUNDS);
    const rssBefore = server.memory().rssKb;
    const abuseStarted = performance.now();
    const abuse = await startAbuse(server, token);
    const fdsDuring = openSockets(server.pid);
    const during = await measure(server, token, 2 * ROUNDS);
    const rssDuring = server.memory().rssKb;
    // serve's headersTimeout (30 s, checked every 15 s) is what sheds a client that never
    // finishes its headers, or never starts them.
    // Waited for as the sockets' close events; SHED_WITHIN_MS only bounds a server that never sheds them.
    await allClosed([...abuse.slowHeaderSockets, ...abuse.idleSockets], SHED_WITHIN_MS - (performance.now() - abuseStarted));
    const shedAfter = performance.now() - abuseStarted;
    const slowHeadersShed = abuse.slowHeaderSockets.filter((socket) => socket.destroyed).length;
    const idleShed = abuse.idleSockets.filter((socket) => socket.destroyed).length;
    abuse.stop();
    // A second quiet measurement after the abuse: the baseline is both, so a spell of load from
    // elsewhere on the machine during either one raises the baseline instead of failing the test.
    const after = await measure(server, token, 3 * ROUNDS);
    const quiet = summarise([...before.durations, ...after.durations], [...before.failures, ...after.failures]);
    recordFigures('slow and abusive clients', {
      'abusers: slow-header / slow-body / stalled / idle': `${SLOW_HEADERS} / ${SLOW_BODIES} / ${STALLED_READERS} / ${IDLE}`,
      'ordinary rounds, quiet (before + after) + under abuse': `${2 * ROUNDS} + ${ROUNDS}`,
      'ordinary round p50 quiet / under abuse (ms)': `${round(quiet.p50)} / ${round(during.p50)}`,
      'ordinary round p99 quiet / under abuse (ms)': `${round(quiet.p99)} / ${round(during.p99)}`,
      'ordinary round max quiet / under abuse (ms)': `${round(quiet.max)} / ${round(during.max)}`,
      'failed ordinary rounds': quiet.failures.length + during.failures.length,
      'server file descriptors under abuse': fdsDuring,
      'slow-header / idle connections shed': `${slowHeadersShed} / ${idleShed}`,
      'seconds until shed': round(shedAfter / 1000),
      'server RSS quiet / under abuse (MiB)': `${round(rssBefore / 1024)} / ${round(rssDuring / 1024)}`,
    });
    expect([...quiet.failures, ...during.failures]).toEqual([]);
    // "Their usual time", from this run's own quiet rounds: a multiple of their p99, or twice the
    // slowest quiet round if that is more (a loaded machine's worst hiccup, seen without abuse).
    expect(during.p99).toBeLessThan(Math.max(4 * quiet.p99, 2 * quiet.max));
    expect(slowHeadersShed).toBe(SLOW_HEADERS);
    expect(idleShed).toBe(IDLE);
    expect(server.child.exitCode).toBeNull();
    await server.stop();
  });
});
