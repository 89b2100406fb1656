/**
 * PyPI against a store that cannot be written (failStoreWrites: the errors a full or read-only
 * disk gives): a cold wheel, its METADATA file and a twine upload are answered with the store's
 * failure in words (twine shows the reason phrase, pip the status), never as a broken upstream
 * or an unexpected failure, never with a server path; nothing is named in an index; and the
 * same request succeeds once the disk has room again.
 */
import os from 'node:os';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakePypiIndex, type FakePypiIndex } from '../../helpers/fake-pypi-index.js';
import { failStoreWrites } from '../../helpers/failing-store.js';
import { buildWheel } from '../../helpers/pypi-dist.js';
import { DOMAIN, startPypiServer, type PypiTestServer } from '../../helpers/pypi-server.js';
import { basicAuth, uploadDist } from '../../helpers/pypi-upload.js';

let index: FakePypiIndex;
let server: PypiTestServer;

beforeAll(async () => {
  index = await startFakePypiIndex();
  server = await startPypiServer({
    repositories: [{ name: 'app', upstreams: ['pypi-store'] }, { name: 'pypi-store', external: true }, { name: 'own' }],
    publicIndexUrl: index.url,
    metadataMaxAgeSeconds: 0,
  });
});
afterAll(async () => {
  await server.close();
  await index.close();
});

async function get(url: string) {
  const response = await request(url, { headers: { authorization: basicAuth(server.token) } });
  return { status: response.statusCode, body: Buffer.from(await response.body.arrayBuffer()) };
}

function record(repository: string, project: string) {
  return server.store.index.getPackage({ domain: DOMAIN, repository, format: 'pypi', name: project });
}

function expectNoPath(text: string): void {
  for (const secret of [server.root, os.tmpdir(), 'ENOSPC', 'EROFS']) expect(text).not.toContain(secret);
}

const FULL = /^StoreUnavailable: The store has no space left on its device\.\nFree space on the disk that holds the store/;

describe('PyPI on a store that cannot be written', () => {
  it('answers a cold wheel 507 in words (not a broken upstream), names it in no index, and serves it once the disk has room', async () => {
    const cold = index.add({ name: 'full-disk', version: '1.0' });
    const url = `${server.endpoint('app')}simple/full-disk/1.0/${cold.fileName}`;
    const disk = failStoreWrites(server.store, 'ENOSPC', { blobsOnly: true });
    try {
      // pip prints the status and the reason phrase of a failed download.
      const answer = await fetch(url, { headers: { authorization: basicAuth(server.token) } });
      expect(answer.status).toBe(507);
      expect(answer.statusText).toBe('The store has no space left on its device.');
      const body = await answer.text();
      expect(body).toMatch(FULL);
      expectNoPath(body);
    } finally {
      disk.recover();
    }
    for (const repository of ['pypi-store', 'app']) expect(await record(repository, 'full-disk')).toBeUndefined();
    expect(server.log.some((line) => line.startsWith('store failure on GET') && line.includes('ENOSPC'))).toBe(true);

    const retry = await get(url);
    expect(retry.status).toBe(200);
    expect(retry.body.equals(cold.bytes)).toBe(true);
    expect(Object.keys((await record('app', 'full-disk'))?.versions ?? {})).toEqual(['1.0']);
  });

  it("answers 507 when the wheel is written but its METADATA file is not (not 'Unexpected failure'), and keeps neither in an index", async () => {
    const cold = index.add({ name: 'full-after-wheel', version: '1.0' });
    const url = `${server.endpoint('app')}simple/full-after-wheel/1.0/${cold.fileName}`;
    const disk = failStoreWrites(server.store, 'ENOSPC', { blobsFirst: 1, blobsOnly: true });
    try {
      const answer = await get(url);
      expect(disk.failures).toBe(1);
      expect(answer.status).toBe(507);
      expect(answer.body.toString()).toMatch(FULL);
    } finally {
      disk.recover();
    }
    for (const repository of ['pypi-store', 'app']) expect(await record(repository, 'full-after-wheel')).toBeUndefined();
    expect((await get(url)).status).toBe(200);
    const assets = (await record('app', 'full-after-wheel'))?.versions['1.0'].assets.map((asset) => asset.name);
    expect(assets?.sort()).toEqual([cold.fileName, `${cold.fileName}.metadata`]);
  });

  it('answers a twine upload to a full store 507 with the words in the reason phrase twine shows, and takes the same upload later', async () => {
    const wheel = buildWheel({ name: 'full-upload', version: '1.0' });
    const disk = failStoreWrites(server.store, 'ENOSPC');
    try {
      const answer = await uploadDist(server.endpoint('own'), server.token, wheel, 'full-upload', '1.0');
      expect(answer.status).toBe(507);
      expect(answer.reason).toBe('The store has no space left on its device.');
      expect(answer.body).toMatch(FULL);
      expectNoPath(`${answer.reason}\n${answer.body}`);
    } finally {
      disk.recover();
    }
    expect(await record('own', 'full-upload')).toBeUndefined();
    expect((await uploadDist(server.endpoint('own'), server.token, wheel, 'full-upload', '1.0')).status).toBe(200);
    expect(Object.keys((await record('own', 'full-upload'))?.versions ?? {})).toEqual(['1.0']);
  });

  it('answers an upload to a read-only store 503 with its words', async () => {
    const wheel = buildWheel({ name: 'read-only-upload', version: '1.0' });
    const disk = failStoreWrites(server.store, 'EROFS');
    try {
      const answer = await uploadDist(server.endpoint('own'), server.token, wheel, 'read-only-upload', '1.0');
      expect(answer.status).toBe(503);
      expect(answer.reason).toBe('The store is on a read-only file system.');
      expectNoPath(`${answer.reason}\n${answer.body}`);
    } finally {
      disk.recover();
    }
    expect(await record('own', 'read-only-upload')).toBeUndefined();
  });
});
