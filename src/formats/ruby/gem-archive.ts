/**
 * The outer layer of a .gem: an uncompressed tar holding metadata.gz (the gemspec as gzipped
 * YAML), data.tar.gz (the files) and checksums.yaml.gz (docs/formats/ruby.md, "The .gem file").
 * Read header by header from its source: each header's checksum is checked, only plain files
 * with plain names are accepted, and where the members this server reads are is noted.
 */
import { ValidationError } from '../../errors.js';
import type { GemSource } from './gem-source.js';

const BLOCK = 512;
const MAX_ENTRIES = 64;
// The members the server reads; the rest (signatures) are passed over.
const KEPT = new Set(['metadata.gz', 'data.tar.gz', 'checksums.yaml.gz']);

/** Where a member's bytes are in the .gem. */
export interface MemberRange {
  start: number;
  size: number;
}

export interface GemMembers {
  'metadata.gz'?: MemberRange;
  'data.tar.gz'?: MemberRange;
  'checksums.yaml.gz'?: MemberRange;
}

export async function readGemMembers(source: GemSource): Promise<GemMembers> {
  const members: GemMembers = {};
  let offset = 0;
  let entries = 0;
  while (offset + BLOCK <= source.size) {
    const header = await source.read(offset, BLOCK);
    if (header.every((byte) => byte === 0)) break;
    if (!checksumMatches(header)) throw notATar(entries === 0 ? 'it does not start with a tar header' : `entry ${entries + 1} has a damaged header`);
    entries += 1;
    if (entries > MAX_ENTRIES) throw new ValidationError(`The gem has more than ${MAX_ENTRIES} entries at its top level.`);
    const name = entryName(header);
    const size = octal(header.subarray(124, 136));
    const type = String.fromCharCode(header[156] || 0x30);
    if (size === undefined) throw notATar(`entry ${entries} has no valid size`);
    if (!isPlainName(name))
      throw new ValidationError(`The gem holds the entry ${JSON.stringify(name.slice(0, 100))}, which would be written outside the package.`);
    if (type !== '0')
      throw new ValidationError(`The gem holds ${JSON.stringify(name.slice(0, 100))}, which is not a regular file (tar type ${JSON.stringify(type)}).`);
    const start = offset + BLOCK;
    if (start + size > source.size) throw notATar(`entry ${JSON.stringify(name)} is cut off`);
    if (KEPT.has(name)) {
      if (members[name as keyof GemMembers]) throw new ValidationError(`The gem holds ${name} twice.`);
      members[name as keyof GemMembers] = { start, size };
    }
    offset = start + Math.ceil(size / BLOCK) * BLOCK;
  }
  if (entries === 0) throw notATar('it holds no entries');
  return members;
}

function notATar(why: string): ValidationError {
  return new ValidationError(`The upload is not a valid gem: it is not a tar archive (${why}).`, {
    hint: 'Build the gem with `gem build` and push the .gem file it writes.',
  });
}

/** The header checksum: the sum of its bytes with the checksum field read as spaces. */
function checksumMatches(header: Buffer): boolean {
  const stored = octal(header.subarray(148, 156));
  if (stored === undefined) return false;
  let sum = 0;
  for (let index = 0; index < BLOCK; index += 1) sum += index >= 148 && index < 156 ? 0x20 : header[index];
  return sum === stored;
}

function octal(field: Buffer): number | undefined {
  const text = field.toString('latin1').replace(/\0.*$/s, '').trim();
  if (!/^[0-7]{1,12}$/.test(text)) return undefined;
  return parseInt(text, 8);
}

function entryName(header: Buffer): string {
  const field = (start: number, length: number) =>
    header
      .subarray(start, start + length)
      .toString('utf8')
      .replace(/\0.*$/s, '');
  const name = field(0, 100);
  const prefix = header.subarray(257, 262).toString('latin1') === 'ustar' ? field(345, 155) : '';
  return prefix ? `${prefix}/${name}` : name;
}

/** A name that stays inside the folder it is unpacked into. */
export function isPlainName(name: string): boolean {
  const normalized = name.replace(/\\/g, '/');
  if (!normalized || normalized.startsWith('/') || /^[A-Za-z]:/.test(normalized) || normalized.includes('\0')) return false;
  return !normalized.split('/').includes('..');
}
