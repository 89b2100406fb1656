/**
 * Uploads that wait for 100 Continue (Expect: 100-continue: curl and cargo for large bodies,
 * Maven's wagon) are refused before they send their body when the checks that need no body
 * fail: a bad token (401 with the challenge), a policy's Deny (403), no such repository or
 * route (404), a declared length over the route's limit (413). Each refusal comes without a
 * 100 Continue and closes the connection; a request that passes gets 100 Continue, sends its
 * body, and is handled as any other. Requests without Expect are untouched.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHash } from 'node:crypto';
import { putPermissionsPolicy } from '../../src/operations/permissions-policy.js';
import { createRepository } from '../../src/operations/repositories.js';
import { buildCrate, publishBody as cratePublishBody } from '../helpers/cargo-crate.js';
import { startInProcessServer, type InProcessServer } from '../helpers/in-process-server.js';
import { buildNpmTarball } from '../helpers/npm-tarball.js';
import { toolRuns } from '../helpers/required-tool.js';
import { cargoEnv, findCargo, runCargo } from '../helpers/cargo-client.js';
import { runClient } from '../helpers/run-client.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const MAX_UPLOAD = 256 * 1024;

let harness: InProcessServer;
const logLines: string[] = [];
let port: number;

beforeAll(async () => {
  harness = await startInProcessServer({
    tempPrefix: 'artifact-cli-expect-',
    configure: (config) => (config.server.maxUploadBytes = MAX_UPLOAD),
    log: (line) => logLines.push(line),
  });
  port = Number(new URL(harness.server.url).port);
});

afterAll(async () => {
  await harness.server.close(100);
});

interface Exchange {
  /** Every response head received, in order (a 100 Continue, then the final one). */
  heads: string[];
  /** The final response's status and body. */
  status: number;
  body: string;
  /** Whether the client sent the body (only after a 100 Continue). */
  sentBody: boolean;
  /** Whether the final answer said the connection closes after it. */
  closes: boolean;
}

/**
 * A client that does what HTTP/1.1 asks of one that sent Expect: 100-continue: it sends the
 * headers, then the body only once a 100 Continue comes, never after a final answer. It waits
 * for the server as long as it takes (no timeout that gives up and sends the body anyway).
 */
function expectContinue(method: string, target: string, headers: Record<string, string>, body: Buffer): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' });
    let received = Buffer.alloc(0);
    const heads: string[] = [];
    let sentBody = false;
    let final: { status: number; length: number; bodyStart: number } | undefined;
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (!final) return reject(new Error(`no final answer; received ${JSON.stringify(received.toString('latin1'))}`));
      resolve({
        heads,
        status: final.status,
        body: received.subarray(final.bodyStart, final.bodyStart + final.length).toString('utf8'),
        sentBody,
        closes: /\r\nconnection: *close/i.test(heads.at(-1) ?? ''),
      });
    };
    // Only a server that never answers trips this; a slow machine does not.
    const timer = setTimeout(finish, 60_000);
    let offset = 0;
    const parse = () => {
      while (!final) {
        const end = received.indexOf('\r\n\r\n', offset);
        if (end < 0) return;
        const head = received.subarray(offset, end).toString('latin1');
        heads.push(head);
        offset = end + 4;
        const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
        if (status === 100) {
          sentBody = true;
          socket.write(body);
          continue;
        }
        final = { status, length: Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0), bodyStart: offset };
      }
    };
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      parse();
      // Done once the whole answer is in, as clients are: the length says where it ends.
      if (final && received.length >= final.bodyStart + final.length) finish();
    });
    socket.on('end', finish);
    socket.on('error', finish);
    const lines = [`${method} ${target} HTTP/1.1`, `Host: 127.0.0.1:${port}`, 'Expect: 100-continue', `Content-Length: ${body.length}`];
    for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  });
}

/** A repository of domain acme whose permissions policy is the one statement given. */
async function repositoryWithPolicy(repository: string, statement: Record<string, string>): Promise<void> {
  await createRepository(harness.store, { domain: 'acme', repository });
  await putPermissionsPolicy(
    harness.store,
    { domain: 'acme', repository },
    { policyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [statement] }) },
  );
}

