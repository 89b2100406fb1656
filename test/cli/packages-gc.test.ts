/**
 * gc and verify from the CLI. The race test runs gc with no grace period over and over while
 * another process publishes: no blob that an index references may ever go missing.
 */
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_DIR, runCli, runCliJson } from '../helpers/run-cli.js';
import { genericKey, makePackageStore, publishGeneric, sha256 } from '../operations/packages-fixture.js';
import { parseJson } from '../helpers/json.js';

const PUBLISH_LOOP = path.join(PROJECT_DIR, 'test', 'fixtures', 'generic-publish-loop.mjs');
const LONG_AGO = new Date(Date.now() - 86_400_000);

describe('gc while another process publishes', () => {
  it('never removes a referenced blob, and verify is clean afterwards', async () => {
    const { root, store } = await makePackageStore();
    const count = 100;
    // Old orphans with the bytes the publisher will store: gc sees them as garbage unless the
    // publish that reuses them makes them new again.
    for (let i = 0; i < count; i += 2) {
      await store.blobs.put(Buffer.from(`payload ${i}`));
      await fs.utimes(store.blobs.pathOf(sha256(`payload ${i}`)), LONG_AGO, LONG_AGO);
    }
    const child = spawn(process.execPath, [PUBLISH_LOOP, root, String(count)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    let running = true;
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => {
        running = false;
        resolve(code);
      }),
    );

    let runs = 0;
    while (running) {
      await runCliJson(['gc', '--grace-seconds', '0'], { root });
      runs++;
    }
    expect(await exited, stderr).toBe(0);
    expect(stdout).toContain(`done ${count}`);
    expect(runs).toBeGreaterThan(1);
    await runCliJson(['gc', '--grace-seconds', '0'], { root });

    const verify = await runCli(['verify'], { root });
    expect(verify.stderr).toBe('');
    expect(verify.code).toBe(0);
    const record = await store.index.getPackage(genericKey('main', 'race'));
    const kept = Object.keys(record!.versions);
    expect(kept).toHaveLength(count - Math.floor(count / 3));
    // Exactly the referenced blobs are left: the deleted versions' bytes were garbage.
    const left: string[] = [];
    for await (const name of store.blobs.list()) left.push(name);
    expect(left.sort()).toEqual(kept.map((version) => sha256(`payload ${version}`)).sort());
  });
});

describe('gc and verify', () => {
  it('gc --dry-run lists what a real run removes', async () => {
    const { root, store } = await makePackageStore();
    await store.blobs.put(Buffer.from('orphan'));
    await fs.utimes(store.blobs.pathOf(sha256('orphan')), LONG_AGO, LONG_AGO);
    const dry = await runCliJson(['gc', '--dry-run'], { root });
    expect(dry).toMatchObject({ dryRun: true, blobsRemoved: 1, bytesFreed: 6, blobsToRemove: [{ sha256: sha256('orphan'), size: 6 }] });
    expect(await runCliJson(['gc'], { root })).toEqual({ dryRun: false, blobsRemoved: 1, bytesFreed: 6, blobsKept: 0, tempFilesRemoved: 0 });
    const bad = await runCli(['gc', '--grace-seconds', 'soon'], { root });
    expect([bad.code, bad.stderr.split('\n')[0]]).toEqual([2, expect.stringMatching(/^error Validation: --grace-seconds must be/)]);
  });

  it('verify exits 10 and names the damaged path, and prints nothing on stderr but the error', async () => {
    const { root, store } = await makePackageStore();
    await publishGeneric(store, { version: '1.0', content: 'good bytes' });
    // Six JSON files: the domain, its kept asset-size total, three repositories and the package.
    expect(await runCliJson(['verify'], { root })).toEqual({ blobsChecked: 1, indexesChecked: 6, assetsChecked: 1, problems: [] });

    const blob = store.blobs.pathOf(sha256('good bytes'));
    await fs.writeFile(blob, 'good bytez');
    const result = await runCli(['verify'], { root });
    expect(result.code).toBe(10);
    expect(result.stderr.split('\n')[0]).toBe(
      `error IntegrityCheckFailed: verify found 2 problems; the first: ${blob} content does not match its name: its SHA-256 is ${sha256('good bytez')}.`,
    );
    expect(parseJson<{ problems: unknown[] }>(result.stdout).problems).toHaveLength(2);
  });

  it('verify exits 10 for a deleted blob and for a truncated index, naming the file', async () => {
    const { root, store } = await makePackageStore();
    await publishGeneric(store, { version: '1.0', content: 'kept bytes' });
    const index = store.index.packageLocation(genericKey());
    await fs.rm(store.blobs.pathOf(sha256('kept bytes')));
    const missing = await runCli(['verify'], { root });
    expect([missing.code, missing.stderr.split('\n')[0]]).toEqual([
      10,
      expect.stringContaining(`verify found 1 problem; the first: ${index} version 1.0 asset tool.bin`),
    ]);

    await fs.writeFile(index, (await fs.readFile(index, 'utf8')).slice(0, 40));
    const truncated = await runCli(['verify'], { root });
    expect([truncated.code, truncated.stderr.split('\n')[0]]).toEqual([10, expect.stringContaining(`the first: ${index} is not valid JSON`)]);
  });
});
