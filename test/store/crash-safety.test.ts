/**
 * A writer killed with SIGKILL at a random moment must leave the store readable: the package
 * index is the previous complete generation (or a later complete one), and every file under
 * blobs/ hashes to its own name. This covers json-file.ts, fs-blob-store.ts and lock.ts together.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PackageKey, PackageRecord } from '../../src/core/model.js';
import { FsIndexStore } from '../../src/store/fs-index-store.js';
import { PROJECT_DIR } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const CRASH_WRITER = path.join(PROJECT_DIR, 'test', 'fixtures', 'crash-writer.mjs');
const KEY: PackageKey = { domain: 'crash', repository: 'repo', format: 'generic', namespace: 'ns', name: 'big' };

/** Starts the writer, waits for its first complete generation, then kills it after a random delay. */
async function runAndKill(root: string): Promise<number> {
  const child = spawn(process.execPath, [CRASH_WRITER, root], { stdio: ['ignore', 'pipe', 'pipe'] });
  let lastGeneration = 0;
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  await new Promise<void>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      for (const match of chunk.matchAll(/generation (\d+)/g)) lastGeneration = Number(match[1]);
      if (lastGeneration > 0) resolve();
    });
    child.on('exit', () => reject(new Error(`crash writer exited early: ${stderr}`)));
  });
  await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 600));
  child.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
  return lastGeneration;
}

async function checkBlobsHashToTheirNames(root: string): Promise<void> {
  const dir = path.join(root, 'blobs', 'sha256');
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const bytes = await fs.readFile(path.join(entry.parentPath, entry.name));
    expect(createHash('sha256').update(bytes).digest('hex'), `blob ${entry.name}`).toBe(entry.name);
  }
}

describe('a writer killed mid-write', () => {
  it('leaves a complete previous index and only whole blobs', async () => {
    // Several rounds, each killed at a different random moment. Each gets its own root so no
    // round waits out the stale lock of the one before (the next test covers that wait).
    for (let round = 0; round < 4; round++) {
      const root = makeTempDir();
      const store = new FsIndexStore(root);
      const reported = await runAndKill(root);
      const text = await fs.readFile(store.packageLocation(KEY), 'utf8');
      const record = JSON.parse(text) as PackageRecord;
      const { generation, count } = record.formatMetadata as { generation: number; count: number };
      const versions = Object.keys(record.versions);
      // The writer may have finished one more generation after its last report reached us.
      expect(generation).toBeGreaterThanOrEqual(reported);
      expect(generation).toBeLessThanOrEqual(reported + 1);
      expect(versions).toHaveLength(count);
      expect(versions.every((version) => version.startsWith(`${generation}.`))).toBe(true);
      expect(generation).toBeGreaterThan(0);
      await checkBlobsHashToTheirNames(root);
    }
  });

  it('does not block the next writer forever with the lock it left', async () => {
    const root = makeTempDir();
    await runAndKill(root);
    const store = new FsIndexStore(root);
    // The dead writer's lock names its pid, which is gone: the next writer takes it over at once.
    const updated = await store.updatePackage(KEY, (current) => ({
      ...(current as PackageRecord),
      formatMetadata: { generation: -1, count: 0 },
      versions: {},
    }));
    expect(updated?.formatMetadata).toEqual({ generation: -1, count: 0 });
  });
});
