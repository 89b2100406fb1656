/** The two halves of storage, opened together for one root. */
import path from 'node:path';
import type { BlobStore } from './blob-store.js';
import { FsBlobStore } from './fs-blob-store.js';
import { FsIndexStore } from './fs-index-store.js';
import type { IndexStore } from './index-store.js';

export interface Store {
  readonly root: string;
  readonly blobs: BlobStore;
  readonly index: IndexStore;
}

export function openStore(root: string): Store {
  const absolute = path.resolve(root);
  return { root: absolute, blobs: new FsBlobStore(absolute), index: new FsIndexStore(absolute) };
}
