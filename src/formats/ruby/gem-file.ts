/**
 * Reads an uploaded or fetched .gem in full before anything is stored: the tar layout, the
 * gemspec (safe YAML, size-capped gunzip), checksums.yaml against the members' digests, and the
 * paths in data.tar.gz. Every refusal is a ValidationError whose message `gem push` prints.
 */
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { ValidationError } from '../../errors.js';
import { checkDataArchive } from './data-archive.js';
import { readGemMembers, type GemMembers } from './gem-archive.js';
import { specFromYaml, type GemSpec } from './gem-spec.js';
import { MAX_GEMSPEC_BYTES, parseGemspecYaml } from './gemspec-yaml.js';

const MAX_CHECKSUMS_BYTES = 64 * 1024;
const DIGESTS: Readonly<Record<string, string>> = { SHA1: 'sha1', SHA256: 'sha256', SHA512: 'sha512' };

export interface ReadGem {
  spec: GemSpec;
  sha256: string;
}

export async function readGem(bytes: Buffer): Promise<ReadGem> {
  const members = readGemMembers(bytes);
  const metadata = members['metadata.gz'];
  if (!metadata) throw new ValidationError('The upload is not a valid gem: it has no metadata.gz.');
  if (!members['data.tar.gz']) throw new ValidationError('The upload is not a valid gem: it has no data.tar.gz.');
  checkChecksums(members);
  const yaml = gunzip(metadata, MAX_GEMSPEC_BYTES, 'metadata.gz').toString('utf8');
  const spec = specFromYaml(parseGemspecYaml(yaml));
  await checkDataArchive(members['data.tar.gz']);
  return { spec, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** Every digest checksums.yaml.gz lists for a member must match it (RubyGems verifies the same on install). */
function checkChecksums(members: GemMembers): void {
  const file = members['checksums.yaml.gz'];
  if (!file) return;
  const listed = parseGemspecYaml(gunzip(file, MAX_CHECKSUMS_BYTES, 'checksums.yaml.gz').toString('utf8'), 'checksums.yaml');
  if (typeof listed !== 'object' || listed === null || Array.isArray(listed)) throw new ValidationError('The gem\'s checksums.yaml is not a mapping of algorithms to digests.');
  for (const [algorithm, entries] of Object.entries(listed)) {
    const hash = DIGESTS[algorithm];
    if (!hash || typeof entries !== 'object' || entries === null) continue;
    for (const [member, expected] of Object.entries(entries as Record<string, unknown>)) {
      const bytes = members[member as keyof GemMembers];
      if (!bytes || typeof expected !== 'string') continue;
      if (createHash(hash).update(bytes).digest('hex') !== expected.trim().toLowerCase()) {
        throw new ValidationError(`The gem's ${member} does not match its ${algorithm} checksum in checksums.yaml.gz; the file is damaged or was altered.`);
      }
    }
  }
}

function gunzip(bytes: Buffer, maxBytes: number, what: string): Buffer {
  try {
    return gunzipSync(bytes, { maxOutputLength: maxBytes });
  } catch (error) {
    const tooBig = (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || /Cannot create a Buffer larger|maxOutputLength|too large/i.test(String(error));
    throw new ValidationError(tooBig ? `The gem's ${what} unpacks to more than ${maxBytes} bytes.` : `The gem's ${what} is not valid gzip data.`, { cause: error });
  }
}
