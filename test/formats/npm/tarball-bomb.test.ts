import { gzipSync } from 'node:zlib';
import { expect, it } from 'vitest';
import { ValidationError } from '../../../src/errors.js';
import { readTarballContents } from '../../../src/formats/npm/tarball-contents.js';

/** A tar header for `name` announcing `size` bytes (ustar, checksum filled in). */
function tarHeader(name: string, size: number): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0);
  header.write('0000644\0', 100);
  header.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  header.write('00000000000\0', 136);
  header.write('        ', 148);
  header.write('0', 156);
  header.write('ustar\u000000', 257, 'latin1');
  const sum = header.reduce((total, byte) => total + byte, 0);
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return header;
}

/** Counts turns of the event loop while `work` runs. */
async function turnsDuring<T>(work: () => Promise<T>): Promise<{ turns: number; outcome: unknown }> {
  let turns = 0;
  let counting = true;
  const count = () => {
    turns += 1;
    if (counting) setImmediate(count);
  };
  setImmediate(count);
  const outcome = await work().catch((error: unknown) => error);
  counting = false;
  return { turns, outcome };
}

it('reads a tarball in slices, letting other requests run while it works through many entries', async () => {
  const manifest = Buffer.from(JSON.stringify({ name: 'many', version: '1.0.0' }));
  const entries = Array.from({ length: 20_000 }, (_, index) => tarHeader(`package/f${index}`, 0));
  const tarball = gzipSync(
    Buffer.concat([tarHeader('package/package.json', manifest.length), manifest, Buffer.alloc(512 - manifest.length), ...entries, Buffer.alloc(1024)]),
  );
  const { turns, outcome } = await turnsDuring(() => readTarballContents(tarball));
  expect(outcome).toMatchObject({ fileCount: 20_001 });
  // Read in one go, the whole archive would be parsed inside one turn of the event loop.
  expect(turns).toBeGreaterThan(1);
});

it('stops a gzip bomb at the decompression-ratio check', async () => {
  const manifest = Buffer.from(JSON.stringify({ name: 'bomb', version: '1.0.0' }));
  const tar = Buffer.concat([
    tarHeader('package/package.json', manifest.length),
    manifest,
    Buffer.alloc(512 - manifest.length),
    tarHeader('package/zeros', 64 << 20),
    Buffer.alloc(64 << 20),
  ]);
  const bomb = gzipSync(tar, { level: 9 });
  expect(bomb.length).toBeLessThan(tar.length / 500);
  const { outcome } = await turnsDuring(() => readTarballContents(bomb));
  expect(outcome).toBeInstanceOf(ValidationError);
  expect(String((outcome as Error).message)).toMatch(/decompression ratio/);
});

it('stops at the end-of-archive marker, leaving unread what a gzip bomb puts after it', async () => {
  const manifest = Buffer.from(JSON.stringify({ name: 'trailer', version: '1.0.0' }));
  // Zeros with a byte set now and then: just under the parser's decompression-ratio limit.
  const block = Buffer.alloc(48 * 1024);
  block[0] = 1;
  const trailing = Buffer.concat(Array.from({ length: 1024 }, () => block));
  const tarball = gzipSync(
    Buffer.concat([tarHeader('package/package.json', manifest.length), manifest, Buffer.alloc(512 - manifest.length), Buffer.alloc(1024), trailing]),
    { level: 9 },
  );
  expect(tarball.length).toBeLessThan(trailing.length / 900);
  const started = performance.now();
  const contents = await readTarballContents(tarball);
  expect(contents).toMatchObject({ manifest: { name: 'trailer' }, fileCount: 1 });
  // Read past the marker, the 48 MB after it were copied over and over in the parser's buffer:
  // a minute with the event loop held for most of it. Stopping at the marker reads one slice.
  expect(performance.now() - started).toBeLessThan(2_000);
});
