import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors.js';
import { withBlobLease, withSharedBlobLease } from '../../src/operations/blob-lease.js';
import { collectGarbage } from '../../src/operations/gc.js';
import { deletePackageVersions, disposePackageVersions } from '../../src/operations/version-status.js';
import type { Store } from '../../src/store/store.js';
import { startTempFilePool, stopTempFilePool } from '../../src/store/temp-file-pool.js';
import { genericKey, makePackageStore, publishGeneric, sha256 } from './packages-fixture.js';

const HOUR_AGO = new Date(Date.now() - 3_600_000 * 2);
// No process has this pid: Linux pids stay below 2^22.
const DEAD_PID = 999_999_999;

async function backdate(file: string): Promise<void> {
  await fs.utimes(file, HOUR_AGO, HOUR_AGO);
}

async function hasBlob(store: Store, content: string): Promise<boolean> {
  return (await store.blobs.size(sha256(content))) !== undefined;
}

/** Three published versions, one disposed and one deleted, every blob two hours old. */
async function storeWithGarbage() {
  const fixture = await makePackageStore();
  const { store } = fixture;
  for (const version of ['1.0', '2.0', '3.0']) await publishGeneric(store, { version, content: `v${version}` });
  await disposePackageVersions(store, genericKey(), { versions: ['2.0'] });
  await deletePackageVersions(store, genericKey(), { versions: ['3.0'] });
  for await (const name of store.blobs.list()) await backdate(store.blobs.pathOf(name));
  return fixture;
}

