/**
 * readGem on damaged input: gems with random bytes flipped, cut or repeated, and gems whose
 * gemspec YAML (or checksums file) was damaged before being packed with matching checksums, so
 * the damage reaches the YAML and spec readers. Each one is read or refused with a
 * ValidationError, never another exception (which the server would answer with a 500).
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readGem } from '../../../src/formats/ruby/gem-file.js';
import { ValidationError } from '../../../src/errors.js';
import { buildGem, gemspecYaml, tarArchive } from '../../helpers/ruby-gem.js';

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
const def = { name: 'fuzzed', version: '1.0.0', dependencies: { base: [['>=', '1.0'], ['<', '2']] as [string, string][] }, requiredRuby: [['>=', '2.7']] as [string, string][] };

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
