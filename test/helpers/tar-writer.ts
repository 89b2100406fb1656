/**
 * One ustar writer for the tests: any entry path a test needs, including ones `tar` itself
 * refuses to write ('../x', '/etc/x'), one header per entry (names up to 100 bytes), no
 * compression. npm tarballs gzip it (craftTarball); a .gem is one as it is (tarArchive).
 */

export interface TarEntry {
  path: string;
  content?: string | Buffer;
  /** '0' file (default), '2' symbolic link, '5' directory. */
  type?: '0' | '2' | '5';
  linkTarget?: string;
}

export function writeTar(entries: readonly TarEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const content = Buffer.isBuffer(entry.content) ? entry.content : Buffer.from(entry.content ?? '');
    const header = Buffer.alloc(512);
    header.write(entry.path, 0, 100, 'utf8');
    header.write('0000644\0', 100);
    header.write('0000000\0', 108);
    header.write('0000000\0', 116);
    header.write(`${content.length.toString(8).padStart(11, '0')}\0`, 124);
    header.write('00000000000\0', 136);
    header.write('        ', 148);
    header.write(entry.type ?? '0', 156);
    if (entry.linkTarget) header.write(entry.linkTarget, 157, 100, 'utf8');
    header.write('ustar\0', 257);
    header.write('00', 263);
    let sum = 0;
    for (const byte of header) sum += byte;
    header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    blocks.push(header, content, Buffer.alloc((512 - (content.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}
