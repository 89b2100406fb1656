/**
 * npm against a store that cannot be written (failStoreWrites: the errors a full or read-only
 * disk gives): a cold tarball and a publish are answered with the store's failure in words,
 * never as a broken upstream and never with a server path; nothing is named in an index; and
 * the same request succeeds once the disk has room again.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import type { PackageKey } from '../../../src/core/model.js';
import { failStoreWrites } from '../../helpers/failing-store.js';
import { buildNpmTarball } from '../../helpers/npm-tarball.js';
import { startUpstreamHarness, type UpstreamHarness } from './upstream-harness.js';

const REPOSITORIES = ['store', 'team', 'app'];

function keysOf(name: string): PackageKey[] {
  return REPOSITORIES.map((repository) => ({ domain: 'acme', repository, format: 'npm', name }));
}

async function expectNoIndex(h: UpstreamHarness, name: string): Promise<void> {
  for (const key of keysOf(name)) expect(await h.store.index.getPackage(key)).toBeUndefined();
}

/** The npm error body of a store failure: npm prints `error` after the status. */
async function expectStoreFailure(h: UpstreamHarness, response: Response, status: number, words: RegExp): Promise<void> {
  expect(response.status).toBe(status);
  const text = await response.text();
  const body = JSON.parse(text) as { error: string; code: string };
  expect(body.code).toBe('StoreUnavailable');
  expect(body.error).toMatch(words);
  expect(body.error).not.toMatch(/upstream|broke off|Unexpected/i);
  for (const secret of [h.root, os.tmpdir(), 'ENOSPC', 'EROFS']) expect(text).not.toContain(secret);
}

describe('npm on a store that cannot be written', () => {
  it('answers a cold tarball 507 in words (not a broken upstream), names it in no index, and serves it once the disk has room', async () => {
    const h = await startUpstreamHarness();
    const cold = h.registry.add({ name: 'full-disk', version: '1.0.0' });
    // The tarball's write fails alone: its failure must not be told as the registry's.
    const disk = failStoreWrites(h.store, 'ENOSPC', { blobsOnly: true });
    try {
      await expectStoreFailure(h, await h.get('app', 'full-disk/-/full-disk-1.0.0.tgz'), 507, /^The store has no space left on its device\. Free space/);
      expect(disk.failures).toBeGreaterThan(0);
    } finally {
      disk.recover();
    }
    await expectNoIndex(h, 'full-disk');
    // The operator's log says what failed, and where.
    expect(h.logs.some((line) => line.startsWith('store failure on GET /acme/npm/app/') && line.includes('ENOSPC'))).toBe(true);

    const retry = await h.get('app', 'full-disk/-/full-disk-1.0.0.tgz');
    expect(retry.status).toBe(200);
    expect(Buffer.from(await retry.arrayBuffer()).equals(cold.bytes)).toBe(true);
    expect((await h.store.index.getPackage(keysOf('full-disk')[0]))?.versions['1.0.0']).toBeDefined();
  });

  it('cuts off a large cold tarball streaming to its client when the store fails midway, and keeps nothing', async () => {
    const h = await startUpstreamHarness();
    // At a place the server cannot guess, so it is not fetched whole beside the packument...
    h.registry.moveTarballs();
    // ...and larger than the 256 KiB checked whole before it is served: it streams as it arrives.
    const cold = h.registry.add({ name: 'full-disk-large', version: '1.0.0', files: { 'bulk.txt': randomBytes(400 * 1024).toString('base64') } });
    expect(cold.bytes.length).toBeGreaterThan(300 * 1024);
    const disk = failStoreWrites(h.store, 'ENOSPC');
    try {
      const response = await h.get('app', 'full-disk-large/-/full-disk-large-1.0.0.tgz');
      // The answer had begun: the client must see a broken transfer, never a complete file.
      expect(response.status).toBe(200);
      await expect(response.arrayBuffer()).rejects.toThrow();
    } finally {
      disk.recover();
    }
    await expectNoIndex(h, 'full-disk-large');
    const retry = await h.get('app', 'full-disk-large/-/full-disk-large-1.0.0.tgz');
    expect(retry.status).toBe(200);
    expect(Buffer.from(await retry.arrayBuffer()).equals(cold.bytes)).toBe(true);
  });

  it.each([
    ['ENOSPC', 507, /^The store has no space left on its device\./],
    ['EROFS', 503, /^The store is on a read-only file system\./],
    ['EACCES', 503, /^The server may not read or write the store's files \(permission denied\)\./],
  ] as const)('answers a publish on a store failing with %s %i in words, keeps nothing, and takes the same publish later', async (code, status, words) => {
    const h = await startUpstreamHarness();
    const name = `publish-${code.toLowerCase()}`;
    const tarball = buildNpmTarball({ name, version: '1.0.0' });
    const disk = failStoreWrites(h.store, code);
    try {
      await expectStoreFailure(h, await h.publish('team', tarball), status, words);
    } finally {
      disk.recover();
    }
    await expectNoIndex(h, name);
    expect((await h.publish('team', tarball)).status).toBe(201);
    expect(Object.keys((await h.store.index.getPackage(keysOf(name)[1]))?.versions ?? {})).toEqual(['1.0.0']);
  });
});
