/**
 * Every format's upload path, sent a body over server.maxUploadBytes, answers with its refusal
 * (413 and a one-line reason) instead of resetting the connection: whether the body declares its
 * length or comes chunked, so that only counting reveals it. Nothing is stored and no staged
 * file is left in tmp/.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { request, type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInProcessServer, type InProcessServer } from '../helpers/in-process-server.js';
import { listStoredFiles } from '../helpers/stored-files.js';
import { writeThenRead } from '../helpers/write-then-read.js';

const MAX_UPLOAD = 64 * 1024;
// Far more than the socket buffers hold, so a server that stops reading and closes would reset the client mid-send.
const PAYLOAD = randomBytes(4 * 1024 * 1024);
const BOUNDARY = 'oversize-boundary-7f3a';

let harness: InProcessServer;
/** Per request, in order: whether the server had destroyed it by the time its response closed. */
const cutOff: Promise<boolean>[] = [];

beforeAll(async () => {
  harness = await startInProcessServer({ tempPrefix: 'artifact-cli-oversize-', configure: (config) => (config.server.maxUploadBytes = MAX_UPLOAD) });
  // Whether the server had destroyed the request by the time its answer was done: a destroyed
  // request takes its connection with it, and the client may then read a reset, not the answer.
  harness.server.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    cutOff.push(new Promise((resolve) => res.once('close', () => resolve(req.destroyed && !req.complete))));
  });
});

afterAll(async () => {
  await harness.server.close(100);
});

interface Upload {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

function multipart(parts: { name: string; fileName?: string; type?: string; value: Buffer | string }[]): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const file = part.fileName === undefined ? '' : `; filename="${part.fileName}"`;
    const type = part.type ? `\r\nContent-Type: ${part.type}` : '';
    chunks.push(
      Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${part.name}"${file}${type}\r\n\r\n`),
      Buffer.from(part.value),
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(chunks);
}

const FORM = `multipart/form-data; boundary=${BOUNDARY}`;
const ZIP_HEAD = Buffer.from('504b0304', 'hex');

/** One upload per format, each well-formed up to its size. */
const UPLOADS: Record<string, (token: string) => Upload> = {
  npm: (token) => ({
    method: 'PUT',
    path: 'npm/main/big-package',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: Buffer.from(
      JSON.stringify({
        name: 'big-package',
        versions: { '1.0.0': { name: 'big-package', version: '1.0.0', dist: { tarball: 'x' } } },
        'dist-tags': { latest: '1.0.0' },
        _attachments: { 'big-package-1.0.0.tgz': { content_type: 'application/octet-stream', data: PAYLOAD.toString('base64'), length: PAYLOAD.length } },
      }),
    ),
  }),
  pypi: (token) => ({
    method: 'POST',
    path: 'pypi/main/legacy/',
    headers: { authorization: `Basic ${Buffer.from(`aws:${token}`).toString('base64')}`, 'content-type': FORM },
    body: multipart([
      { name: ':action', value: 'file_upload' },
      { name: 'name', value: 'big-package' },
      { name: 'version', value: '1.0' },
      { name: 'filetype', value: 'sdist' },
      { name: 'content', fileName: 'big_package-1.0.tar.gz', type: 'application/octet-stream', value: PAYLOAD },
    ]),
  }),
  maven: (token) => ({
    method: 'PUT',
    path: 'maven/main/com/example/widget/1.0/widget-1.0.jar',
    headers: { authorization: `Bearer ${token}` },
    body: Buffer.concat([ZIP_HEAD, PAYLOAD]),
  }),
  // A POM is read whole, with its own limit (MAX_POM_BYTES) under maxUploadBytes.
  'maven POM': (token) => ({
    method: 'PUT',
    path: 'maven/main/com/example/widget/1.0/widget-1.0.pom',
    headers: { authorization: `Bearer ${token}` },
    body: Buffer.from(`<project><description>${'d'.repeat(PAYLOAD.length)}</description></project>`),
  }),
  cargo: (token) => ({
    method: 'PUT',
    path: 'cargo/main/api/v1/crates/new',
    headers: { authorization: token },
    body: PAYLOAD,
  }),
  generic: (token) => ({
    method: 'PUT',
    path: 'generic/main/tools/widget/1.0/widget.bin',
    headers: { authorization: `Bearer ${token}`, 'x-checksum-sha256': '0'.repeat(64) },
    body: PAYLOAD,
  }),
  nuget: (token) => ({
    method: 'PUT',
    path: 'nuget/main/api/v2/package/',
    headers: { 'x-nuget-apikey': token, authorization: `Bearer ${token}`, 'content-type': FORM },
    body: multipart([{ name: 'package', fileName: 'package.nupkg', type: 'application/octet-stream', value: Buffer.concat([ZIP_HEAD, PAYLOAD]) }]),
  }),
  swift: (token) => ({
    method: 'PUT',
    path: 'swift/main/example/widget/1.0.0',
    headers: { authorization: `Bearer ${token}`, accept: 'application/vnd.swift.registry.v1+json', 'content-type': FORM },
    body: multipart([
      { name: 'source-archive', type: 'application/zip', value: Buffer.concat([ZIP_HEAD, PAYLOAD]) },
      { name: 'metadata', type: 'application/json', value: '{}' },
    ]),
  }),
  ruby: (token) => ({
    method: 'POST',
    path: 'ruby/main/api/v1/gems',
    headers: { authorization: token, 'content-type': 'application/octet-stream' },
    body: PAYLOAD,
  }),
};

interface Answer {
  status?: number;
  body: string;
  /** The error the client met before it had read the whole answer (a reset connection). */
  error?: string;
}

/** Sends the upload with a Content-Length, or chunked in 16 KB pieces; settles once the answer is read or the connection broke first. */
function send(upload: Upload, chunked: boolean): Promise<Answer> {
  const url = new URL(`${harness.server.url}/acme/${upload.path}`);
  const headers = { ...upload.headers, ...(chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(upload.body.length) }) };
  return new Promise((resolve) => {
    let status: number | undefined;
    const chunks: Buffer[] = [];
    const broke = (error: NodeJS.ErrnoException) => resolve({ status, body: Buffer.concat(chunks).toString('utf8'), error: error.code ?? error.message });
    const req = request(url, { method: upload.method, headers }, (res) => {
      status = res.statusCode;
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', broke);
    });
    req.on('error', broke);
    // All of it, without waiting for 'drain': Node's client stops emitting it once the answer has
    // come, and the server drains the whole body before it ends its response.
    for (let at = 0; at < upload.body.length; at += 16 * 1024) req.write(upload.body.subarray(at, at + 16 * 1024));
    req.end();
  });
}

