import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import * as tar from 'tar';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/errors.js';
import { readTarMember } from '../../../src/formats/pypi/tar-member.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

/** An sdist-shaped tar.gz with PKG-INFO and a symbolic link to `target`. */
function sdistWithLink(target: string): string {
  const dir = makeTempDir('pypi-tar-link-');
  mkdirSync(path.join(dir, 'pkg-1.0', 'sub'), { recursive: true });
  writeFileSync(path.join(dir, 'pkg-1.0', 'PKG-INFO'), 'Metadata-Version: 2.1\nName: pkg\nVersion: 1.0\n');
  symlinkSync(target, path.join(dir, 'pkg-1.0', 'sub', 'link'));
  const file = path.join(dir, 'pkg-1.0.tar.gz');
  tar.create({ gzip: true, cwd: dir, file, sync: true, portable: true }, ['pkg-1.0']);
  return file;
}

const read = (file: string) => readTarMember(file, (entry) => entry === 'pkg-1.0/PKG-INFO', 1024, 'pkg-1.0.tar.gz');

describe('readTarMember and links', () => {
  it('refuses symbolic links that point out of the archive', async () => {
    for (const target of ['/etc/passwd', '../../../outside', '../../../../etc/passwd']) {
      await expect(read(sdistWithLink(target))).rejects.toThrow(ValidationError);
    }
  });

  it('takes symbolic links that stay inside it', async () => {
    expect((await read(sdistWithLink('../PKG-INFO')))?.toString()).toContain('Name: pkg');
  });
});

describe('readTarMember and gzip bombs', () => {
  it('stops a bomb at the decompression-ratio check', async () => {
    const dir = makeTempDir('pypi-tar-bomb-');
    const pkgInfo = Buffer.from('Metadata-Version: 2.1\nName: pkg\nVersion: 1.0\n');
    const header = (name: string, size: number) => new tar.Header({ path: name, size, type: 'File', mode: 0o644, mtime: new Date(0) });
    const block = (entry: tar.Header) => {
      const bytes = Buffer.alloc(512);
      entry.encode(bytes, 0);
      return bytes;
    };
    const zeros = 64 << 20;
    const archive = Buffer.concat([
      block(header('pkg-1.0/PKG-INFO', pkgInfo.length)),
      pkgInfo,
      Buffer.alloc(512 - pkgInfo.length),
      block(header('pkg-1.0/zeros', zeros)),
      Buffer.alloc(zeros + 1024),
    ]);
    const file = path.join(dir, 'pkg-1.0.tar.gz');
    writeFileSync(file, gzipSync(archive, { level: 9 }));
    await expect(read(file)).rejects.toThrow(/decompression ratio/);
  });
});
