/**
 * Hand-built archives for the hostile-input test: tar and zip written byte by byte, so they can
 * hold what well-behaved tools refuse to write (entries named ../x or /etc/x, links pointing out
 * of the archive, sizes that lie) and bombs that inflate a little input into a lot of output.
 */
import { crc32, deflateRawSync, gzipSync, createGzip } from 'node:zlib';

export interface TarEntry {
  name: string;
  content?: Buffer | string;
  /** '0' file, '1' hard link, '2' symbolic link, '3' character device, '4' block device, '5' directory, '6' FIFO. */
  type?: '0' | '1' | '2' | '3' | '4' | '5' | '6';
  linkname?: string;
  /** Written into the header instead of the content's length. */
  declaredSize?: number;
}

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

function tarHeader(entry: TarEntry, size: number): Buffer {
  const header = Buffer.alloc(512);
  header.write(entry.name.slice(0, 100), 0, 'utf8');
  header.write(octal(0o644, 8), 100, 'latin1');
  header.write(octal(0, 8), 108, 'latin1');
  header.write(octal(0, 8), 116, 'latin1');
  header.write(octal(size, 12), 124, 'latin1');
  header.write(octal(1_700_000_000, 12), 136, 'latin1');
  header.write('        ', 148, 'latin1');
  header.write(entry.type ?? '0', 156, 'latin1');
  header.write((entry.linkname ?? '').slice(0, 100), 157, 'utf8');
  header.write('ustar\u000000', 257, 'latin1');
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return header;
}

function tarBytes(entries: TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const content = Buffer.from(entry.content ?? '');
    parts.push(tarHeader(entry, entry.declaredSize ?? content.length), content, Buffer.alloc((512 - (content.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

export const tgz = (entries: TarEntry[]): Buffer => gzipSync(tarBytes(entries));

/** A gzipped tar whose one big file of zeros unpacks to `megabytes` MiB; built by streaming, never held whole. */
export async function tarGzBomb(prefixEntries: TarEntry[], fileName: string, megabytes: number): Promise<Buffer> {
  const gzip = createGzip({ level: 9 });
  const out: Buffer[] = [];
  gzip.on('data', (chunk: Buffer) => out.push(chunk));
  const done = new Promise((resolve) => gzip.on('end', resolve));
  const head = tarBytes(prefixEntries);
  gzip.write(head.subarray(0, head.length - 1024));
  gzip.write(tarHeader({ name: fileName }, megabytes * 1024 * 1024));
  const zeros = Buffer.alloc(1024 * 1024);
  for (let written = 0; written < megabytes; written++) {
    if (!gzip.write(zeros)) await new Promise((resolve) => gzip.once('drain', resolve));
  }
  gzip.end(Buffer.alloc(1024));
  await done;
  return Buffer.concat(out);
}

export interface ZipEntrySpec {
  name: string;
  content: Buffer | string;
  /** Deflate (8, the default) or store (0). */
  method?: 0 | 8;
  /** The uncompressed size the headers claim (a lie makes a bomb or a truncation). */
  declaredSize?: number;
  /** Unix mode in the upper half of the external attributes (0o120777 marks a symbolic link). */
  unixMode?: number;
  /** Data used as the compressed bytes instead of compressing the content. */
  rawData?: Buffer;
}

/** A zip archive with exactly these entries and headers. */
export function zipBytes(entries: ZipEntrySpec[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const content = Buffer.from(entry.content);
    const method = entry.method ?? 8;
    const data = entry.rawData ?? (method === 8 ? deflateRawSync(content) : content);
    const name = Buffer.from(entry.name, 'utf8');
    const size = entry.declaredSize ?? content.length;
    const crc = crc32(content);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(0x0314, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((entry.unixMode ?? 0o100644) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** Deflated zeros: `megabytes` MiB of output from about a thousandth of the input. */
export function deflatedZeros(megabytes: number): Buffer {
  return deflateRawSync(Buffer.alloc(megabytes * 1024 * 1024), { level: 9 });
}

/** `depth` nested JSON arrays, or objects when `objects`. */
export function deepJson(depth: number, objects = false): string {
  return objects ? `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}` : `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

export function deepXml(depth: number, root = 'project'): string {
  return `<?xml version="1.0"?><${root}>${'<a>'.repeat(depth)}x${'</a>'.repeat(depth)}</${root}>`;
}

/** The classic entity expansion ("billion laughs"), for parsers that expand DOCTYPE entities. */
export function laughs(root: string): string {
  const levels = ['<!ENTITY l0 "lol">', ...Array.from({ length: 9 }, (_, level) => `<!ENTITY l${level + 1} "${`&l${level};`.repeat(10)}">`)];
  return `<?xml version="1.0"?><!DOCTYPE ${root} [${levels.join('')}]><${root}>&l9;</${root}>`;
}

/** Bytes that are not UTF-8: a lone continuation byte, an overlong '/', a truncated sequence. */
export const INVALID_UTF8 = Buffer.from([0x80, 0xc0, 0xaf, 0xe2, 0x82, 0xff, 0xfe]);