function npmPublishBody(name: string, version: string): Buffer {
  const tarball = buildNpmTarball({ name, version });
  const fileName = `${name}-${version}.tgz`;
  return Buffer.from(
    JSON.stringify({
      _id: name,
      name,
      'dist-tags': { latest: version },
      versions: {
        [version]: { ...tarball.manifest, _id: `${name}@${version}`, dist: { integrity: tarball.integrity, shasum: tarball.shasum, tarball: `x/${fileName}` } },
      },
      _attachments: { [fileName]: { content_type: 'application/octet-stream', data: tarball.bytes.toString('base64'), length: tarball.bytes.length } },
    }),
  );
}

const json = { 'content-type': 'application/json' };
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('a request that waits for 100 Continue', () => {
  it('with a bad token is refused with 401 and the challenge, before its body, and the connection closes', async () => {
    const result = await expectContinue(
      'PUT',
      '/acme/npm/main/refused-pkg',
      { ...json, ...bearer('acat_not-a-token') },
      npmPublishBody('refused-pkg', '1.0.0'),
    );
    expect(result.heads).toHaveLength(1);
    expect(result.heads[0]).toMatch(/^HTTP\/1\.1 401 /);
    expect(result.heads[0]).toMatch(/\r\nwww-authenticate: Basic realm="artifact-cli"/i);
    expect(JSON.parse(result.body)).toMatchObject({ error: expect.stringContaining('The token is not valid for domain acme') as unknown });
    expect(result.sentBody).toBe(false);
    expect(result.closes).toBe(true);
    expect(await harness.store.index.getPackage({ domain: 'acme', repository: 'main', format: 'npm', name: 'refused-pkg' })).toBeUndefined();
    // Logged as any request is, once the client has hung up.
    await vi.waitFor(() => expect(logLines).toContainEqual(expect.stringMatching(/^PUT \/acme\/npm\/main\/refused-pkg 401 /)), { timeout: 10_000 });
  });

  it("with no token at all is refused with 401 in the format's own error shape (cargo)", async () => {
    const crate = cratePublishBody({ name: 'no-token', vers: '0.1.0' }, buildCrate('no-token', '0.1.0'));
    const result = await expectContinue('PUT', '/acme/cargo/main/api/v1/crates/new', {}, crate);
    expect(result.status).toBe(401);
    expect(result.sentBody).toBe(false);
    expect(JSON.parse(result.body)).toEqual({ errors: [{ detail: expect.stringContaining('A token of domain acme is required') as unknown }] });
  });

  it('declaring a body over the limit is refused with 413 before its body', async () => {
    const result = await expectContinue('PUT', '/acme/npm/main/huge-pkg', { ...json, ...bearer(harness.token) }, Buffer.alloc(MAX_UPLOAD + 1, 0x20));
    expect(result.status).toBe(413);
    expect(result.heads).toHaveLength(1);
    expect(result.heads[0]).toMatch(/^HTTP\/1\.1 413 The request body is 262145 bytes; the limit is 262144\.\r\n/);
    expect((JSON.parse(result.body) as { error: string }).error).toContain(`The request body is ${MAX_UPLOAD + 1} bytes; the limit is ${MAX_UPLOAD}.`);
    expect(result.sentBody).toBe(false);
    expect(result.closes).toBe(true);
  });

  it.each([
    ['npm', 'PUT', 'npm/main/big-pkg', /The request body is \d+ bytes; the limit is \d+\./],
    ['pypi', 'POST', 'pypi/main/legacy/', /The upload is larger than the server's limit of \d+ bytes/],
    ['nuget', 'PUT', 'nuget/main/api/v2/package/', /The package is larger than this server's limit of \d+ bytes/],
    ['maven', 'PUT', 'maven/main/com/acme/big/1.0/big-1.0.jar', /The file is \d+ bytes; this server accepts at most \d+\./],
    ['generic', 'PUT', 'generic/main/tools/big/1.0/big.bin', /The upload is larger than the limit of \d+ bytes/],
    ['ruby', 'POST', 'ruby/main/api/v1/gems', /The gem is larger than this server's limit of \d+ bytes/],
    ['swift', 'PUT', 'swift/main/acme/big/1.0.0', /The publish body is larger than this server's limit of \d+ bytes/],
    ['cargo', 'PUT', 'cargo/main/api/v1/crates/new', /The request body is \d+ bytes; the limit is \d+\./],
  ])("%s's upload over the limit is refused with 413 in the format's own words, before its body", async (_format, method, target, reason) => {
    // Past every format's allowance for the envelope around the file (NuGet's 64 KiB).
    const result = await expectContinue(method, `/acme/${target}`, bearer(harness.token), Buffer.alloc(MAX_UPLOAD + 128 * 1024, 0x20));
    expect([result.status, result.sentBody, result.heads.length]).toEqual([413, false, 1]);
    expect(result.body).toMatch(reason);
  });

  it("a SwiftPM publish's refusal carries Content-Version, as every answer of the registry API does", async () => {
    const result = await expectContinue('PUT', '/acme/swift/main/acme/big/1.0.0', bearer('acat_not-a-token'), Buffer.alloc(1024, 0x20));
    expect([result.status, result.sentBody]).toEqual([401, false]);
    expect(result.heads[0]).toMatch(/\r\ncontent-version: 1\r\n/i);
    expect(result.heads[0]).toMatch(/\r\ncontent-type: application\/problem\+json\r\n/i);
  });

  it('a NuGet push within the envelope allowance over the limit is told to go on, as the push itself would take it', async () => {
    const result = await expectContinue(
      'PUT',
      '/acme/nuget/main/api/v2/package/',
      { ...bearer(harness.token), 'content-type': 'multipart/form-data; boundary=x' },
      Buffer.alloc(MAX_UPLOAD + 1024, 0x20),
    );
    expect(result.heads[0]).toBe('HTTP/1.1 100 Continue');
    // The body is no multipart form: refused for that once read, not for its length.
    expect(result.status).toBe(400);
  });

  it('to a repository that does not exist, or a path no route takes, is refused with 404 before its body', async () => {
    const missing = await expectContinue('PUT', '/acme/npm/nowhere/some-pkg', { ...json, ...bearer(harness.token) }, Buffer.from('{}'));
    expect([missing.status, missing.sentBody]).toEqual([404, false]);
    expect(missing.body).toContain('Repository nowhere does not exist in domain acme');
    const noRoute = await expectContinue('POST', '/acme/cargo/main/api/v1/crates/new', bearer(harness.token), Buffer.from('x'));
    expect([noRoute.status, noRoute.sentBody]).toEqual([404, false]);
  });

  it("that the repository's policy denies is refused with 403 and the reason, before its body", async () => {
    await repositoryWithPolicy('locked', { Sid: 'NoPublish', Effect: 'Deny', Principal: '*', Action: 'codeartifact:PublishPackageVersion', Resource: '*' });
    const result = await expectContinue('PUT', '/acme/npm/locked/denied-pkg', { ...json, ...bearer(harness.token) }, npmPublishBody('denied-pkg', '1.0.0'));
    expect(result.status).toBe(403);
    expect(result.heads[0]).toMatch(/^HTTP\/1\.1 403 .*statement "NoPublish"/);
    expect(result.sentBody).toBe(false);
  });

  it('that passes gets 100 Continue, sends its body, and is published (npm)', async () => {
    const result = await expectContinue('PUT', '/acme/npm/main/continued-pkg', { ...json, ...bearer(harness.token) }, npmPublishBody('continued-pkg', '1.0.0'));
    expect(result.heads[0]).toBe('HTTP/1.1 100 Continue');
    expect(result.sentBody).toBe(true);
    expect(result.status).toBe(201);
    const record = await harness.store.index.getPackage({ domain: 'acme', repository: 'main', format: 'npm', name: 'continued-pkg' });
    expect(record?.versions['1.0.0']?.status).toBe('Published');
  });

  it('that passes gets 100 Continue, sends its body, and is published (cargo)', async () => {
    const crate = cratePublishBody({ name: 'continued', vers: '0.1.0' }, buildCrate('continued', '0.1.0'));
    const result = await expectContinue('PUT', '/acme/cargo/main/api/v1/crates/new', { authorization: harness.token }, crate);
    expect(result.heads[0]).toBe('HTTP/1.1 100 Continue');
    expect(result.status).toBe(200);
    const record = await harness.store.index.getPackage({ domain: 'acme', repository: 'main', format: 'cargo', name: 'continued' });
    expect(record?.versions['0.1.0']?.status).toBe('Published');
  });

  it("is measured against its route's own limit: an npm audit larger than server.maxUploadBytes still goes on", async () => {
    const result = await expectContinue(
      'POST',
      '/acme/npm/main/-/npm/v1/security/advisories/bulk',
      { ...json, ...bearer(harness.token) },
      Buffer.alloc(MAX_UPLOAD * 2, 0x20),
    );
    expect(result.heads[0]).toBe('HTTP/1.1 100 Continue');
    expect(result.status).toBe(200);
  });

  it('with an expectation other than 100-continue gets 417', async () => {
    const socket = connect({ port, host: '127.0.0.1' });
    const answer = await new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
      socket.on('close', () => resolve(text));
      socket.write(`PUT /acme/npm/main/x HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: something-else\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 417 /);
  });
});

describe('curl uploading with Expect: 100-continue', () => {
  const haveCurl = toolRuns('curl', ['--version'], 'curl uploading with Expect: 100-continue');

  const curl = (args: string[]) => runClient('curl', args, process.cwd(), process.env);

  interface Upload {
    code: number | null;
    status: string;
    /** What curl says it uploaded. */
    uploaded: number;
    /** Whether curl was told to go on (its verbose log shows the 100 Continue it received). */
    toldToContinue: boolean;
    /** The bytes the server read from curl's connections: the request head alone, or the body too. */
    serverRead: number;
    text: string;
    stderr: string;
  }

  /** `curl -T file` with Expect: 100-continue, as a user uploads to the generic format. */
  async function upload(bytes: Buffer, token: string, name: string): Promise<Upload> {
    const file = path.join(makeTempDir('artifact-cli-expect-curl-'), name);
    writeFileSync(file, bytes);
    const sockets: Socket[] = [];
    const onConnection = (socket: Socket) => sockets.push(socket);
    harness.server.server.on('connection', onConnection);
    const result = await curl([
      '--verbose',
      '--silent',
      '--show-error',
      '--fail-with-body',
      // Waits for the server's word however long it takes; curl's default sends the body after a second.
      '--expect100-timeout',
      '600',
      '-H',
      'Expect: 100-continue',
      '-H',
      `Authorization: Bearer ${token}`,
      '-H',
      `X-Checksum-Sha256: ${createHash('sha256').update(bytes).digest('hex')}`,
      '-T',
      file,
      '--write-out',
      '\n%{http_code} %{size_upload}',
      `${harness.server.url}/acme/generic/main/tools/${name}/1.0/${name}`,
    ]);
    harness.server.server.off('connection', onConnection);
    const lines = result.stdout.trimEnd().split('\n');
    const [status, uploaded] = (lines.at(-1) ?? '').split(' ');
    return {
      code: result.code,
      status,
      uploaded: Number(uploaded),
      toldToContinue: /^< HTTP\/1\.1 100 Continue/m.test(result.stderr),
      serverRead: sockets.reduce((sum, socket) => sum + socket.bytesRead, 0),
      text: lines.slice(0, -1).join('\n'),
      stderr: result.stderr,
    };
  }

  // Larger than the socket buffers, so a body sent anyway could not hide in them.
  const big = Buffer.alloc(4 * 1024 * 1024, 0x61);

  it.skipIf(!haveCurl)('with a wrong token is refused before it uploads a byte, and reports the 401', async () => {
    const result = await upload(big, 'acat_wrong-token', 'refused.bin');
    expect(result.code).toBe(22);
    expect([result.status, result.uploaded, result.toldToContinue]).toEqual(['401', 0, false]);
    expect(result.stderr).toMatch(/^> Expect: 100-continue/m);
    // The request head is a few hundred bytes; not one of the 4 MiB followed it.
    expect(result.serverRead).toBeLessThan(4096);
    expect(result.text).toContain('The token is not valid for domain acme');
  });

  it.skipIf(!haveCurl)('over the limit is refused before it uploads a byte, and reports the 413', async () => {
    const result = await upload(big, harness.token, 'too-big.bin');
    expect(result.code).toBe(22);
    expect([result.status, result.uploaded, result.toldToContinue]).toEqual(['413', 0, false]);
    expect(result.serverRead).toBeLessThan(4096);
    expect(result.text).toContain(`The upload is larger than the limit of ${MAX_UPLOAD} bytes.`);
  });

  it.skipIf(!haveCurl)('with a good token is told to go on, uploads the file, and it is stored', async () => {
    const bytes = Buffer.alloc(200 * 1024, 0x62);
    const result = await upload(bytes, harness.token, 'fine.bin');
    expect(result.code, result.stderr).toBe(0);
    expect([result.status, result.uploaded, result.toldToContinue]).toEqual(['200', bytes.length, true]);
    expect(result.serverRead).toBeGreaterThan(bytes.length);
    const record = await harness.store.index.getPackage({ domain: 'acme', repository: 'main', format: 'generic', namespace: 'tools', name: 'fine.bin' });
    expect(record?.versions['1.0']?.assets.map((asset) => asset.name)).toEqual(['fine.bin']);
  });
});

describe('cargo publish of a crate over 1 MiB', () => {
  const haveCargo = findCargo();

  interface Observed<T> {
    result: T;
    /** Bytes the server read from every connection opened meanwhile. */
    read: number;
    /** The requests that waited for 100 Continue, and whether they were told to go on. */
    waited: { method: string; url: string; continued: boolean }[];
  }

  async function observe<T>(run: () => Promise<T>): Promise<Observed<T>> {
    const sockets: Socket[] = [];
    const waited: Observed<T>['waited'] = [];
    const onConnection = (socket: Socket) => sockets.push(socket);
    // Runs after the server's own listener, which answers; this one only watches.
    const onCheckContinue = (req: IncomingMessage, res: ServerResponse) => {
      const entry = { method: req.method ?? '', url: req.url ?? '', continued: false };
      waited.push(entry);
      const writeContinue = res.writeContinue.bind(res);
      res.writeContinue = (callback?: () => void) => {
        entry.continued = true;
        writeContinue(callback);
      };
    };
    harness.server.server.on('connection', onConnection).on('checkContinue', onCheckContinue);
    try {
      const result = await run();
      return { result, read: sockets.reduce((sum, socket) => sum + socket.bytesRead, 0), waited };
    } finally {
      harness.server.server.off('connection', onConnection).off('checkContinue', onCheckContinue);
    }
  }

  it.skipIf(!haveCargo)(
    "to a repository whose policy refuses it shows the 403's reason, and the crate was never sent",
    async () => {
      await repositoryWithPolicy('readonly', { Sid: 'ReadOnly', Effect: 'Allow', Principal: '*', Action: 'codeartifact:ReadFromRepository', Resource: '*' });
      const home = makeTempDir('artifact-cli-expect-cargo-home-');
      const project = makeTempDir('artifact-cli-expect-cargo-project-');
      mkdirSync(path.join(project, 'src'));
      writeFileSync(
        path.join(project, 'Cargo.toml'),
        '[package]\nname = "heavy"\nversion = "0.1.0"\nedition = "2021"\ndescription = "x"\nlicense = "MIT"\ninclude = ["src/*"]\n',
      );
      writeFileSync(path.join(project, 'src', 'lib.rs'), '');
      // Random bytes stay as large in the gzipped .crate.
      const crateBytes = 3 * 1024 * 1024;
      writeFileSync(path.join(project, 'src', 'data.bin'), randomBytes(crateBytes));
      const env = {
        ...cargoEnv(home),
        CARGO_REGISTRIES_READONLY_INDEX: `sparse+${harness.server.url}/acme/cargo/readonly/`,
        CARGO_REGISTRIES_READONLY_TOKEN: harness.token,
        CARGO_REGISTRIES_READONLY_CREDENTIAL_PROVIDER: 'cargo:token',
      };
      const { result, read, waited } = await observe(() => runCargo(['publish', '--registry', 'readonly', '--allow-dirty', '--no-verify'], project, env));
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain('403');
      expect(result.stderr).toContain('may not perform codeartifact:PublishPackageVersion on repository readonly');
      // cargo waited for 100 Continue, was refused instead, and never sent the 3 MiB crate.
      expect(waited).toEqual([{ method: 'PUT', url: '/acme/cargo/readonly/api/v1/crates/new', continued: false }]);
      expect(read).toBeLessThan(crateBytes / 4);
    },
    240_000,
  );
});
