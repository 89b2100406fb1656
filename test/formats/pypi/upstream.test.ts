/**
 * Reads through upstream repositories and the public index: pages merge files along the chain,
 * downloads retain what they fetch where CodeArtifact keeps it, digests are checked, origin
 * controls hide public files of a package published here, and cached data outlives the index.
 */
import { createHash } from 'node:crypto';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { putPackageOriginConfiguration } from '../../../src/operations/origin-configuration.js';
import { beforeIndexUpdate } from '../../helpers/before-index-update.js';
import { refusedOnceHolderKept } from '../../helpers/refused-once-holder-kept.js';
import { startFakePypiIndex, type FakePypiIndex } from '../../helpers/fake-pypi-index.js';
import { holdBlobWrites } from '../../helpers/held-blob-writes.js';
import { buildSdist, buildWheel } from '../../helpers/pypi-dist.js';
import { DOMAIN, startPypiServer, type PypiTestServer } from '../../helpers/pypi-server.js';
import { basicAuth, uploadDist } from '../../helpers/pypi-upload.js';
import { parseJson } from '../../helpers/json.js';
import type { ProjectPageJson } from './project-page-json.js';

const JSON_TYPE = 'application/vnd.pypi.simple.v1+json';

let index: FakePypiIndex;
let server: PypiTestServer;

async function get(url: string, accept = JSON_TYPE) {
  const response = await request(url, { headers: { authorization: basicAuth(server.token), accept } });
  const body = Buffer.from(await response.body.arrayBuffer());
  return { status: response.statusCode, body, json: () => parseJson<ProjectPageJson>(body) };
}

function record(repository: string, project: string) {
  return server.store.index.getPackage({ domain: DOMAIN, repository, format: 'pypi', name: project });
}

beforeAll(async () => {
  index = await startFakePypiIndex();
  // app -> team -> pypi-store (public:pypi)
  server = await startPypiServer({
    repositories: [
      { name: 'app', upstreams: ['team'] },
      { name: 'team', upstreams: ['pypi-store'] },
      { name: 'pypi-store', external: true },
    ],
    publicIndexUrl: index.url,
    // Every page read asks the index again, so files it gains show up at once.
    metadataMaxAgeSeconds: 0,
  });
});
afterAll(async () => {
  await server.close();
  await index.close();
});

