/**
 * Makes a store's change marker (<root>/changes) refuse its appends as a full disk does at a
 * page boundary: the index write before it has landed, the one byte after it cannot. With
 * `replaceFails`, putting an empty marker in its place fails too (an I/O error), so the change
 * can only be held back. `recover()` gives the marker its own methods back.
 */
import path from 'node:path';
import type { Store } from '../../src/store/store.js';
import { fsError, type StoreErrno } from './failing-store.js';

export interface FailingMarks {
  /** How many appends failed so far. */
  readonly failures: number;
  recover(): void;
}

// The marker's own steps (change-marker.ts): private, so reached around the type.
interface MarkerSteps {
  append: () => void;
  replaceWithEmptyFile: () => void;
}

export function failChangeMarks(store: Store, code: StoreErrno = 'ENOSPC', options: { replaceFails?: boolean } = {}): FailingMarks {
  const marker = store.changes as unknown as MarkerSteps;
  const file = path.join(store.root, 'changes');
  let failures = 0;
  marker.append = () => {
    failures += 1;
    throw fsError(code, 'write');
  };
  if (options.replaceFails) {
    marker.replaceWithEmptyFile = () => {
      throw fsError('EIO', 'rename', file);
    };
  }
  return {
    get failures() {
      return failures;
    },
    recover() {
      // The instance's stand-ins go; the class's own methods show through again.
      Reflect.deleteProperty(marker, 'append');
      Reflect.deleteProperty(marker, 'replaceWithEmptyFile');
    },
  };
}
