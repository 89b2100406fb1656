/**
 * Reads an uploaded or fetched .gem in full before anything is stored: the tar layout, the
 * gemspec (safe YAML, size-capped gunzip), checksums.yaml against the members' digests, and the
 * paths in data.tar.gz. Every refusal is a ValidationError whose message `gem push` prints.
 */
import { createHash, type Hash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { ValidationError } from '../../errors.js';
import { checkDataArchive } from './data-archive.js';
import { readGemMembers, type GemMembers, type MemberRange } from './gem-archive.js';
import { gemSourceOf, withGemFile, type GemSource } from './gem-source.js';
import { specFromYaml, type GemSpec } from './gem-spec.js';
import { MAX_GEMSPEC_BYTES, parseGemspecYaml } from './gemspec-yaml.js';

const MAX_CHECKSUMS_BYTES = 64 * 1024;
// Compressed members read into memory: gzip adds little even to bytes it cannot shrink.
const GZIP_ROOM = 64 * 1024;
const DIGESTS: Readonly<Record<string, string>> = { SHA1: 'sha1', SHA256: 'sha256', SHA512: 'sha512' };

export interface ReadGem {
  spec: GemSpec;
  sha256: string;
}

/** A .gem in memory. */
export async function readGem(bytes: Buffer): Promise<ReadGem> {
  const spec = await readGemSpec(gemSourceOf(bytes));
  return { spec, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** A .gem in a file (a staged push, a stored blob), read without holding it whole. */
export function readGemFile(file: string): Promise<GemSpec> {
  return withGemFile(file, readGemSpec);
}

/**
 * Only the gemspec of a .gem whose bytes a registry vouched for (they matched its checksum):
 * the tar headers and metadata.gz. Such a gem is kept and served whatever its checksums.yaml
 * and data.tar.gz hold, so reading them would only decide a warning.
 */
export function readVouchedGemSpec(gem: Buffer | string): Promise<GemSpec> {
  const read = async (source: GemSource) => specOf(await gemspecBytes(source, await readGemMembers(source)));
  return Buffer.isBuffer(gem) ? read(gemSourceOf(gem)) : withGemFile(gem, read);
}

async function readGemSpec(source: GemSource): Promise<GemSpec> {
  const members = await readGemMembers(source);
  const data = members['data.tar.gz'];
  const metadata = await gemspecBytes(source, members);
  if (!data) throw new ValidationError('The upload is not a valid gem: it has no data.tar.gz.');
  await checkChecksums(source, members, metadata);
  const spec = specOf(metadata);
  await checkDataArchive(source.chunks(data.start, data.size));
  return spec;
}

/** metadata.gz as stored (gzipped). */
async function gemspecBytes(source: GemSource, members: GemMembers): Promise<Buffer> {
  const metadataRange = members['metadata.gz'];
  if (!metadataRange) throw new ValidationError('The upload is not a valid gem: it has no metadata.gz.');
  return readSmall(source, metadataRange, MAX_GEMSPEC_BYTES + GZIP_ROOM, 'metadata.gz');
}

function specOf(metadata: Buffer): GemSpec {
  return specFromYaml(parseGemspecYaml(gunzip(metadata, MAX_GEMSPEC_BYTES, 'metadata.gz').toString('utf8')));
}

async function readSmall(source: GemSource, range: MemberRange, maxBytes: number, what: string): Promise<Buffer> {
  if (range.size > maxBytes) throw new ValidationError(`The gem's ${what} is larger than ${maxBytes} bytes.`);
  return source.read(range.start, range.size);
}

/** Every digest checksums.yaml.gz lists for a member must match it (RubyGems verifies the same on install). */
async function checkChecksums(source: GemSource, members: GemMembers, metadata: Buffer): Promise<void> {
  const range = members['checksums.yaml.gz'];
  if (!range) return;
  const file = await readSmall(source, range, MAX_CHECKSUMS_BYTES, 'checksums.yaml.gz');
  const listed = parseGemspecYaml(gunzip(file, MAX_CHECKSUMS_BYTES, 'checksums.yaml.gz').toString('utf8'), 'checksums.yaml');
  if (typeof listed !== 'object' || listed === null || Array.isArray(listed))
    throw new ValidationError("The gem's checksums.yaml is not a mapping of algorithms to digests.");
  const wanted: { member: keyof GemMembers; algorithm: string; hash: Hash; expected: string }[] = [];
  for (const [algorithm, entries] of Object.entries(listed)) {
    const hash = DIGESTS[algorithm];
    if (!hash || typeof entries !== 'object' || entries === null) continue;
    for (const [member, expected] of Object.entries(entries as Record<string, unknown>)) {
      if (!Object.hasOwn(members, member) || typeof expected !== 'string') continue;
      wanted.push({ member: member as keyof GemMembers, algorithm, hash: createHash(hash), expected: expected.trim().toLowerCase() });
    }
  }
  // One pass over each member, whatever the number of algorithms listed for it.
  for (const member of new Set(wanted.map((entry) => entry.member))) {
    const hashes = wanted.filter((entry) => entry.member === member).map((entry) => entry.hash);
    const memberRange = members[member] as MemberRange;
    if (member === 'metadata.gz') for (const hash of hashes) hash.update(metadata);
    else for await (const chunk of source.chunks(memberRange.start, memberRange.size)) for (const hash of hashes) hash.update(chunk);
  }
  for (const { member, algorithm, hash, expected } of wanted) {
    if (hash.digest('hex') !== expected) {
      throw new ValidationError(`The gem's ${member} does not match its ${algorithm} checksum in checksums.yaml.gz; the file is damaged or was altered.`);
    }
  }
}

function gunzip(bytes: Buffer, maxBytes: number, what: string): Buffer {
  try {
    return gunzipSync(bytes, { maxOutputLength: maxBytes });
  } catch (error) {
    const tooBig =
      (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || /Cannot create a Buffer larger|maxOutputLength|too large/i.test(String(error));
    throw new ValidationError(tooBig ? `The gem's ${what} unpacks to more than ${maxBytes} bytes.` : `The gem's ${what} is not valid gzip data.`, {
      cause: error,
    });
  }
}
