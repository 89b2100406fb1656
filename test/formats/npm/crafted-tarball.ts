/** Gzipped tarballs with whatever entry paths a test needs (the writer is test/helpers/tar-writer.ts). */
import { gzipSync } from 'node:zlib';
import { writeTar, type TarEntry } from '../../helpers/tar-writer.js';

export type CraftedEntry = TarEntry;

export function craftTarball(entries: CraftedEntry[]): Buffer {
  return gzipSync(writeTar(entries));
}
