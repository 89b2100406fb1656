/**
 * A cold download through the connection of an upstream repository, refused by the repository
 * asked (its block set by `block` once its index update begins, as beforeIndexUpdate does), with
 * the holder's index held back from being renamed in. The refusal must not be answered before
 * the holder's copy is in place, so that it is there when the client hears the 404
 * (src/operations/ingest.ts, bothRetained). Resolves to the answer.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import type { PackageKey } from '../../src/core/model.js';
import type { IndexStore } from '../../src/store/index-store.js';
import type { Store } from '../../src/store/store.js';
import { beforeIndexUpdate } from './before-index-update.js';

// Long enough for a refusal answered at once to reach the client on a loaded machine.
const ANSWER_WINDOW_MS = 150;

export async function refusedOnceHolderKept<T>(
  store: Store,
  asked: PackageKey,
  holderRepository: string,
  block: () => Promise<unknown>,
  request: () => Promise<T>,
): Promise<T> {
  const index = store.index as { updatePackage: IndexStore['updatePackage'] };
  const updatePackage = index.updatePackage;
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let refused!: () => void;
  const askedRefused = new Promise<void>((resolve) => (refused = resolve));
  const same = (key: PackageKey, repository: string) => key.repository === repository && key.name === asked.name && key.namespace === asked.namespace;
  index.updatePackage = (key, mutate, options) => {
    if (same(key, holderRepository))
      return updatePackage.call(store.index, key, mutate, { ...options, renameAfter: Promise.all([options?.renameAfter, released]) });
    const update = updatePackage.call(store.index, key, mutate, options);
    if (same(key, asked.repository)) update.catch(() => refused());
    return update;
  };
  try {
    let answered = false;
    const answer = beforeIndexUpdate(store, asked, block, request).then((result) => {
      answered = true;
      return result;
    });
    await askedRefused;
    await sleep(ANSWER_WINDOW_MS);
    expect(answered, 'the refusal was answered before the holder kept its copy').toBe(false);
    release();
    return await answer;
  } finally {
    release();
    index.updatePackage = updatePackage;
  }
}
