/** The generic endpoint over real HTTP: the server in-process on port 0 with a temp store. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { getAuthorizationToken } from '../../src/operations/tokens.js';
import { updatePackageVersionsStatus } from '../../src/operations/version-status.js';
import { startServer, type RunningServer } from '../../src/server/serve.js';
import type { Store } from '../../src/store/store.js';
import { genericKey, makePackageStore, publishGeneric, sha256 } from '../operations/packages-fixture.js';
import { TEST_SERVER_OPTIONS } from '../helpers/server-options.js';
import { stringContaining } from '../helpers/matchers.js';

let server: RunningServer;
let store: Store;
let root: string;
let token: string;

beforeAll(async () => {
  ({ root, store } = await makePackageStore());
  ({ authorizationToken: token } = await getAuthorizationToken(store, { domain: 'acme', principal: 'alice' }));
  const config = await loadConfig({ root }, {}, root);
  config.server.port = 0;
  config.server.maxUploadBytes = 1024;
  server = await startServer({ ...TEST_SERVER_OPTIONS, store, config, log: () => undefined });
});

afterAll(async () => {
  await server.close(100);
});

function request(pathname: string, init: RequestInit & { token?: string | null } = {}): Promise<Response> {
  const { token: given, ...rest } = init;
  const headers = new Headers(rest.headers);
  const bearer = given === undefined ? token : given;
  if (bearer !== null) headers.set('authorization', `Bearer ${bearer}`);
  return fetch(`${server.url}/acme/generic/main/${pathname}`, { ...rest, headers });
}

function upload(pathname: string, body: string, sha = sha256(body)) {
  return request(pathname, { method: 'PUT', body, headers: { 'x-checksum-sha256': sha } });
}

describe('the generic endpoint', () => {
  it('uploads assets with PUT and downloads them with GET and HEAD', async () => {
    const first = await upload('ns/http-tool/1.0/part%201.bin?unfinished=true', 'first part');
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({
      format: 'generic',
      namespace: 'ns',
      package: 'http-tool',
      version: '1.0',
      status: 'Unfinished',
      asset: { name: 'part 1.bin', size: 10 },
    });
    // Unfinished versions cannot be downloaded yet.
    expect((await request('ns/http-tool/1.0/part%201.bin')).status).toBe(404);

    const last = await upload('ns/http-tool/1.0/part2.bin', 'second part');
    expect(await last.json()).toMatchObject({ status: 'Published' });

    const download = await request('ns/http-tool/1.0/part%201.bin');
    expect(download.status).toBe(200);
    expect(download.headers.get('etag')).toBe(`"${sha256('first part')}"`);
    expect(await download.text()).toBe('first part');
    const head = await request('ns/http-tool/1.0/part2.bin', { method: 'HEAD' });
    expect([head.status, head.headers.get('content-length')]).toEqual([200, '11']);
  });

  it('refuses an upload whose digest does not match, or that has none, and stores nothing', async () => {
    const wrong = await upload('ns/bad/1.0/a.bin', 'bytes', sha256('other bytes'));
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ code: 'Validation', message: stringContaining('does not match') });
    const missing = await request('ns/bad/1.0/a.bin', { method: 'PUT', body: 'bytes' });
    expect(missing.status).toBe(400);
    expect(await store.index.getPackage(genericKey('main', 'bad'))).toBeUndefined();
    expect(await store.blobs.size(sha256('bytes'))).toBeUndefined();
  });

  it('answers 409 for other bytes under an existing asset name, 413 for a body over the limit', async () => {
    await publishGeneric(store, { version: '1.0', content: 'original' });
    expect((await upload('ns/tool/1.0/tool.bin', 'replacement')).status).toBe(409);
    expect((await upload('ns/tool/2.0/big.bin', 'x'.repeat(2048))).status).toBe(413);
  });

  it('serves Unlisted versions but not Archived ones, and 404 for what is not there', async () => {
    await publishGeneric(store, { package: 'states', version: '1.0', content: 'states' });
    await updatePackageVersionsStatus(store, genericKey('main', 'states'), { versions: ['1.0'], targetStatus: 'Unlisted' });
    expect((await request('ns/states/1.0/tool.bin')).status).toBe(200);
    await updatePackageVersionsStatus(store, genericKey('main', 'states'), { versions: ['1.0'], targetStatus: 'Archived' });
    expect((await request('ns/states/1.0/tool.bin')).status).toBe(404);
    expect((await request('ns/states/9.9/tool.bin')).status).toBe(404);
    expect((await request('ns/nothing/1.0/tool.bin')).status).toBe(404);
  });

  it('needs a token, and refuses names that are not valid', async () => {
    expect((await request('ns/tool/1.0/tool.bin', { token: null })).status).toBe(401);
    expect((await upload('ns/tool/3.0/two%20%20spaces', 'x')).status).toBe(400);
    expect((await upload('ns/tool/3.0/bad%ZZname', 'x')).status).toBe(400);
  });
});
