/**
 * The publish request body: multipart/form-data with the parts `source-archive` (the zip),
 * `source-archive-signature`, `metadata` (JSON) and `metadata-signature`. SwiftPM sends the
 * archive as `Content-Type: application/zip` without a file name, so general form parsers take
 * it for a text field; this reads the body itself. The body goes to a staged file first (with
 * the server's size cap), then the parts are found in it: the archive is left in place as a
 * byte range of that file, and only the small parts are read into memory.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { PayloadTooLargeError } from '../../errors.js';
import { refuseDeclaredOver } from '../../server/body.js';
import { stageRequestBody } from '../../server/staged-body.js';
import { UnprocessableError } from './problem.js';

export const PART_NAMES = ['source-archive', 'source-archive-signature', 'metadata', 'metadata-signature'] as const;
export type PartName = (typeof PART_NAMES)[number];

// Signatures are a few kilobytes of CMS; metadata is a short JSON document. The archive's
// signature goes back out base64-encoded in a download header, and clients refuse header
// blocks past about 16 KB, so it is held well under that.
const SMALL_PART_LIMITS: Record<Exclude<PartName, 'source-archive'>, number> = {
  'source-archive-signature': 10 * 1024,
  metadata: 1024 * 1024,
  'metadata-signature': 64 * 1024,
};
const MAX_PART_HEADERS = 8 * 1024;
const SCAN_CHUNK = 1024 * 1024;

/** A part kept as a byte range of the staged body file. */
export interface ByteRange {
  start: number;
  length: number;
}

export interface PublishBody {
  /** The staged body file; `archive` is a range of it. */
  file: string;
  archive: ByteRange;
  archiveSignature?: Buffer;
  metadata?: Buffer;
  metadataSignature?: Buffer;
  /** Removes the staged file; safe to call whatever happened. */
  discard(): Promise<void>;
}

/** 422, as the specification's reference registry answers a body it cannot use. */
function malformed(reason: string): UnprocessableError {
  return new UnprocessableError(`The publish body is not usable multipart/form-data: ${reason}.`, {
    hint: 'Publish with `swift package-registry publish`, which sends the source archive and metadata as form parts.',
  });
}

export function boundaryOf(contentType: string | undefined): string {
  const type = contentType ?? '';
  if (!/^multipart\/form-data\s*(;|$)/i.test(type))
    throw malformed(`the Content-Type is ${JSON.stringify(type.slice(0, 80) || 'missing')}, not multipart/form-data`);
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;"]{1,70}))/i.exec(type);
  const boundary = match?.[1] ?? match?.[2];
  if (!boundary) throw malformed('the Content-Type has no boundary');
  return boundary;
}

/** Stages the request body (at most `maxBytes`) and finds its parts. */
export async function receivePublishBody(req: IncomingMessage, root: string, maxBytes: number): Promise<PublishBody> {
  const boundary = boundaryOf(req.headers['content-type']);
  // Read with listeners, not a pipe, so an oversized body gets its 413 rather than a reset connection.
  const staged = await stageRequestBody(req, root, 'swift-publish', maxBytes, () => tooLarge(maxBytes));
  try {
    return { file: staged.file, discard: () => staged.discard(), ...(await readParts(staged.file, boundary)) };
  } catch (error) {
    await staged.discard();
    throw error;
  }
}

/** The publish's 413 for a declared length over `maxBytes`, as staging the body would refuse it. */
export function refuseOversizePublish(req: IncomingMessage, maxBytes: number): void {
  refuseDeclaredOver(req, maxBytes, () => tooLarge(maxBytes));
}

function tooLarge(maxBytes: number): PayloadTooLargeError {
  return new PayloadTooLargeError(`The publish body is larger than this server's limit of ${maxBytes} bytes.`, {
    hint: 'Raise server.maxUploadBytes in the artifact-cli config file if packages this large are expected.',
  });
}

/** Every position of `needle` in the file, scanned a chunk at a time, letting other requests through between chunks. */
async function findAll(fd: number, size: number, needle: Buffer, limit: number): Promise<number[]> {
  const found: number[] = [];
  const buffer = Buffer.allocUnsafe(SCAN_CHUNK + needle.length);
  for (let position = 0; position < size; position += SCAN_CHUNK) {
    if (position > 0 && position % (16 * SCAN_CHUNK) === 0) await new Promise((resolve) => setImmediate(resolve));
    const length = readSync(fd, buffer, 0, Math.min(buffer.length, size - position), position);
    const window = buffer.subarray(0, length);
    for (let at = window.indexOf(needle); at >= 0 && at < SCAN_CHUNK; at = window.indexOf(needle, at + 1)) {
      found.push(position + at);
      if (found.length > limit) throw malformed(`it has more than ${limit - 1} parts`);
    }
  }
  return found;
}

function readRange(fd: number, start: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  let filled = 0;
  while (filled < length) {
    const got = readSync(fd, buffer, filled, length - filled, start + filled);
    if (got === 0) break;
    filled += got;
  }
  return buffer.subarray(0, filled);
}

