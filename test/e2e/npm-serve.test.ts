/**
 * `artifact-cli serve` as a process: two servers on one root see each other's publishes at
 * once, and SIGTERM lets an upload in flight finish before the server exits cleanly.
 */
import { readdirSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, runCliJson } from '../helpers/run-cli.js';
import { buildNpmTarball, type BuiltTarball } from '../helpers/npm-tarball.js';
import { startTestServer } from '../helpers/server.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { publishBody } from '../formats/npm/npm-registry-harness.js';
import { responseJson } from '../helpers/json.js';

let root: string;
let token: string;

beforeAll(async () => {
  root = makeTempDir('artifact-cli-serve-');
  await runCliJson(['create-domain', '--domain', 'acme'], { root });
  await runCliJson(['create-repository', '--domain', 'acme', '--repository', 'main'], { root });
  token = (await runCli(['get-authorization-token', '--domain', 'acme', '--query', 'authorizationToken', '--output', 'text'], { root })).stdout.trim();
});

const registryOf = (url: string) => `${url}/acme/npm/main/`;
const authorization = () => ({ authorization: `Bearer ${token}` });

function publish(url: string, tarball: BuiltTarball): Promise<Response> {
  return fetch(`${registryOf(url)}${String(tarball.manifest.name)}`, {
    method: 'PUT',
    headers: { ...authorization(), 'content-type': 'application/json' },
    body: JSON.stringify(publishBody(tarball, registryOf(url))),
  });
}

async function versionsSeenBy(url: string, name: string): Promise<string[]> {
  const response = await fetch(`${registryOf(url)}${name}`, { headers: { ...authorization(), accept: 'application/vnd.npm.install-v1+json' } });
  return response.status === 200 ? Object.keys((await responseJson<{ versions: Record<string, unknown> }>(response)).versions) : [];
}

describe('two servers on one root', () => {
  it('serve what the other published at once, even after caching the old packument', async () => {
    const [first, second] = await Promise.all([startTestServer({ root }), startTestServer({ root })]);
    expect(await versionsSeenBy(second.url, 'shared-pkg')).toEqual([]);
    expect((await publish(first.url, buildNpmTarball({ name: 'shared-pkg', version: '1.0.0' }))).status).toBe(201);
    expect(await versionsSeenBy(second.url, 'shared-pkg')).toEqual(['1.0.0']);
    expect((await publish(first.url, buildNpmTarball({ name: 'shared-pkg', version: '1.1.0' }))).status).toBe(201);
    expect(await versionsSeenBy(second.url, 'shared-pkg')).toEqual(['1.0.0', '1.1.0']);
    const tarball = await fetch(`${registryOf(second.url)}shared-pkg/-/shared-pkg-1.1.0.tgz`, { headers: authorization() });
    expect(tarball.status).toBe(200);
    await Promise.all([first.stop(), second.stop()]);
  });
});

describe('graceful shutdown', () => {
  it('lets a slow upload finish after SIGTERM, then exits and leaves no temp files', async () => {
    const server = await startTestServer({ root });
    const url = new URL(registryOf(server.url));
    const tarball = buildNpmTarball({ name: 'slow-upload', version: '1.0.0', files: { 'data.txt': 'x'.repeat(50_000) } });
    const body = Buffer.from(JSON.stringify(publishBody(tarball, url.href)));
    const socket = connect(Number(url.port), url.hostname);
    let answer = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => (answer += chunk));
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.write(
      `PUT ${url.pathname}slow-upload HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`,
    );
    socket.write(body.subarray(0, body.length / 2));
    await new Promise((resolve) => setTimeout(resolve, 200));

    const exited = server.stop();
    await new Promise((resolve) => setTimeout(resolve, 300));
    // The listener is closed to newcomers while the upload is still going.
    await expect(fetch(`${server.url}/health`)).rejects.toThrow();
    // write, not end: a client that half-closes its socket gives up on the answer.
    socket.write(body.subarray(body.length / 2));
    await closed;

    expect(answer).toMatch(/^HTTP\/1\.1 201 /);
    expect(await exited).toBe(0);
    expect(server.output()).toMatch(/SIGTERM received: finishing in-flight requests/);
    // The request log is written in batches; the last request's line is written before the exit.
    expect(server.output()).toMatch(/^PUT \/\S*slow-upload 201 [\d.]+ms$/m);
    expect(server.output()).not.toContain(token);
    expect(readdirSync(path.join(root, 'tmp'))).toEqual([]);

    const again = await startTestServer({ root });
    expect(await versionsSeenBy(again.url, 'slow-upload')).toEqual(['1.0.0']);
    await again.stop();
  });
});
