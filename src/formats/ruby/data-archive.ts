/**
 * Walks data.tar.gz (the gem's files) without unpacking it, to refuse a gem whose files would be
 * written outside the gem's folder by `gem install`: absolute or '..' paths, hard links, and
 * symbolic links pointing out. Gzip bombs stop at the unpacked-size cap.
 */
import { Parser, type ReadEntry } from 'tar';
import { isDeviceOrFifo, isSafeLinkTarget } from '../../core/archive-links.js';
import { readTar } from '../../core/tar-feed.js';
import { ValidationError } from '../../errors.js';
import { isPlainName } from './gem-archive.js';

const MAX_ENTRIES = 100_000;
const MAX_UNPACKED_BYTES = 1024 * 1024 * 1024;

export async function checkDataArchive(chunks: AsyncIterable<Buffer>): Promise<void> {
  let entries = 0;
  let unpacked = 0;
  const parser = new Parser({ strict: true });
  const fail = (error: ValidationError) => parser.abort(error);
  parser.on('entry', (entry: ReadEntry) => {
    entries += 1;
    if (entries > MAX_ENTRIES) return fail(new ValidationError(`data.tar.gz has more than ${MAX_ENTRIES} entries.`));
    const escapes = !isPlainName(entry.path) || entry.type === 'Link' || (entry.type === 'SymbolicLink' && !isSafeLinkTarget(entry.path, entry.linkpath ?? ''));
    if (escapes)
      return fail(
        new ValidationError(
          `The gem's data.tar.gz holds the entry ${JSON.stringify(entry.path.slice(0, 100))}, which would be written outside the gem's folder.`,
        ),
      );
    if (isDeviceOrFifo(entry.type))
      return fail(new ValidationError(`The gem's data.tar.gz holds the entry ${JSON.stringify(entry.path.slice(0, 100))}, a device or FIFO.`));
    unpacked += entry.size ?? 0;
    if (unpacked > MAX_UNPACKED_BYTES) return fail(new ValidationError(`The gem's data.tar.gz unpacks to more than ${MAX_UNPACKED_BYTES} bytes.`));
    entry.resume();
  });
  await readTar(parser, chunks, (reason) => new ValidationError(`The gem's data.tar.gz is not a valid tar.gz archive: ${reason}.`));
}
