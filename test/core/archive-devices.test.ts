/**
 * Device and FIFO entries in uploaded archives are refused by every format that reads a tar
 * (npm tarballs, PyPI sdists, .crates, a gem's data.tar.gz): an installer that extracts as
 * root would make the node (core/archive-links.ts).
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors.js';
import { checkCrateArchive } from '../../src/formats/cargo/crate-archive.js';
import { readTarballContents } from '../../src/formats/npm/tarball-contents.js';
import { readTarMember } from '../../src/formats/pypi/tar-member.js';
import { checkDataArchive } from '../../src/formats/ruby/data-archive.js';
import { tgz, type TarEntry } from '../hardening/support/fuzz-archives.js';

const KINDS: Array<[string, TarEntry['type']]> = [
  ['character device', '3'],
  ['block device', '4'],
  ['FIFO', '6'],
];
const plainFile: TarEntry['type'] = '0';

const readers: Array<[string, (type: TarEntry['type']) => Promise<unknown>]> = [
  [
    'npm tarball',
    (type) =>
      readTarballContents(
        tgz([
          { name: 'package/package.json', content: '{"name":"dev","version":"1.0.0"}' },
          { name: 'package/node', type },
        ]),
      ),
  ],
  [
    'PyPI sdist',
    (type) =>
      readTarMember(
        tgz([
          { name: 'dev-1.0/node', type },
          { name: 'dev-1.0/PKG-INFO', content: 'Metadata-Version: 2.1\nName: dev\nVersion: 1.0\n' },
        ]),
        (path) => path === 'dev-1.0/PKG-INFO',
        1024 * 1024,
        'The sdist',
      ),
  ],
  [
    '.crate',
    (type) =>
      checkCrateArchive(
        tgz([
          { name: 'dev-1.0.0/Cargo.toml', content: '[package]\nname = "dev"\nversion = "1.0.0"\n' },
          { name: 'dev-1.0.0/node', type },
        ]),
        'dev',
        '1.0.0',
      ),
  ],
  ['gem data.tar.gz', (type) => checkDataArchive(Readable.from(tgz([{ name: 'lib/node', type }])))],
];

describe.each(readers)('a %s', (_label, read) => {
  it('is read when the entry is a plain file', async () => {
    await read(plainFile);
  });

  it.each(KINDS)('is refused with a %s entry', async (_kind, type) => {
    const error = await read(type).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(/device or FIFO/);
  });
});
