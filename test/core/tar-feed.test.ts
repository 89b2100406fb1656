import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TAR_FEED_SLICE_BYTES, feedTar } from '../../src/core/tar-feed.js';
import { makeTempDir } from '../helpers/temp-dir.js';

/** Records what a parser would be given. */
function recordingSink() {
  const writes: Buffer[] = [];
  let ends = 0;
  return {
    writes,
    ends: () => ends,
    sink: {
      write: (chunk: Buffer) => writes.push(Buffer.from(chunk)),
      end: () => (ends += 1),
    },
  };
}

const archive = randomBytes(200 * 1024 + 123);

describe('feedTar', () => {
  const sources: [string, () => Buffer | string][] = [
    ['in memory', () => archive],
    [
      'in a file',
      () => {
        const file = path.join(makeTempDir('tar-feed-'), 'archive.tar.gz');
        writeFileSync(file, archive);
        return file;
      },
    ],
  ];

  it.each(sources)('hands an archive %s to the parser in slices of at most 4 KB, in order, then ends it', async (_where, source) => {
    const { writes, ends, sink } = recordingSink();
    await feedTar(sink, source(), () => false);
    expect(Math.max(...writes.map((write) => write.length))).toBeLessThanOrEqual(TAR_FEED_SLICE_BYTES);
    expect(Buffer.concat(writes).equals(archive)).toBe(true);
    expect(ends()).toBe(1);
  });

  it('stops writing, and does not end the parser, once it is told the parser is done', async () => {
    const { writes, ends, sink } = recordingSink();
    await feedTar(sink, archive, () => writes.length >= 3);
    expect(writes).toHaveLength(3);
    expect(ends()).toBe(0);
  });

  it('rejects with the error of a file it cannot read', async () => {
    const { sink } = recordingSink();
    await expect(feedTar(sink, path.join(makeTempDir('tar-feed-'), 'missing.tar.gz'), () => false)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
