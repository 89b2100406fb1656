/**
 * The shared blob lease of a running server is one of its pooled empty files renamed, not a
 * new file (temp-file-pool.ts says why a new file is dear), and goes when its last holder leaves.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LEASE_PREFIX, withSharedBlobLease } from '../../src/operations/blob-lease.js';
import { openStore } from '../../src/store/store.js';
import { startTempFilePool, stopTempFilePool } from '../../src/store/temp-file-pool.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const pools: string[] = [];
afterEach(async () => {
  for (const dir of pools.splice(0)) await stopTempFilePool(dir, { removeReady: true });
});

describe('withSharedBlobLease', () => {
  it('takes its lease file from the temp-file pool when there is one, and removes it after the last holder', async () => {
    const store = openStore(makeTempDir('artifact-cli-lease-'));
    const tmpDir = path.join(store.root, 'tmp');
    pools.push(tmpDir);
    const pool = startTempFilePool(tmpDir, { size: 2, directories: 0, quietMs: 60_000 });
    await pool.whenFull();
    const before = (await readdir(tmpDir)).filter((name) => name.startsWith('pooled-'));
    expect(before).toHaveLength(2);
    let inside: string[] = [];
    await withSharedBlobLease(store, async () => {
      inside = await readdir(tmpDir);
      await withSharedBlobLease(store, async () => expect((await readdir(tmpDir)).filter((name) => name.startsWith(LEASE_PREFIX))).toHaveLength(1));
    });
    const leases = inside.filter((name) => name.startsWith(LEASE_PREFIX));
    expect(leases).toHaveLength(1);
    // One pooled file fewer (no refill while work goes on): it became the lease.
    expect(inside.filter((name) => name.startsWith('pooled-')).length).toBe(1);
    expect(before).not.toContain(leases[0]);
    expect((await readdir(tmpDir)).filter((name) => name.startsWith(LEASE_PREFIX))).toEqual([]);
  });

  it('makes its lease file itself without a pool', async () => {
    const store = openStore(makeTempDir('artifact-cli-lease-'));
    let leases: string[] = [];
    await withSharedBlobLease(store, async () => {
      leases = (await readdir(path.join(store.root, 'tmp'))).filter((name) => name.startsWith(LEASE_PREFIX));
    });
    expect(leases).toHaveLength(1);
    expect((await readdir(path.join(store.root, 'tmp'))).filter((name) => name.startsWith(LEASE_PREFIX))).toEqual([]);
  });
});
