/**
 * readGem on damaged input: gems with random bytes flipped, cut or repeated, and gems whose
 * gemspec YAML (or checksums file) was damaged before being packed with matching checksums, so
 * the damage reaches the YAML and spec readers. Each one is read or refused with a
 * ValidationError, never another exception (which the server would answer with a 500).
 */
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readGem, readGemFile, readVouchedGemSpec } from '../../../src/formats/ruby/gem-file.js';
import { ValidationError } from '../../../src/errors.js';
import { buildGem, gemspecYaml, tarArchive } from '../../helpers/ruby-gem.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

// A seeded generator, so a failure can be replayed.
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function damage(bytes: Buffer, random: () => number): Buffer {
  const copy = Buffer.from(bytes);
  const at = () => Math.floor(random() * Math.max(1, copy.length));
  switch (Math.floor(random() * 4)) {
    case 0:
      for (let flips = 1 + Math.floor(random() * 8); flips > 0; flips--) copy[at()] ^= 1 << Math.floor(random() * 8);
      return copy;
    case 1:
      return copy.subarray(0, at());
    case 2: {
      const start = at();
      const piece = copy.subarray(start, start + 1 + Math.floor(random() * 200));
      return Buffer.concat([copy.subarray(0, start), piece, piece, copy.subarray(start)]);
    }
    default: {
      const start = at();
      return Buffer.concat([copy.subarray(0, start), copy.subarray(start + 1 + Math.floor(random() * 64))]);
    }
  }
}

async function outcome(bytes: Buffer): Promise<string> {
  try {
    await readGem(bytes);
    return 'read';
  } catch (error) {
    if (error instanceof ValidationError) return 'refused';
    throw error;
  }
}

const SEED = 20261207;
const def = {
  name: 'fuzzed',
  version: '1.0.0',
  dependencies: {
    base: [
      ['>=', '1.0'],
      ['<', '2'],
    ] as [string, string][],
  },
  requiredRuby: [['>=', '2.7']] as [string, string][],
};

describe('readGem on damaged gems', () => {
  it('reads the undamaged gem', async () => {
    expect((await readGem(buildGem(def).bytes)).spec).toMatchObject({ name: 'fuzzed', version: '1.0.0', platform: 'ruby', requiredRuby: [['>=', '2.7']] });
  });

  it('reads or refuses 600 gems with damaged bytes, with a ValidationError only', async () => {
    const random = generator(SEED);
    const bytes = buildGem(def).bytes;
    const seen = new Set<string>();
    for (let index = 0; index < 600; index++) seen.add(await outcome(damage(bytes, random)));
    expect(seen.has('refused')).toBe(true);
  });

  it('reads or refuses 300 gems with a damaged gemspec packed with matching checksums', async () => {
    const random = generator(SEED + 1);
    const yaml = Buffer.from(gemspecYaml(def));
    const seen = new Set<string>();
    for (let index = 0; index < 300; index++) {
      const text = damage(yaml, random).toString('utf8');
      seen.add(await outcome(buildGem({ ...def, yaml: text }).bytes));
    }
    expect(seen).toEqual(new Set(['read', 'refused']));
  });

  it('reads or refuses gems with a damaged checksums.yaml', async () => {
    const random = generator(SEED + 2);
    const metadata = gzipSync(Buffer.from(gemspecYaml(def)));
    const data = gzipSync(tarArchive({ 'lib/fuzzed.rb': Buffer.from('') }));
    const checksums = Buffer.from('---\nSHA256:\n  metadata.gz: 00\n  data.tar.gz: 11\nSHA512:\n  x: [1, 2]\n');
    const seen = new Set<string>();
    for (let index = 0; index < 200; index++) {
      seen.add(await outcome(tarArchive({ 'metadata.gz': metadata, 'data.tar.gz': data, 'checksums.yaml.gz': gzipSync(damage(checksums, random)) })));
    }
    // Digests listed for the members are wrong; damage that drops or renames them leaves nothing to check.
    expect(seen.has('refused')).toBe(true);
  });
});

