/** A lock held by a process on another host: waited for while its heartbeat is fresh, taken over once it stops. */
import { utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { withFileLock } from '../../src/store/lock.js';
import { makeTempDir } from '../helpers/temp-dir.js';

/** Runs the scenario; returns the index file, whose lock the caller may check further. */
export async function waitForForeignHolderThenTakeOver(): Promise<string> {
  const file = path.join(makeTempDir('artifact-cli-lock-'), 'index.json');
  writeFileSync(`${file}.lock`, JSON.stringify({ pid: 1, host: 'another-host.invalid' }));
  let ran = false;
  const waiting = withFileLock(file, () => {
    ran = true;
    return Promise.resolve();
  });
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(ran).toBe(false);
  const longAgo = new Date(Date.now() - 60_000);
  utimesSync(`${file}.lock`, longAgo, longAgo);
  await waiting;
  expect(ran).toBe(true);
  return file;
}