function stagedFiles(): string[] {
  try {
    // The blob store's pooled temp files and the lock's holder file stay by design; upload stagings must not.
    return readdirSync(path.join(harness.root, 'tmp')).filter((name) => !/^(pooled|lock-holder)-/.test(name));
  } catch {
    return [];
  }
}

describe('an upload over server.maxUploadBytes', () => {
  for (const [format, make] of Object.entries(UPLOADS)) {
    for (const chunked of [false, true]) {
      it(`${format}: ${chunked ? 'chunked' : 'declared'} — 413 with its reason, nothing stored, no staged file`, async () => {
        const before = await listStoredFiles(harness.root, ['blobs', 'domains']);
        const answer = await send(make(harness.token), chunked);
        expect(answer.error, `${answer.status} ${answer.body}`).toBeUndefined();
        expect(answer.status, answer.body).toBe(413);
        expect(answer.body).toMatch(/limit|at most/);
        expect(answer.body).not.toContain(harness.root);
        expect(await listStoredFiles(harness.root, ['blobs', 'domains'])).toEqual(before);
        expect(stagedFiles()).toEqual([]);
        // The response closes once the body is drained, which may be after the client has read the answer.
        expect(await cutOff.at(-1), 'the server destroyed the request instead of draining it').toBe(false);
      });
    }
  }
});

// More than the kernel's buffers on both ends can hold (tcp_rmem's and tcp_wmem's largest sizes
// here are 32 and 4 MiB), so the client is still writing when the server answers.
const HUGE = 64 * 1024 * 1024;

/** The upload as a client sends it that says Connection: close and reads only once it has written everything. */
function sendWholeFirst(upload: Upload, chunked: boolean) {
  const head = [
    `${upload.method} /acme/${upload.path} HTTP/1.1`,
    `Host: 127.0.0.1`,
    'Connection: close',
    ...Object.entries(upload.headers).map(([name, value]) => `${name}: ${value}`),
  ].join('\r\n');
  // The format's own body first, so the route sees what it expects up to the limit; filler after.
  const body = Buffer.alloc(HUGE, 0x61);
  upload.body.copy(body, 0, 0, Math.min(upload.body.length, HUGE));
  return writeThenRead(Number(new URL(harness.server.url).port), head, body, chunked);
}

// Node closes a Connection: close connection as soon as its response ends; with the body still
// coming, the kernel then resets it and such a client never reads the answer.
describe('an oversized upload from a client that writes the whole body before it reads, saying Connection: close', () => {
  for (const [format, make] of Object.entries(UPLOADS)) {
    for (const chunked of [false, true]) {
      it(`${format}: ${chunked ? 'chunked' : 'declared'} — reads the 413 and its reason, then the server closes`, async () => {
        const answer = await sendWholeFirst(make(harness.token), chunked);
        expect(answer.error, `${answer.status} ${answer.body}`).toBeUndefined();
        expect(answer.status, answer.body).toBe(413);
        expect(answer.head).toMatch(/\r\nconnection: close/i);
        expect(answer.body).toMatch(/limit|at most/);
        expect(answer.body).not.toContain(harness.root);
      });
    }
  }

  it('an upload refused for its missing token before a byte of its body is read: the 401 is read too', async () => {
    const upload = UPLOADS.generic(harness.token);
    const answer = await sendWholeFirst({ ...upload, headers: { 'x-checksum-sha256': '0'.repeat(64) } }, false);
    expect(answer.error, `${answer.status} ${answer.body}`).toBeUndefined();
    expect(answer.status, answer.body).toBe(401);
  });
});