interface Parts {
  archive: ByteRange;
  archiveSignature?: Buffer;
  metadata?: Buffer;
  metadataSignature?: Buffer;
}

async function readParts(file: string, boundary: string): Promise<Parts> {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const opener = Buffer.from(`--${boundary}`);
    // Every delimiter but a first one at the very start is preceded by CRLF.
    const delimiters = readRange(fd, 0, opener.length).equals(opener) ? [-2] : [];
    delimiters.push(...(await findAll(fd, size, Buffer.from(`\r\n--${boundary}`), PART_NAMES.length + 2)));
    if (delimiters.length === 0) throw malformed('the boundary never occurs in it');
    const parts = new Map<string, ByteRange & { encoding: Encoding }>();
    for (let index = 0; index < delimiters.length; index++) {
      const after = delimiters[index] + 2 + opener.length;
      const ending = readRange(fd, after, 2).toString('latin1');
      if (ending === '--') return collect(fd, parts);
      if (index === delimiters.length - 1) break;
      const headerBytes = readRange(fd, after, Math.min(MAX_PART_HEADERS, delimiters[index + 1] - after));
      const headerEnd = headerBytes.indexOf('\r\n\r\n');
      if (headerEnd < 0) throw malformed('a part has no end to its headers');
      const headerText = headerBytes.toString('latin1', 0, headerEnd);
      const name = partName(headerText);
      if (parts.has(name)) throw malformed(`the part ${JSON.stringify(name)} occurs twice`);
      const start = after + headerEnd + 4;
      parts.set(name, { start, length: delimiters[index + 1] - start, encoding: transferEncoding(headerText, name) });
    }
    throw malformed('it has no closing boundary; the upload may have been cut off');
  } finally {
    closeSync(fd);
  }
}

type Encoding = 'binary' | 'base64' | 'quoted-printable';

/**
 * The part's Content-Transfer-Encoding. SwiftPM sends `binary` (and none on metadata); the
 * specification lets a client use any valid value, so base64 and quoted-printable are decoded
 * for the small parts. The archive stays a byte range of the staged body, so it must be binary.
 */
function transferEncoding(headers: string, name: PartName): Encoding {
  const value = /^content-transfer-encoding:\s*([^\s;]+)\s*$/im.exec(headers)?.[1]?.toLowerCase() ?? 'binary';
  if (value === 'binary' || value === '7bit' || value === '8bit') return 'binary';
  if ((value === 'base64' || value === 'quoted-printable') && name !== 'source-archive') return value;
  throw malformed(
    `its ${name} part has Content-Transfer-Encoding ${JSON.stringify(value.slice(0, 30))}; send it as binary, as \`swift package-registry publish\` does`,
  );
}

function decodePart(bytes: Buffer, encoding: Encoding): Buffer {
  if (encoding === 'base64') return Buffer.from(bytes.toString('latin1').replace(/\s+/g, ''), 'base64');
  if (encoding === 'quoted-printable') {
    const text = bytes.toString('latin1').replace(/=\r?\n/g, '');
    return Buffer.from(
      text.replace(/=([0-9A-Fa-f]{2})/g, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16))),
      'latin1',
    );
  }
  return bytes;
}

function partName(headers: string): PartName {
  const disposition = /^content-disposition:\s*form-data\s*;(.*)$/im.exec(headers);
  if (!disposition) throw malformed('a part has no Content-Disposition: form-data header');
  const name = /(?:^|;)\s*name="([^"]*)"/i.exec(disposition[1])?.[1] ?? /(?:^|;)\s*name=([^\s;]+)/i.exec(disposition[1])?.[1];
  if (name === undefined) throw malformed('a part has no name');
  if (!(PART_NAMES as readonly string[]).includes(name)) {
    throw malformed(`it has a part named ${JSON.stringify(name.slice(0, 60))}; the parts are ${PART_NAMES.join(', ')}`);
  }
  return name as PartName;
}

function collect(fd: number, parts: Map<string, ByteRange & { encoding: Encoding }>): Parts {
  const archive = parts.get('source-archive');
  if (!archive) throw malformed('it has no source-archive part');
  const small = (name: Exclude<PartName, 'source-archive'>): Buffer | undefined => {
    const range = parts.get(name);
    if (!range) return undefined;
    // 413, which the specification names for metadata too large to take.
    if (range.length > SMALL_PART_LIMITS[name])
      throw new PayloadTooLargeError(`The ${name} part is ${range.length} bytes; at most ${SMALL_PART_LIMITS[name]} are accepted.`);
    return decodePart(readRange(fd, range.start, range.length), range.encoding);
  };
  const { start, length } = archive;
  return {
    archive: { start, length },
    archiveSignature: small('source-archive-signature'),
    metadata: small('metadata'),
    metadataSignature: small('metadata-signature'),
  };
}