describe('collectGarbage', () => {
  it('removes blobs no index references and keeps the referenced ones', async () => {
    const { store } = await storeWithGarbage();
    const report = await collectGarbage(store, { graceSeconds: 0 });
    expect(report).toEqual({ dryRun: false, blobsRemoved: 2, bytesFreed: 8, blobsKept: 1, tempFilesRemoved: 0 });
    expect(await hasBlob(store, 'v1.0')).toBe(true);
    expect(await hasBlob(store, 'v2.0')).toBe(false);
    expect(await hasBlob(store, 'v3.0')).toBe(false);
    expect(await collectGarbage(store, { graceSeconds: 0 })).toMatchObject({ blobsRemoved: 0, blobsKept: 1 });
  });

  it('lists what it would remove with --dry-run and removes nothing', async () => {
    const { store } = await storeWithGarbage();
    const report = await collectGarbage(store, { dryRun: true, graceSeconds: 0 });
    expect(report).toMatchObject({ dryRun: true, blobsRemoved: 2, bytesFreed: 8, blobsKept: 1 });
    expect(report.blobsToRemove!.map((blob) => blob.sha256).sort()).toEqual([sha256('v2.0'), sha256('v3.0')].sort());
    expect(await hasBlob(store, 'v2.0')).toBe(true);
  });

  it('keeps unreferenced blobs younger than the grace period', async () => {
    const { store } = await makePackageStore();
    await store.blobs.put(Buffer.from('fresh orphan'));
    expect(await collectGarbage(store)).toMatchObject({ blobsRemoved: 0, blobsKept: 1 });
    expect(await collectGarbage(store, { graceSeconds: 0 })).toMatchObject({ blobsRemoved: 1 });
  });

  it('keeps an old orphan that a publish stores again, because storing refreshes its mtime', async () => {
    const { store } = await makePackageStore();
    await store.blobs.put(Buffer.from('reused'));
    await backdate(store.blobs.pathOf(sha256('reused')));
    await store.blobs.put(Buffer.from('reused'));
    expect(await collectGarbage(store, { graceSeconds: 60 })).toMatchObject({ blobsRemoved: 0, blobsKept: 1 });
  });

  it('keeps every blob stored under a live lease, even with no grace period', async () => {
    const { store } = await makePackageStore();
    let report;
    await withBlobLease(store, async () => {
      await store.blobs.put(Buffer.from('index not written yet'));
      report = await collectGarbage(store, { graceSeconds: 0 });
    });
    expect(report).toMatchObject({ blobsRemoved: 0, blobsKept: 1 });
    expect(await hasBlob(store, 'index not written yet')).toBe(true);
  });

  it('keeps the blobs of overlapping holders of one shared lease, and drops the lease when the last one leaves', async () => {
    const { root, store } = await makePackageStore();
    let releaseFirst!: () => void;
    const firstHolding = new Promise<void>((resolve) => (releaseFirst = resolve));
    let report;
    let firstStored!: () => void;
    // The second holder collects only once the first one's blob has landed: without this wait the
    // collection could run before that write and count one blob (a flake seen about 1 run in 5).
    const firstHasStored = new Promise<void>((resolve) => (firstStored = resolve));
    const first = withSharedBlobLease(store, async () => {
      await store.blobs.put(Buffer.from('first download'));
      firstStored();
      await firstHolding;
    });
    await firstHasStored;
    await withSharedBlobLease(store, async () => {
      await store.blobs.put(Buffer.from('second download'));
      report = await collectGarbage(store, { graceSeconds: 0 });
    });
    expect(report).toMatchObject({ blobsRemoved: 0, blobsKept: 2 });
    const leases = async () => (await fs.readdir(path.join(root, 'tmp'))).filter((name) => name.startsWith('lease-'));
    expect(await leases()).toHaveLength(1);
    releaseFirst();
    await first;
    expect(await leases()).toEqual([]);
    expect(await collectGarbage(store, { graceSeconds: 0 })).toMatchObject({ blobsRemoved: 2 });
  });

  it("a running server's lease is one of its ready files, renamed, and still keeps what is stored under it", async () => {
    const { root, store } = await makePackageStore();
    const tmpDir = path.join(root, 'tmp');
    const pool = startTempFilePool(tmpDir, { size: 1, quietMs: 60_000, directories: 0 });
    try {
      await pool.whenFull();
      const [pooled] = (await fs.readdir(tmpDir)).filter((name) => name.startsWith('pooled-'));
      const inode = (await fs.stat(path.join(tmpDir, pooled))).ino;
      let report;
      await withSharedBlobLease(store, async () => {
        const leases = (await fs.readdir(tmpDir)).filter((name) => name.startsWith('lease-'));
        expect(leases).toHaveLength(1);
        expect((await fs.stat(path.join(tmpDir, leases[0]))).ino).toBe(inode);
        await store.blobs.put(Buffer.from('index not written yet'));
        report = await collectGarbage(store, { graceSeconds: 0 });
      });
      expect(report).toMatchObject({ blobsRemoved: 0, blobsKept: 1 });
      expect((await fs.readdir(tmpDir)).filter((name) => /^(lease|pooled)-/.test(name))).toEqual([]);
    } finally {
      await stopTempFilePool(tmpDir);
    }
  });

  it('stops without removing anything when an index does not parse', async () => {
    const { store } = await storeWithGarbage();
    await fs.writeFile(store.index.packageLocation(genericKey()), '{"format": "generic", "versions": {');
    await expect(collectGarbage(store, { graceSeconds: 0 })).rejects.toThrow(/is not valid JSON/);
    for (const content of ['v1.0', 'v2.0', 'v3.0']) expect(await hasBlob(store, content)).toBe(true);
  });

  it('removes stale temp files of dead writers and keeps those of live ones', async () => {
    const { root, store } = await makePackageStore();
    const tmp = path.join(root, 'tmp');
    await fs.mkdir(tmp, { recursive: true });
    const files = {
      dead: `blob-${DEAD_PID}-abc`,
      live: `blob-${process.pid}-abc`,
      anonymous: 'leftover',
      young: `blob-${DEAD_PID}-new`,
      deadLockHolder: `lock-holder-${DEAD_PID}-abc`,
      deadServersPooledFile: `pooled-${DEAD_PID}-abc`,
    };
    for (const name of Object.values(files)) await fs.writeFile(path.join(tmp, name), 'partial');
    // A killed server's pooled directory (temp-file-pool.ts): empty, as the pool makes them.
    const deadServersPooledDirectory = `pooled-${DEAD_PID}-def`;
    await fs.mkdir(path.join(tmp, deadServersPooledDirectory));
    for (const name of [files.dead, files.live, files.anonymous, files.deadLockHolder, files.deadServersPooledFile, deadServersPooledDirectory])
      await backdate(path.join(tmp, name));
    const report = await collectGarbage(store, { graceSeconds: 60 });
    expect(report.tempFilesRemoved).toBe(5);
    // This process's own lock holder (made by the writes above) lives as long as the process.
    const left = (await fs.readdir(tmp)).filter((name) => !name.startsWith(`lock-holder-${process.pid}-`));
    expect(left.sort()).toEqual([files.live, files.young].sort());
  });

  it('refuses a negative or fractional grace period', async () => {
    const { store } = await makePackageStore();
    await expect(collectGarbage(store, { graceSeconds: -1 })).rejects.toThrow(ValidationError);
    await expect(collectGarbage(store, { graceSeconds: 1.5 })).rejects.toThrow(ValidationError);
  });
});