describe('readGem and checksums.yaml.gz', () => {
  const metadata = gzipSync(Buffer.from(gemspecYaml(def)));
  const data = gzipSync(tarArchive({ 'lib/fuzzed.rb': Buffer.from('module Fuzzed; end\n') }));
  const hex = (algorithm: string, bytes: Buffer) => createHash(algorithm).update(bytes).digest('hex');
  const gemWith = (checksums: Buffer) => tarArchive({ 'metadata.gz': metadata, 'data.tar.gz': data, 'checksums.yaml.gz': checksums });
  const gemWithYaml = (yaml: string) => gemWith(gzipSync(Buffer.from(yaml)));
  const refusal = (bytes: Buffer) =>
    readGem(bytes).then(
      () => 'read',
      (error: unknown) => (error instanceof ValidationError ? error.message : `not a ValidationError: ${String(error)}`),
    );

  it('reads digests in upper case and with spaces around them, and skips what it cannot check', async () => {
    const yaml = [
      '---',
      'SHA256:',
      `  metadata.gz: "  ${hex('sha256', metadata).toUpperCase()}  "`,
      `  data.tar.gz: ${hex('sha256', data)}`,
      // Not a member of the gem, and not a digest as text: nothing to compare.
      '  other.tar.gz: 00',
      'SHA512:',
      '  data.tar.gz: [1, 2]',
      // An algorithm RubyGems does not list here, and one whose entries are not a mapping.
      'SHA384:',
      '  metadata.gz: zz',
      'SHA1: none',
      '',
    ].join('\n');
    await expect(refusal(gemWithYaml(yaml))).resolves.toBe('read');
  });

  it('skips an algorithm listed with nothing under it', async () => {
    await expect(refusal(gemWithYaml(`---\nSHA1:\nSHA256:\n  data.tar.gz: ${hex('sha256', data)}\n`))).resolves.toBe('read');
  });

  it('refuses a checksums.yaml.gz over 64 KiB before unpacking it, naming it', async () => {
    await expect(refusal(gemWith(randomBytes(64 * 1024 + 1)))).resolves.toBe("The gem's checksums.yaml.gz is larger than 65536 bytes.");
  });

  it('reads a gem without checksums.yaml.gz (it is optional)', async () => {
    await expect(refusal(tarArchive({ 'metadata.gz': metadata, 'data.tar.gz': data }))).resolves.toBe('read');
  });

  it('refuses a member whose digest differs, under any listed algorithm', async () => {
    const yaml = `---\nSHA256:\n  data.tar.gz: ${hex('sha256', data)}\nSHA512:\n  data.tar.gz: ${'a'.repeat(128)}\n`;
    await expect(refusal(gemWithYaml(yaml))).resolves.toBe(
      "The gem's data.tar.gz does not match its SHA512 checksum in checksums.yaml.gz; the file is damaged or was altered.",
    );
  });

  it('refuses a checksums file that is not a mapping, not YAML, or not gzip, naming it', async () => {
    await expect(refusal(gemWithYaml('---\n- SHA256\n- SHA512\n'))).resolves.toBe("The gem's checksums.yaml is not a mapping of algorithms to digests.");
    await expect(refusal(gemWithYaml('--- just text\n'))).resolves.toBe("The gem's checksums.yaml is not a mapping of algorithms to digests.");
    await expect(refusal(gemWith(Buffer.from('not gzip at all')))).resolves.toBe("The gem's checksums.yaml.gz is not valid gzip data.");
    await expect(refusal(gemWithYaml('---\nSHA256: [unclosed\n'))).resolves.toMatch(/checksums\.yaml/);
  });
});

describe('readGemFile: a staged push checked from its file', () => {
  // Random bytes do not compress: data.tar.gz spans several of the 64 KiB chunks read from the file.
  const metadata = gzipSync(Buffer.from(gemspecYaml(def)));
  const data = gzipSync(tarArchive({ 'lib/fuzzed.rb': Buffer.from('module Fuzzed; end\n'), 'lib/blob.bin': randomBytes(200 * 1024) }));
  const hex = (algorithm: string, bytes: Buffer) => createHash(algorithm).update(bytes).digest('hex');
  const staged = (members: Record<string, Buffer>) => {
    const file = path.join(makeTempDir('artifact-cli-gem-file-'), 'push.gem');
    writeFileSync(file, tarArchive({ 'metadata.gz': metadata, 'data.tar.gz': data, ...members }));
    return file;
  };
  const checksums = (dataDigest: (algorithm: string) => string) =>
    gzipSync(
      Buffer.from(
        ['SHA1', 'SHA256', 'SHA512']
          .map((name) => `${name}:\n  metadata.gz: ${hex(name.toLowerCase(), metadata)}\n  data.tar.gz: ${dataDigest(name.toLowerCase())}\n`)
          .join(''),
      ),
    );

  it('reads a gem whose every listed digest matches, over several chunks', async () => {
    expect(data.length).toBeGreaterThan(3 * 64 * 1024);
    const spec = await readGemFile(staged({ 'checksums.yaml.gz': checksums((algorithm) => hex(algorithm, data)) }));
    expect(spec.name).toBe('fuzzed');
  });

  it('refuses one whose data.tar.gz differs from a listed digest, naming the member and the algorithm', async () => {
    const wrongSha1 = (algorithm: string) => (algorithm === 'sha1' ? hex('sha1', Buffer.from('other')) : hex(algorithm, data));
    await expect(readGemFile(staged({ 'checksums.yaml.gz': checksums(wrongSha1) }))).rejects.toThrow(
      new ValidationError("The gem's data.tar.gz does not match its SHA1 checksum in checksums.yaml.gz; the file is damaged or was altered."),
    );
  });
});

describe('readVouchedGemSpec: a gem the registry vouched for, read for its gemspec only', () => {
  const metadata = gzipSync(Buffer.from(gemspecYaml(def)));
  const notGzip = Buffer.from('not a gzip stream at all');
  const wrongChecksums = gzipSync(Buffer.from(`SHA256:\n  data.tar.gz: ${'0'.repeat(64)}\n`));

  it('reads the gemspec from memory or from a file without reading data.tar.gz or checksums.yaml.gz', async () => {
    const bytes = tarArchive({ 'metadata.gz': metadata, 'data.tar.gz': notGzip, 'checksums.yaml.gz': wrongChecksums });
    // The full check refuses this gem; the vouched read takes its gemspec.
    await expect(readGem(bytes)).rejects.toThrow(ValidationError);
    expect((await readVouchedGemSpec(bytes)).name).toBe('fuzzed');
    const file = path.join(makeTempDir('artifact-cli-gem-file-'), 'fetched.gem');
    writeFileSync(file, bytes);
    expect((await readVouchedGemSpec(file)).version).toBe('1.0.0');
  });

  it('still refuses a gem without a readable gemspec', async () => {
    await expect(readVouchedGemSpec(tarArchive({ 'data.tar.gz': notGzip }))).rejects.toThrow(
      new ValidationError('The upload is not a valid gem: it has no metadata.gz.'),
    );
    await expect(readVouchedGemSpec(tarArchive({ 'metadata.gz': notGzip }))).rejects.toThrow(
      new ValidationError("The gem's metadata.gz is not valid gzip data."),
    );
  });
});
