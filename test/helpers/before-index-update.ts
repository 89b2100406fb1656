import { expect } from 'vitest';
import type { PackageKey } from '../../src/core/model.js';
import type { IndexStore } from '../../src/store/index-store.js';
import type { Store } from '../../src/store/store.js';

/**
 * Runs `request` with `first` done (and awaited) just before the first index update of `key`
 * begins: an operator's change landing while a cold file is on its way, after the checks made
 * before the index's lock.
 */
export async function beforeIndexUpdate<T>(store: Store, key: PackageKey, first: () => Promise<unknown>, request: () => Promise<T>): Promise<T> {
  const index = store.index as { updatePackage: IndexStore['updatePackage'] };
  const updatePackage = index.updatePackage;
  let done = false;
  index.updatePackage = async (target, mutate, options) => {
    if (!done && target.repository === key.repository && target.format === key.format && target.namespace === key.namespace && target.name === key.name) {
      done = true;
      await first();
    }
    return updatePackage.call(store.index, target, mutate, options);
  };
  try {
    const result = await request();
    expect(done).toBe(true);
    return result;
  } finally {
    index.updatePackage = updatePackage;
  }
}
