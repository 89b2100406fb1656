/**
 * A PublishPackageVersion refused after its signature was checked (no such repository, a
 * format other than generic) while its body is still coming: the client sends the whole body
 * and reads the answer, without waiting for the server to give up on it and reset the
 * connection (as a client that writes before it reads, Python's http.client, would see it).
 */
import http from 'node:http';
import { beforeAll, describe, expect, it } from 'vitest';
import { signHeaders, type AccessKey } from '../helpers/aws-sign.js';
import { runCliJson } from '../helpers/run-cli.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { makeTempDir } from '../helpers/temp-dir.js';

let server: TestServer;
let key: AccessKey;
// Far more than the socket buffers and the hashing stream's hold together.
const body = Buffer.alloc(32 * 1024 * 1024, 7);

beforeAll(async () => {
  const root = makeTempDir('artifact-cli-api-refused-upload-');
  key = (await runCliJson<{ AccessKey: AccessKey }>(['create-access-key', '--principal', 'admin'], { root })).AccessKey;
  await runCliJson(['create-domain', '--domain', 'acme'], { root });
  await runCliJson(['create-repository', '--domain', 'acme', '--repository', 'main'], { root });
  server = await startTestServer({ root });
});

interface Upload {
  status: number;
  type: string | undefined;
  /** The error the client's side of the connection saw, if any (EPIPE, ECONNRESET). */
  failure?: string;
  elapsedMs: number;
}

/** Writes the whole body, then waits for the connection to close. */
function upload(query: string): Promise<Upload> {
  const path = `/v1/package/version/publish?${query}`;
  const headers = signHeaders(server.url, {
    method: 'POST',
    path,
    body,
    declareHash: true,
    accessKeyId: key.AccessKeyId,
    secretAccessKey: key.SecretAccessKey,
  });
  const url = new URL(server.url);
  const started = Date.now();
  return new Promise((resolve) => {
    let status = 0;
    let type: string | undefined;
    let failure: string | undefined;
    const req = http.request({
      host: url.hostname,
      port: url.port,
      method: 'POST',
      path,
      agent: false,
      headers: { ...headers, connection: 'close', 'content-length': String(body.length) },
    });
    req.on('response', (res) => {
      status = res.statusCode ?? 0;
      type = res.headers['x-amzn-errortype'] as string | undefined;
      res.resume();
    });
    req.on('error', (error: NodeJS.ErrnoException) => (failure = error.code ?? error.message));
    req.on('close', () => resolve({ status, type, failure, elapsedMs: Date.now() - started }));
    req.end(body);
  });
}

describe('a streamed upload refused after its signature', () => {
  it('answers 404 for a missing repository and reads the rest of the body', async () => {
    const answer = await upload('domain=acme&repository=ghost&format=generic&namespace=ns&package=p&version=1.0&asset=a.bin');
    expect(answer).toMatchObject({ status: 404, type: 'ResourceNotFoundException', failure: undefined });
    // The server gives up on a stalled body after 5 s of silence.
    expect(answer.elapsedMs).toBeLessThan(4_000);
  });

  it('answers 400 for another format the same way', async () => {
    const answer = await upload('domain=acme&repository=main&format=npm&package=p&version=1.0.0&asset=a.bin');
    expect(answer).toMatchObject({ status: 400, type: 'ValidationException', failure: undefined });
    expect(answer.elapsedMs).toBeLessThan(4_000);
  });
});
