/**
 * Building .crate files and `cargo publish` bodies in a test, byte by byte, so tests can also
 * make the broken ones cargo never would (an entry escaping the crate's folder, lengths that
 * lie). The tar writer is plain ustar: one 512-byte header per entry, data padded to 512.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

export interface TarEntry {
  path: string;
  content?: string | Buffer;
  /** '0' file (default), '2' symbolic link, '1' hard link. */
  type?: '0' | '1' | '2';
  linkTarget?: string;
}

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

function header(entry: TarEntry, size: number): Buffer {
  const block = Buffer.alloc(512);
  block.write(entry.path, 0, 100, 'utf8');
  block.write(octal(0o644, 8), 100, 'ascii');
  block.write(octal(0, 8), 108, 'ascii');
  block.write(octal(0, 8), 116, 'ascii');
  block.write(octal(size, 12), 124, 'ascii');
  block.write(octal(0, 12), 136, 'ascii');
  block.write('        ', 148, 'ascii');
  block.write(entry.type ?? '0', 156, 'ascii');
  if (entry.linkTarget) block.write(entry.linkTarget, 157, 100, 'utf8');
  block.write('ustar\0', 257, 'ascii');
  block.write('00', 263, 'ascii');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return block;
}

export function tarGz(entries: TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const data = entry.content === undefined ? Buffer.alloc(0) : Buffer.from(entry.content);
    parts.push(header(entry, entry.type && entry.type !== '0' ? 0 : data.length));
    if (!entry.type || entry.type === '0') {
      parts.push(data, Buffer.alloc((512 - (data.length % 512)) % 512));
    }
  }
  parts.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(parts));
}

/** A .crate as cargo packs one: `<name>-<version>/Cargo.toml` and a source file. */
export function buildCrate(
  name: string,
  version: string,
  options: { extra?: TarEntry[]; manifestName?: string; manifestVersion?: string; body?: string } = {},
): Buffer {
  const top = `${name}-${version}`;
  const manifest = ['[package]', 'edition = "2021"', `name = "${options.manifestName ?? name}"`, `version = "${options.manifestVersion ?? version}"`, ''].join(
    '\n',
  );
  return tarGz([
    { path: `${top}/Cargo.toml`, content: manifest },
    { path: `${top}/src/lib.rs`, content: options.body ?? `pub fn version() -> &'static str { "${version}" }\n` },
    ...(options.extra ?? []),
  ]);
}

export interface CrateMetadata {
  name: string;
  vers: string;
  deps?: Record<string, unknown>[];
  features?: Record<string, string[]>;
  description?: string;
  license?: string;
  homepage?: string;
  repository?: string;
  [key: string]: unknown;
}

/** The `cargo publish` body: u32 LE JSON length, JSON, u32 LE crate length, crate. */
export function publishBody(metadata: CrateMetadata, crate: Buffer, lengths: { json?: number; crate?: number } = {}): Buffer {
  const json = Buffer.from(JSON.stringify({ deps: [], features: {}, ...metadata }));
  const jsonLength = Buffer.alloc(4);
  jsonLength.writeUInt32LE(lengths.json ?? json.length);
  const crateLength = Buffer.alloc(4);
  crateLength.writeUInt32LE(lengths.crate ?? crate.length);
  return Buffer.concat([jsonLength, json, crateLength, crate]);
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The index path cargo asks for (1/a, 2/ab, 3/a/abc, se/rd/serde). */
export function indexPathOf(name: string): string {
  const lower = name.toLowerCase();
  if (lower.length <= 2) return `${lower.length}/${lower}`;
  if (lower.length === 3) return `3/${lower[0]}/${lower}`;
  return `${lower.slice(0, 2)}/${lower.slice(2, 4)}/${lower}`;
}