describe('PyPI through upstreams and the public index', () => {
  it('serves a package held by an upstream repository and retains it in the repository asked only', async () => {
    const wheel = buildWheel({ name: 'team-lib', version: '1.2' });
    expect((await uploadDist(server.endpoint('team'), server.token, wheel, 'team-lib', '1.2')).status).toBe(200);
    const page = (await get(`${server.endpoint('app')}simple/team-lib/`)).json();
    expect(page.files.map((file) => file.filename)).toEqual([wheel.fileName]);
    const file = await get(`${server.endpoint('app')}simple/team-lib/1.2/${wheel.fileName}`);
    expect(file.body.equals(wheel.bytes)).toBe(true);
    expect(Object.keys((await record('app', 'team-lib'))?.versions ?? {})).toEqual(['1.2']);
    expect(await record('pypi-store', 'team-lib')).toBeUndefined();
  });

  it('lists public files with their digests and fetches one on download, checked and retained', async () => {
    const old = index.add({ name: 'Public.Lib', version: '1.0', requiresPython: '>=3.7' });
    const current = index.add({ name: 'public-lib', version: '2.0' });
    const page = (await get(`${server.endpoint('app')}simple/public-lib/`)).json();
    expect(page.versions).toEqual(['1.0', '2.0']);
    expect(page.files.map((file) => [file.filename, file.hashes.sha256])).toEqual([
      [old.fileName, old.sha256],
      [current.fileName, current.sha256],
    ]);
    expect(page.files[0]['requires-python']).toBe('>=3.7');

    const metadata = await get(`${server.endpoint('app')}simple/public-lib/2.0/${current.fileName}.metadata`);
    expect(metadata.body.equals(current.metadata!)).toBe(true);
    const file = await get(`${server.endpoint('app')}simple/public-lib/2.0/${current.fileName}`);
    expect(file.body.equals(current.bytes)).toBe(true);

    for (const repository of ['app', 'pypi-store']) {
      const version = (await record(repository, 'public-lib'))?.versions['2.0'];
      expect(version?.origin, repository).toEqual({ domainEntryPoint: { externalConnectionName: 'public:pypi' }, originType: 'EXTERNAL' });
      expect(version?.assets.map((asset) => asset.name)).toEqual([current.fileName, `${current.fileName}.metadata`]);
      expect((await record(repository, 'public-lib'))?.originConfiguration.restrictions).toEqual({ publish: 'BLOCK', upstream: 'ALLOW' });
    }
    expect(await record('team', 'public-lib')).toBeUndefined();

    // Served from the store from now on, without asking the index anything (not even the page).
    const seen = index.requests.length;
    expect((await get(`${server.endpoint('app')}simple/public-lib/2.0/${current.fileName}`)).body.equals(current.bytes)).toBe(true);
    expect(index.requests.length).toBe(seen);
  });

  it("writes and flushes a cold file's indexes while the file and its METADATA are flushed, and names them only once they are durable", async () => {
    const cold = index.add({ name: 'flush-order', version: '1.0' });
    const repositories = ['pypi-store', 'app'];
    const writes = holdBlobWrites(server.store);
    try {
      const download = get(`${server.endpoint('app')}simple/flush-order/1.0/${cold.fileName}`);
      await writes.held;
      // Both indexes' writes began beside the flushes (the wheel's METADATA read from memory), their renames waiting for them...
      const keys = repositories.map((repository) => ({ domain: DOMAIN, repository, format: 'pypi' as const, name: 'flush-order' }));
      await vi.waitFor(() => expect(writes.updates).toEqual(expect.arrayContaining(keys.map((key) => ({ key, renameAfter: true })))), { timeout: 10_000 });
      // ...so neither index on disk names files that are not durable yet.
      for (const repository of repositories) expect(await record(repository, 'flush-order')).toBeUndefined();
      writes.release();
      expect((await download).body.equals(cold.bytes)).toBe(true);
      for (const repository of repositories) {
        const version = (await record(repository, 'flush-order'))?.versions['1.0'];
        expect(version?.assets.map((asset) => asset.name)).toEqual([cold.fileName, `${cold.fileName}.metadata`]);
      }
    } finally {
      writes.restore();
    }
  });

  it('names a cold file in no index when its write fails after the check (a full disk), and answers 507', async () => {
    const cold = index.add({ name: 'write-fails', version: '1.0' });
    const repositories = ['pypi-store', 'app'];
    const writes = holdBlobWrites(server.store);
    try {
      const download = get(`${server.endpoint('app')}simple/write-fails/1.0/${cold.fileName}`);
      await writes.held;
      const keys = repositories.map((repository) => ({ domain: DOMAIN, repository, format: 'pypi' as const, name: 'write-fails' }));
      await vi.waitFor(() => expect(writes.updates).toEqual(expect.arrayContaining(keys.map((key) => ({ key, renameAfter: true })))), { timeout: 10_000 });
      writes.fail();
      expect((await download).status).toBe(507);
      for (const repository of repositories) expect(await record(repository, 'write-fails')).toBeUndefined();
    } finally {
      writes.restore();
    }
  });

  it('adds a second public file of a version to the version already retained', async () => {
    const sdist = index.add({ name: 'public-lib', version: '2.0' }, buildSdist({ name: 'public-lib', version: '2.0' }));
    const file = await get(`${server.endpoint('app')}simple/public-lib/2.0/${sdist.fileName}`);
    expect(file.status).toBe(200);
    const assets = (await record('app', 'public-lib'))?.versions['2.0'].assets.map((asset) => asset.name).sort();
    expect(assets).toEqual(
      [
        sdist.fileName,
        buildWheel({ name: 'public-lib', version: '2.0' }).fileName,
        `${buildWheel({ name: 'public-lib', version: '2.0' }).fileName}.metadata`,
      ].sort(),
    );
  });

  it('refuses a public file whose bytes do not match the announced digest, storing nothing', async () => {
    const wheel = index.add({ name: 'tampered', version: '1.0' });
    index.setFault('wrong-digest', 'file');
    try {
      const response = await get(`${server.endpoint('app')}simple/tampered/1.0/${wheel.fileName}`);
      expect(response.status).toBe(502);
      expect(await record('app', 'tampered')).toBeUndefined();
      expect(await record('pypi-store', 'tampered')).toBeUndefined();
    } finally {
      index.setFault('none');
    }
  });

  it('answers 502 for a broken public page or a cut-off file, storing nothing', async () => {
    const wheel = index.add({ name: 'fragile', version: '1.0' });
    for (const fault of ['not-json', 'error500'] as const) {
      index.setFault(fault, 'page');
      expect((await get(`${server.endpoint('app')}simple/fragile/`)).status, fault).toBe(502);
    }
    index.setFault('cut-body', 'file');
    try {
      expect((await get(`${server.endpoint('app')}simple/fragile/1.0/${wheel.fileName}`)).status).toBe(502);
      expect(await record('app', 'fragile')).toBeUndefined();
      expect(await server.store.blobs.size(wheel.sha256)).toBeUndefined();
    } finally {
      index.setFault('none');
    }
  });

  it('shows a public yank and keeps it on the retained file', async () => {
    const wheel = index.add({ name: 'yanked-lib', version: '1.0' }, undefined, { yanked: 'broken build' });
    const page = (await get(`${server.endpoint('app')}simple/yanked-lib/`)).json();
    expect(page.files[0].yanked).toBe('broken build');
    expect((await get(`${server.endpoint('app')}simple/yanked-lib/1.0/${wheel.fileName}`)).status).toBe(200);
    const html = (await get(`${server.endpoint('app')}simple/yanked-lib/`, 'text/html')).body.toString();
    expect(html).toContain('data-yanked="broken build"');
    expect((await record('app', 'yanked-lib'))?.versions['1.0'].formatMetadata).toMatchObject({ files: { [wheel.fileName]: { yanked: 'broken build' } } });
  });

  it('passes on a public upload-time only when it is an ISO 8601 time', async () => {
    index.add({ name: 'timed-lib', version: '1.0' }, undefined, { uploadTime: '2024-05-01T10:30:00.123456Z' });
    index.add({ name: 'timed-lib', version: '1.1' }, undefined, { uploadTime: 'not a time' });
    index.add({ name: 'timed-lib', version: '1.2' }, undefined, { uploadTime: 1714559400 });
    const page = (await get(`${server.endpoint('app')}simple/timed-lib/`)).json();
    expect(page.files.map((file) => file['upload-time'])).toEqual(['2024-05-01T10:30:00.123456Z', undefined, undefined]);
  });

  it('hides public files of a package first published here (origin controls)', async () => {
    index.add({ name: 'internal-tool', version: '9.0' });
    const own = buildWheel({ name: 'internal-tool', version: '1.0' });
    expect((await uploadDist(server.endpoint('app'), server.token, own, 'internal-tool', '1.0')).status).toBe(200);
    const page = (await get(`${server.endpoint('app')}simple/internal-tool/`)).json();
    expect(page.files.map((file) => file.filename)).toEqual([own.fileName]);
    expect((await get(`${server.endpoint('app')}simple/internal-tool/9.0/internal_tool-9.0-py3-none-any.whl`)).status).toBe(404);
  });

  it('answers 404 when the holder blocks upstream versions while the file is on its way, as when the block was set before (the refusal in the body)', async () => {
    const dist = index.add({ name: 'refused-late', version: '1.0' });
    const keyIn = (repository: string) => ({ domain: DOMAIN, repository, format: 'pypi' as const, name: 'refused-late' });
    const fileUrl = `${server.endpoint('app')}simple/refused-late/1.0/${dist.fileName}`;
    const response = await beforeIndexUpdate(
      server.store,
      keyIn('pypi-store'),
      () => putPackageOriginConfiguration(server.store, keyIn('pypi-store'), { publish: 'ALLOW', upstream: 'BLOCK' }),
      () => get(fileUrl),
    );
    expect(response.status).toBe(404);
    expect(response.body.toString()).toMatch(
      /^ResourceNotFound: Versions of refused-late from upstream are blocked in pypi-store by its origin controls \(upstream=BLOCK\)\./,
    );
    expect(response.body.toString()).not.toContain(server.root);
    expect((await record('pypi-store', 'refused-late'))?.versions).toEqual({});
    expect(await record('app', 'refused-late')).toBeUndefined();
    // Set before the request, the block hides the file: the same status.
    expect((await get(fileUrl)).status).toBe(404);
    expect(await record('app', 'refused-late')).toBeUndefined();
  });

  it("answers 404 too when the repository asked blocks upstream versions while the file is on its way (once the holder's copy is kept)", async () => {
    const dist = index.add({ name: 'asked-refuses', version: '1.0' });
    const asked = { domain: DOMAIN, repository: 'app', format: 'pypi' as const, name: 'asked-refuses' };
    const fileUrl = `${server.endpoint('app')}simple/asked-refuses/1.0/${dist.fileName}`;
    const response = await refusedOnceHolderKept(
      server.store,
      asked,
      'pypi-store',
      () => putPackageOriginConfiguration(server.store, asked, { publish: 'ALLOW', upstream: 'BLOCK' }),
      () => get(fileUrl),
    );
    expect(response.status).toBe(404);
    expect(response.body.toString()).toMatch(/blocked in app by its origin controls \(upstream=BLOCK\)/);
    expect(Object.keys((await record('pypi-store', 'asked-refuses'))?.versions ?? {})).toEqual(['1.0']);
    expect((await record('app', 'asked-refuses'))?.versions).toEqual({});
    expect((await get(fileUrl)).status).toBe(404);
  });

  it('refuses a direct upload of a package retained from upstream (publish=BLOCK)', async () => {
    const wheel = buildWheel({ name: 'public-lib', version: '3.0' });
    const result = await uploadDist(server.endpoint('app'), server.token, wheel, 'public-lib', '3.0');
    expect(result.status).toBe(403);
    expect(result.reason).toMatch(/blocked by the package's origin controls/);
  });

  it('keeps serving what it has cached when the public index is down', async () => {
    index.setFault('down');
    try {
      const page = await get(`${server.endpoint('app')}simple/public-lib/`, 'text/html');
      expect(page.status).toBe(200);
      expect(server.log.some((line) => line.startsWith('warning: serving cached metadata for public-lib'))).toBe(true);
      const cached = buildWheel({ name: 'public-lib', version: '2.0' });
      expect(page.body.toString()).toContain(`#sha256=${createHash('sha256').update(cached.bytes).digest('hex')}`);
      expect((await get(`${server.endpoint('app')}simple/public-lib/2.0/${cached.fileName}`)).body.equals(cached.bytes)).toBe(true);
    } finally {
      index.setFault('none');
    }
  });

  it('serves what the chain stores when the index is down and nothing of the project is cached', async () => {
    index.setFault('down');
    try {
      const page = (await get(`${server.endpoint('app')}simple/team-lib/`)).json();
      expect(page.files.map((file) => file.filename)).toEqual([buildWheel({ name: 'team-lib', version: '1.2' }).fileName]);
      // team published team-lib itself, so its origin controls keep the public index out of it
      // altogether: the page comes from the chain without asking the (down) index.
      expect(server.log.some((line) => line.includes('team-lib without the public index'))).toBe(false);
      expect((await get(`${server.endpoint('app')}simple/never-seen/`)).status).toBe(502);
    } finally {
      index.setFault('none');
    }
  });

  it('offline, serves cached pages and stored files and never calls the index', async () => {
    const offline = await startPypiServer({ repositories: [], publicIndexUrl: index.url, offline: true, reuse: server });
    try {
      const seen = index.requests.length;
      const notFetched = buildWheel({ name: 'Public.Lib', version: '1.0' }).fileName;
      const response = await request(`${offline.endpoint('app')}simple/public-lib/`, {
        headers: { authorization: basicAuth(offline.token), accept: JSON_TYPE },
      });
      const page = (await response.body.json()) as { files: { filename: string; url: string }[] };
      expect(page.files.map((file) => file.filename)).toContain(notFetched);
      const stored = await request(`${offline.endpoint('app')}simple/public-lib/2.0/public_lib-2.0-py3-none-any.whl`, {
        headers: { authorization: basicAuth(offline.token) },
      });
      expect(Buffer.from(await stored.body.arrayBuffer()).equals(buildWheel({ name: 'public-lib', version: '2.0' }).bytes)).toBe(true);
      const missing = await request(`${offline.endpoint('app')}simple/public-lib/1.0/${notFetched}`, { headers: { authorization: basicAuth(offline.token) } });
      await missing.body.dump();
      expect(missing.statusCode).toBe(404);
      expect(index.requests.length).toBe(seen);
    } finally {
      await offline.close();
    }
  });
});
