import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import AdmZip from 'adm-zip';
import { describe, expect, it } from 'vitest';
import { fileZipSource, isSafeZipPath, readZipDirectory, readZipEntry, ZipFormatError, type ZipSource } from '../../src/core/zip-directory.js';
import { toolRuns } from '../helpers/required-tool.js';
import { makeTempDir } from '../helpers/temp-dir.js';

function archive(entries: Record<string, Buffer | string>): Buffer {
  const zip = new AdmZip();
  for (const [name, content] of Object.entries(entries)) zip.addFile(name, Buffer.from(content));
  return zip.toBuffer();
}

describe('readZipDirectory and readZipEntry', () => {
  it('lists entries and reads members, stored and deflated', () => {
    const bytes = archive({ 'a/METADATA': 'Name: a\n'.repeat(100), 'dir/': '', 'b.txt': 'b' });
    const entries = readZipDirectory(bytes, 10);
    const named = (name: string) => entries.find((entry) => entry.name === name)!;
    expect(entries.map((entry) => [entry.name, entry.isDirectory]).sort()).toEqual([
      ['a/METADATA', false],
      ['b.txt', false],
      ['dir/', true],
    ]);
    expect(readZipEntry(bytes, named('a/METADATA'), 1024).toString()).toBe('Name: a\n'.repeat(100));
    expect(readZipEntry(bytes, named('b.txt'), 1024).toString()).toBe('b');
  });

  it('refuses more entries than allowed before reading them, and reads many entries cheaply', () => {
    const withEntries = (count: number) => archive(Object.fromEntries(Array.from({ length: count }, (_, index) => [`f/${index}`, ''])));
    const bytes = withEntries(20_000);
    expect(() => readZipDirectory(bytes, 19_999)).toThrow(/20000 entries/);
    expect(readZipDirectory(bytes, 20_000)).toHaveLength(20_000);
    // Cheap means in proportion to the entries: ten times the entries may take about ten times
    // as long, not a hundred (work per entry growing with the entries). Measured against a
    // tenth of the archive in the same run, the two taking turns and the best of five each, so
    // a busy machine slows both alike.
    const small = withEntries(2_000);
    const fastest = { small: Infinity, big: Infinity };
    for (let round = 0; round < 5; round++) {
      for (const [which, zip, count] of [
        ['small', small, 2_000],
        ['big', bytes, 20_000],
      ] as const) {
        const started = performance.now();
        readZipDirectory(zip, count);
        fastest[which] = Math.min(fastest[which], performance.now() - started);
      }
    }
    expect(fastest.big / Math.max(fastest.small, 1)).toBeLessThan(50);
    // And the directory is read in a few reads, not one per entry.
    let reads = 0;
    readZipDirectory({ size: bytes.length, read: (position, length) => ((reads += 1), bytes.subarray(position, position + length)) }, 20_000);
    expect(reads).toBeLessThan(10);
  });

  it('refuses members larger than asked, members that lie about their size, and damaged data', () => {
    const bytes = archive({ big: Buffer.alloc(1024 * 1024, 0x20) });
    const [entry] = readZipDirectory(bytes, 1);
    expect(() => readZipEntry(bytes, entry, 1000)).toThrow(/would unpack to 1048576 bytes/);
    expect(() => readZipEntry(bytes, { ...entry, size: 100 }, 1000)).toThrow(/unpacks to more than 100 bytes/);
    expect(() => readZipEntry(bytes, { ...entry, crc32: entry.crc32 ^ 1 }, 2 * 1024 * 1024)).toThrow(/CRC/);
    expect(() => readZipDirectory(Buffer.from('not a zip at all'), 10)).toThrow(ZipFormatError);
    expect(() => readZipDirectory(bytes.subarray(0, bytes.length - 30), 10)).toThrow(ZipFormatError);
  });

  it.runIf(toolRuns('python3', ['-c', 'import zipfile'], 'reading a zip64 archive that python3 builds'))(
    'reads the zip64 end record of an archive with more than 65535 entries',
    () => {
      const python = spawnSync(
        'python3',
        [
          '-c',
          'import io,sys,zipfile\nb=io.BytesIO()\nz=zipfile.ZipFile(b,"w")\nfor i in range(70000): z.writestr(f"f/{i}", "")\nz.close()\nsys.stdout.buffer.write(b.getvalue())',
        ],
        { maxBuffer: 64 * 1024 * 1024 },
      );
      expect(python.status, String(python.stderr)).toBe(0);
      const entries = readZipDirectory(python.stdout, 100_000);
      expect(entries).toHaveLength(70_000);
      expect(readZipEntry(python.stdout, entries[69_999], 10).length).toBe(0);
    },
  );

  it('reads an archive from a file without reading the members it is not asked for', () => {
    // Random bytes do not compress: the archive is as large as its big member.
    const filler = randomBytes(4 * 1024 * 1024);
    const bytes = archive({ 'big.bin': filler, 'pkg/METADATA': 'Name: pkg\n' });
    const file = path.join(makeTempDir(), 'archive.zip');
    writeFileSync(file, bytes);
    const fd = openSync(file, 'r');
    try {
      const source = fileZipSource(fd);
      let bytesRead = 0;
      const counting: ZipSource = { size: source.size, read: (position, length) => ((bytesRead += length), source.read(position, length)) };
      const entries = readZipDirectory(counting, 10);
      const metadata = entries.find((entry) => entry.name === 'pkg/METADATA')!;
      expect(readZipEntry(counting, metadata, 1024).toString()).toBe('Name: pkg\n');
      expect(bytes.length).toBeGreaterThan(4 * 1024 * 1024);
      expect(bytesRead).toBeLessThan(128 * 1024);
      // The same answers as from memory, including for the large member when it is asked for.
      expect(entries).toEqual(readZipDirectory(bytes, 10));
      expect(
        readZipEntry(
          counting,
          entries.find((entry) => entry.name === 'big.bin')!,
          8 * 1024 * 1024,
        ).equals(filler),
      ).toBe(true);
      // A file cut short is refused as it is in memory.
      const cut = path.join(path.dirname(file), 'cut.zip');
      writeFileSync(cut, bytes.subarray(0, bytes.length - 30));
      const cutFd = openSync(cut, 'r');
      try {
        expect(() => readZipDirectory(fileZipSource(cutFd), 10)).toThrow(ZipFormatError);
      } finally {
        closeSync(cutFd);
      }
      expect(() => readZipEntry(counting, { ...metadata, localHeaderOffset: bytes.length - 10 }, 1024)).toThrow(/local header is damaged/);
    } finally {
      closeSync(fd);
    }
  });

  it('tells which paths would leave the extraction folder', () => {
    expect(['a/b.txt', 'a/./b', 'a..b'].every(isSafeZipPath)).toBe(true);
    expect(['../x', 'a/../../x', '/etc/passwd', 'C:/x', '..\\x', 'a\0b'].some(isSafeZipPath)).toBe(false);
  });
});
