/**
 * Bad uploads: each gets a 4xx whose reason phrase says what is wrong (twine prints it), and
 * nothing is stored: blobs/ and the indexes are exactly as before.
 */
import AdmZip from 'adm-zip';
import { request as httpRequest } from 'node:http';
import { readdir } from 'node:fs/promises';
import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tar from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSdist, buildWheel, coreMetadata, fileStem, type BuiltDist } from '../../helpers/pypi-dist.js';
import { startPypiServer, type PypiTestServer } from '../../helpers/pypi-server.js';
import { basicAuth, multipartBody, postUpload, twineFields, uploadDist, type UploadResult } from '../../helpers/pypi-upload.js';
import { createHash, randomBytes } from 'node:crypto';

const MAX_UPLOAD = 256 * 1024;
const spec = { name: 'good-pkg', version: '1.0' };

let server: PypiTestServer;
let endpoint: string;
let before: string[];

function dist(bytes: Buffer, fileName: string): BuiltDist {
  return { fileName, bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** A wheel whose METADATA member is replaced by the given bytes. */
function wheelWithMetadata(metadata: Buffer): BuiltDist {
  const zip = new AdmZip();
  zip.addFile('good_pkg/__init__.py', Buffer.from(''));
  zip.addFile(`${fileStem('good-pkg', '1.0')}.dist-info/METADATA`, metadata);
  return dist(zip.toBuffer(), buildWheel(spec).fileName);
}

/** Rewrites the uncompressed size a zip's central directory declares for its entries. */
function lieAboutSizes(zip: Buffer, declared: number): Buffer {
  const bytes = Buffer.from(zip);
  const signature = Buffer.from([0x50, 0x4b, 0x01, 0x02]);
  for (let offset = bytes.indexOf(signature); offset >= 0; offset = bytes.indexOf(signature, offset + 4)) bytes.writeUInt32LE(declared, offset + 24);
  return bytes;
}

function sdistWithEntry(entryPath: string): BuiltDist {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pypi-bad-sdist-'));
  try {
    const stem = fileStem('good-pkg', '1.0');
    mkdirSync(path.join(dir, stem));
    writeFileSync(path.join(dir, stem, 'PKG-INFO'), coreMetadata(spec));
    writeFileSync(path.join(dir, 'evil.txt'), 'x');
    const out = path.join(dir, 'out.tar.gz');
    tar.create(
      {
        gzip: true,
        cwd: dir,
        file: out,
        sync: true,
        portable: true,
        onWriteEntry: (entry) => {
          if (entry.path === 'evil.txt') entry.path = entryPath;
        },
      },
      [stem, 'evil.txt'],
    );
    return dist(readFileSync(out), `${stem}.tar.gz`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function expectRefused(result: UploadResult, status: number, reason: RegExp): Promise<void> {
  expect(result.status, result.body).toBe(status);
  expect(result.reason).toMatch(reason);
  expect(result.body).toMatch(reason);
  expect(await server.snapshot()).toEqual(before);
}

async function stagingFiles(): Promise<string[]> {
  return (await readdir(path.join(server.root, 'tmp')).catch(() => [] as string[])).filter((name) => name.startsWith('pypi-upload-'));
}

type Fields = Record<string, string | undefined>;

/** Uploads with the given digest fields after the file part (twine sends them before it); `early` overrides the rest. */
function uploadDigestsLate(built: BuiltDist, version: string, late: Fields, early: Fields = {}): Promise<UploadResult> {
  const fields = { ...twineFields(built, 'good-pkg', version), ...early };
  for (const name of Object.keys(late)) delete fields[name];
  const { body, contentType } = multipartBody(fields, built, undefined, late);
  return postUpload(endpoint, server.token, body, contentType);
}

const DIGESTS = ['sha256_digest', 'md5_digest', 'blake2_256_digest'] as const;
const WRONG: Record<(typeof DIGESTS)[number], string> = { sha256_digest: '0'.repeat(64), md5_digest: '0'.repeat(32), blake2_256_digest: '0'.repeat(64) };
/** The other two digest fields dropped, so `only` is the one the form carries. */
const alone = (only: string): Fields => Object.fromEntries(DIGESTS.filter((name) => name !== only).map((name) => [name, undefined]));

function raw(body: Buffer, headers: Record<string, string | number>, cutAfter?: number): Promise<UploadResult> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(endpoint, { method: 'POST', headers: { authorization: basicAuth(server.token), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, reason: res.statusMessage ?? '', body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    if (cutAfter === undefined) req.end(body);
    else req.end(body.subarray(0, cutAfter));
  });
}

beforeAll(async () => {
  server = await startPypiServer({ repositories: [{ name: 'hosted' }], maxUploadBytes: MAX_UPLOAD });
  endpoint = server.endpoint('hosted');
  // One good version, so refusals next to existing data are tested too.
  expect((await uploadDist(endpoint, server.token, buildWheel(spec), 'good-pkg', '1.0')).status).toBe(200);
  before = await server.snapshot();
});
afterAll(() => server.close());

describe('bad uploads are refused and store nothing', () => {
  const wheel = buildWheel({ ...spec, version: '2.0' });

  it('a body that is not multipart', async () => {
    await expectRefused(await raw(Buffer.from('{"name":"x"}'), { 'content-type': 'application/json' }), 400, /multipart\/form-data/);
  });

  it('a multipart content type without a boundary', async () => {
    await expectRefused(await raw(Buffer.from('garbage'), { 'content-type': 'multipart/form-data' }), 400, /multipart form cannot be read/);
  });

  it('a form cut off before its end', async () => {
    const { body, contentType } = multipartBody(twineFields(wheel, 'good-pkg', '2.0'), wheel);
    await expectRefused(await raw(body.subarray(0, body.length - 200), { 'content-type': contentType }), 400, /malformed or incomplete/);
  });

  it('a form cut off inside a file part the server does not want (a signature), without bringing the server down', async () => {
    const { body, contentType } = multipartBody(twineFields(wheel, 'good-pkg', '2.0'), wheel);
    const boundary = contentType.split('boundary=')[1];
    // The wanted file, then a second file part whose bytes stop halfway: no closing boundary.
    const extra = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="gpg_signature"; filename="x.asc"\r\nContent-Type: application/octet-stream\r\n\r\n${'s'.repeat(5000)}`,
    );
    const cut = Buffer.concat([body.subarray(0, body.length - `--${boundary}--\r\n`.length), extra]);
    await expectRefused(await raw(cut, { 'content-type': contentType }), 400, /malformed or incomplete/);
    const alsoFirst = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="content"; filename="a.whl"\r\n\r\n`),
      Buffer.from('x'.repeat(100)),
      Buffer.from('\r\n'),
      extra,
    ]);
    await expectRefused(await raw(alsoFirst, { 'content-type': contentType }), 400, /malformed or incomplete/);
    // Still up, still answering.
    expect((await raw(Buffer.from('{}'), { 'content-type': 'application/json' })).status).toBe(400);
  });

  it('a client that hangs up halfway through the file', async () => {
    const big = buildWheel({ ...spec, version: '2.0', files: { 'good_pkg/data.txt': randomBytes(120_000).toString('base64') } });
    const { body, contentType } = multipartBody(twineFields(big, 'good-pkg', '2.0'), big);
    const url = new URL(endpoint);
    const socket = connect(Number(url.port), url.hostname);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(
      `POST ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: ${basicAuth(server.token)}\r\nContent-Type: ${contentType}\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    socket.write(body.subarray(0, body.length >> 1));
    for (let attempt = 0; attempt < 50 && (await stagingFiles()).length === 0; attempt += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await stagingFiles()).toHaveLength(1);
    socket.destroy();
    // The server notices, removes its staging file and stores nothing.
    for (let attempt = 0; attempt < 50 && (await stagingFiles()).length > 0; attempt += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await stagingFiles()).toEqual([]);
    expect(await server.snapshot()).toEqual(before);
  });

  it('a form without the file, the name or the action', async () => {
    const fields = twineFields(wheel, 'good-pkg', '2.0');
    const noFile = multipartBody(fields);
    await expectRefused(await postUpload(endpoint, server.token, noFile.body, noFile.contentType), 400, /no content part/);
    await expectRefused(await uploadDist(endpoint, server.token, wheel, 'good-pkg', '2.0', { name: undefined }), 400, /no name field/);
    await expectRefused(await uploadDist(endpoint, server.token, wheel, 'good-pkg', '2.0', { ':action': undefined }), 400, /no :action field/);
    await expectRefused(await uploadDist(endpoint, server.token, wheel, 'good-pkg', '2.0', { ':action': 'submit' }), 400, /not supported/);
  });

  it('a file larger than the limit, announced or streamed', async () => {
    const big = dist(Buffer.alloc(MAX_UPLOAD + 1024, 7), wheel.fileName);
    await expectRefused(await uploadDist(endpoint, server.token, big, 'good-pkg', '2.0'), 413, /larger than the server's limit/);
    const { body, contentType } = multipartBody(twineFields(big, 'good-pkg', '2.0'), big);
    await expectRefused(await raw(body, { 'content-type': contentType, 'transfer-encoding': 'chunked' }), 413, /larger than the server's limit/);
  });

  it('digests that do not match the file', async () => {
    const wrong = '0'.repeat(64);
    await expectRefused(await uploadDist(endpoint, server.token, wheel, 'good-pkg', '2.0', { sha256_digest: wrong }), 400, /sha256_digest .* does not match/);
    await expectRefused(
      await uploadDist(endpoint, server.token, wheel, 'good-pkg', '2.0', { md5_digest: '0'.repeat(32) }),
      400,
      /md5_digest .* does not match/,
    );
    await expectRefused(
      await uploadDist(endpoint, server.token, wheel, 'good-pkg', '2.0', { blake2_256_digest: wrong }),
      400,
      /blake2_256_digest .* does not match/,
    );
    await expectRefused(
      await uploadDist(endpoint, server.token, wheel, 'good-pkg', '2.0', { sha256_digest: undefined, md5_digest: undefined, blake2_256_digest: undefined }),
      400,
      /no digest/,
    );
  });

  it('a wheel whose METADATA names another project or version', async () => {
    const otherProject = buildWheel({ ...spec, version: '2.0', metadataName: 'other-pkg' });
    await expectRefused(
      await uploadDist(endpoint, server.token, otherProject, 'good-pkg', '2.0'),
      400,
      /METADATA in .* is for other-pkg 2\.0, but the upload is for good-pkg 2\.0/,
    );
    const otherVersion = buildWheel({ ...spec, version: '2.0', metadataVersion: '3.0' });
    await expectRefused(await uploadDist(endpoint, server.token, otherVersion, 'good-pkg', '2.0'), 400, /is for good-pkg 3\.0/);
  });

  it('a wheel whose METADATA is in a .dist-info folder named for another project (pip will not install it)', async () => {
    const zip = new AdmZip();
    zip.addFile('good_pkg/__init__.py', Buffer.from(''));
    zip.addFile('other_pkg-2.0.dist-info/METADATA', Buffer.from(coreMetadata({ ...spec, version: '2.0' })));
    await expectRefused(
      await uploadDist(endpoint, server.token, dist(zip.toBuffer(), buildWheel({ ...spec, version: '2.0' }).fileName), 'good-pkg', '2.0'),
      400,
      /has no \.dist-info folder named for good-pkg; pip refuses to install such a wheel/,
    );
  });

  it('a project name, version or file name that is not valid', async () => {
    await expectRefused(await uploadDist(endpoint, server.token, wheel, 'bad name!', '2.0'), 400, /not a valid project name/);
    await expectRefused(await uploadDist(endpoint, server.token, wheel, 'good-pkg', '2.0-not-a-version'), 400, /not a valid PEP 440 version/);
    await expectRefused(await uploadDist(endpoint, server.token, wheel, 'good-pkg', '3.0'), 400, /is for version 2\.0, but the upload says version 3\.0/);
    await expectRefused(await uploadDist(endpoint, server.token, wheel, 'other-pkg', '2.0'), 400, /does not belong to project other-pkg/);
    await expectRefused(await uploadDist(endpoint, server.token, dist(wheel.bytes, 'good_pkg-2.0.exe'), 'good-pkg', '2.0'), 400, /Invalid file extension/);
  });

  it('a file name with path parts', async () => {
    for (const fileName of [`../${wheel.fileName}`, `a/${wheel.fileName}`, `..\\${wheel.fileName}`]) {
      await expectRefused(await uploadDist(endpoint, server.token, dist(wheel.bytes, fileName), 'good-pkg', '2.0'), 400, /without path parts/);
    }
  });

  it('zip bombs: a METADATA too large to unpack, declared or hidden behind a false size', async () => {
    const huge = Buffer.concat([Buffer.from(coreMetadata(spec)), Buffer.alloc(5 * 1024 * 1024, 0x20)]);
    const declared = wheelWithMetadata(huge);
    expect(declared.bytes.length).toBeLessThan(MAX_UPLOAD);
    await expectRefused(await uploadDist(endpoint, server.token, declared, 'good-pkg', '1.0'), 400, /would unpack to \d+ bytes; the limit is/);
    const hidden = dist(lieAboutSizes(declared.bytes, 100), declared.fileName);
    await expectRefused(await uploadDist(endpoint, server.token, hidden, 'good-pkg', '1.0'), 400, /unpacks to more than \d+ bytes/);
  });

  it('a METADATA declaring more dependencies than a version may hold', async () => {
    const many = Buffer.from(`Metadata-Version: 2.1\nName: good-pkg\nVersion: 2.0\n${'Requires-Dist: dep\n'.repeat(10_001)}`);
    const zip = new AdmZip();
    zip.addFile('good_pkg/__init__.py', Buffer.from(''));
    zip.addFile(`${fileStem('good-pkg', '2.0')}.dist-info/METADATA`, many);
    const wheelOf2 = dist(zip.toBuffer(), buildWheel({ name: 'good-pkg', version: '2.0' }).fileName);
    await expectRefused(
      await uploadDist(endpoint, server.token, wheelOf2, 'good-pkg', '2.0'),
      400,
      /declares 10001 dependencies; a version may declare at most 10000/,
    );
  });

  it('an sdist that is a gzip bomb', async () => {
    const pkgInfo = Buffer.from(coreMetadata(spec));
    const block = (name: string, size: number) => {
      const bytes = Buffer.alloc(512);
      new tar.Header({ path: name, size, type: 'File', mode: 0o644, mtime: new Date(0) }).encode(bytes, 0);
      return bytes;
    };
    const zeros = 128 << 20;
    const stem = fileStem('good-pkg', '1.0');
    const bomb = gzipSync(
      Buffer.concat([
        block(`${stem}/PKG-INFO`, pkgInfo.length),
        pkgInfo,
        Buffer.alloc(512 - pkgInfo.length),
        block(`${stem}/zeros`, zeros),
        Buffer.alloc(zeros + 1024),
      ]),
      { level: 9 },
    );
    expect(bomb.length).toBeLessThan(MAX_UPLOAD);
    await expectRefused(await uploadDist(endpoint, server.token, dist(bomb, `${stem}.tar.gz`), 'good-pkg', '1.0'), 400, /decompression ratio/);
  });

  it('files that are not archives, or hold unsafe paths', async () => {
    const junk = Buffer.from('this is not a zip file at all, just text that claims to be a wheel');
    await expectRefused(await uploadDist(endpoint, server.token, dist(junk, wheel.fileName), 'good-pkg', '2.0'), 400, /not a valid zip archive/);
    await expectRefused(await uploadDist(endpoint, server.token, dist(junk, 'good_pkg-2.0.tar.gz'), 'good-pkg', '2.0'), 400, /not a valid tar\.gz archive/);
    const noMetadata = new AdmZip();
    noMetadata.addFile('good_pkg/__init__.py', Buffer.from(''));
    await expectRefused(
      await uploadDist(endpoint, server.token, dist(noMetadata.toBuffer(), wheel.fileName), 'good-pkg', '2.0'),
      400,
      /has no \.dist-info\/METADATA/,
    );
    await expectRefused(await uploadDist(endpoint, server.token, sdistWithEntry('../evil.txt'), 'good-pkg', '1.0'), 400, /unsafe path/);
    await expectRefused(await uploadDist(endpoint, server.token, sdistWithEntry('/etc/evil.txt'), 'good-pkg', '1.0'), 400, /unsafe path/);
  });

  it('an existing file name with other bytes: 409 "File already exists"', async () => {
    const rebuilt = buildWheel({ ...spec, description: 'different bytes, same name' });
    await expectRefused(await uploadDist(endpoint, server.token, rebuilt, 'good-pkg', '1.0'), 409, /File already exists/);
  });

  it('checks a digest sent after the file too: a wrong one, alone or next to right ones, is refused', async () => {
    for (const name of DIGESTS) {
      const mismatch = new RegExp(`${name} .* does not match`);
      await expectRefused(await uploadDigestsLate(wheel, '2.0', { [name]: WRONG[name] }, alone(name)), 400, mismatch);
      await expectRefused(await uploadDigestsLate(wheel, '2.0', { [name]: WRONG[name] }), 400, mismatch);
    }
    expect(await stagingFiles()).toEqual([]);
  });

  it('takes a file that comes with any one of the three digests alone', async () => {
    const digests = ['sha256_digest', 'md5_digest', 'blake2_256_digest'];
    for (const [index, only] of digests.entries()) {
      const version = `3.${index}`;
      const alone = Object.fromEntries(digests.filter((name) => name !== only).map((name) => [name, undefined]));
      const response = await uploadDist(endpoint, server.token, buildWheel({ ...spec, version }), 'good-pkg', version, alone);
      expect(response.status, `${only} alone`).toBe(200);
    }
  });

  it('takes a file whose right digests come after it, each alone or all three', async () => {
    for (const [index, name] of DIGESTS.entries()) {
      const version = `4.${index}`;
      const built = buildWheel({ ...spec, version });
      const response = await uploadDigestsLate(built, version, { [name]: twineFields(built, 'good-pkg', version)[name] as string }, alone(name));
      expect(response.status, `${name} alone after the file: ${response.reason}`).toBe(200);
    }
    const built = buildWheel({ ...spec, version: '4.3' });
    const fields = twineFields(built, 'good-pkg', '4.3');
    const late = Object.fromEntries(DIGESTS.map((name) => [name, fields[name] as string]));
    expect((await uploadDigestsLate(built, '4.3', late)).status).toBe(200);
  });

  it('still takes a good sdist after all that', async () => {
    expect((await uploadDist(endpoint, server.token, buildSdist(spec), 'good-pkg', '1.0')).status).toBe(200);
    expect(await server.snapshot()).not.toEqual(before);
  });
});
