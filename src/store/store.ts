/** The two halves of storage, opened together for one root. */
import path from 'node:path';
import type { PackageFormat } from '../core/model.js';
import { noteStoreRoot } from '../errors.js';
import type { BlobStore } from './blob-store.js';
import { ChangeMarker, type MarkerWarning } from './change-marker.js';
import { FsBlobStore } from './fs-blob-store.js';
import { FsIndexStore } from './fs-index-store.js';
import type { IndexStore } from './index-store.js';

export interface Store {
  readonly root: string;
  readonly blobs: BlobStore;
  readonly index: IndexStore;
  /** Tells readers that cache parsed index files when another process changed one. */
  readonly changes: ChangeMarker;
}

export interface StoreOptions {
  /** The formats whose packages listings read (formats/registry.ts's PACKAGE_FORMATS); all directories when left out. */
  formats?: readonly PackageFormat[];
  /** Where a change that could not be marked is told (change-marker.ts); standard error when left out. */
  warn?: MarkerWarning;
}

const warnOnStderr: MarkerWarning = (message) => {
  process.stderr.write(`warning: ${message}\n`);
};

export function openStore(root: string, options: StoreOptions = {}): Store {
  const absolute = path.resolve(root);
  // So that a failed write under it is told as the store's failure (errors.ts storeFailureOf).
  noteStoreRoot(absolute);
  const changes = new ChangeMarker(absolute, options.warn ?? warnOnStderr);
  return { root: absolute, blobs: new FsBlobStore(absolute), index: new FsIndexStore(absolute, changes, options.formats), changes };
}
