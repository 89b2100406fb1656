/**
 * Every tar a format reads through core/tar-feed.ts (PyPI sdists, .crates, a gem's data.tar.gz)
 * is read up to its end-of-archive marker and no further: node-tar piles up what follows and
 * copies the pile for every slice, so 48 MB of near-zeros after the marker (a 50 KB upload, just
 * under the parser's decompression-ratio limit) held the event loop for most of a minute.
 */
import { Readable } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { checkCrateArchive } from '../../src/formats/cargo/crate-archive.js';
import { readTarMember } from '../../src/formats/pypi/tar-member.js';
import { checkDataArchive } from '../../src/formats/ruby/data-archive.js';
import { tgz, type TarEntry } from '../hardening/support/fuzz-archives.js';

/** The archive of `entries`, its end-of-archive marker, then 48 MB that compress about 1000 to 1. */
function withTrailer(entries: TarEntry[]): Buffer {
  const block = Buffer.alloc(48 * 1024);
  block[0] = 1;
  const trailer = Buffer.concat(Array.from({ length: 1024 }, () => block));
  const archive = gzipSync(Buffer.concat([gunzipSync(tgz(entries)), trailer]), { level: 9 });
  expect(archive.length).toBeLessThan(trailer.length / 900);
  return archive;
}

const readers: Array<[string, TarEntry[], (archive: Buffer) => Promise<unknown>]> = [
  [
    'PyPI sdist',
    [{ name: 'late-1.0/PKG-INFO', content: 'Metadata-Version: 2.1\nName: late\nVersion: 1.0\n' }],
    (archive) => readTarMember(archive, (path) => path === 'late-1.0/PKG-INFO', 1024 * 1024, 'The sdist'),
  ],
  [
    '.crate',
    [{ name: 'late-1.0.0/Cargo.toml', content: '[package]\nname = "late"\nversion = "1.0.0"\n' }],
    (archive) => checkCrateArchive(archive, 'late', '1.0.0'),
  ],
  ['gem data.tar.gz', [{ name: 'lib/late.rb', content: 'puts 1\n' }], (archive) => checkDataArchive(Readable.from(archive))],
];

describe('a tar with a gzip bomb after its end-of-archive marker', () => {
  it.each(readers)('is read up to the marker as a %s, in well under the minute reading on took', async (_label, entries, read) => {
    const archive = withTrailer(entries);
    const started = performance.now();
    await read(archive);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
