/**
 * The multipart form of the legacy upload API (what twine, `uv publish` and flit send), parsed
 * as it streams: text fields are kept (with limits), the `content` file part goes straight to a
 * staging file while its SHA-256, MD5 and, when asked for, BLAKE2b-256 are computed. Nothing is
 * buffered whole, and the staging file is removed again if the form turns out to be broken.
 * BLAKE2b-256 runs in JavaScript, many times slower than the other two (docs/formats/pypi.md), so
 * it is computed only when the form sends blake2_256_digest: while streaming when that field came
 * before the file (as twine sends it), else by reading the staged file once more.
 */
import { blake2b } from '@noble/hashes/blake2.js';
import busboy from 'busboy';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PayloadTooLargeError, ValidationError } from '../../errors.js';
import { refuseDeclaredOver } from '../../server/body.js';

// Descriptions (whole READMEs) are the largest text fields twine sends.
const MAX_FIELD_BYTES = 8 * 1024 * 1024;
const MAX_FIELDS = 2000;

export interface UploadedFile {
  fileName: string;
  /** The staging file; the caller moves it into the blob store and removes it. */
  tempPath: string;
  size: number;
  sha256: string;
  md5: string;
  /** Computed only when the form sent blake2_256_digest (before or after the file). */
  blake2_256?: string;
}

export interface UploadForm {
  fields: Map<string, string[]>;
  file?: UploadedFile;
}

export interface UploadFormOptions {
  tempDir: string;
  maxBytes: number;
}

function tooLarge(maxBytes: number): PayloadTooLargeError {
  return new PayloadTooLargeError(`The upload is larger than the server's limit of ${maxBytes} bytes.`, {
    hint: 'Raise server.maxUploadBytes in the artifact-cli config if this file is expected.',
  });
}

/** The upload's 413 for a declared length over `maxBytes`, before any of the form is read. */
export function refuseOversizeUpload(req: IncomingMessage, maxBytes: number): void {
  refuseDeclaredOver(req, maxBytes, () => tooLarge(maxBytes));
}

export async function readUploadForm(req: IncomingMessage, options: UploadFormOptions): Promise<UploadForm> {
  refuseOversizeUpload(req, options.maxBytes);
  const contentType = req.headers['content-type'] ?? '';
  if (!/^multipart\/form-data\b/i.test(contentType)) {
    throw new ValidationError('An upload must be a multipart/form-data POST, as twine sends it.', {
      hint: `Got content type ${JSON.stringify(contentType.slice(0, 60))}.`,
    });
  }
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: req.headers,
      // Keep the file name as sent: one with path parts is refused, not quietly shortened.
      preservePath: true,
      limits: { fieldSize: MAX_FIELD_BYTES, fields: MAX_FIELDS, files: 2, parts: MAX_FIELDS + 2, fileSize: options.maxBytes },
    });
  } catch (error) {
    throw new ValidationError(`The multipart form cannot be read: ${(error as Error).message}.`);
  }

  const fields = new Map<string, string[]>();
  let file: UploadedFile | undefined;
  let fileWrite: Promise<void> | undefined;
  let failure: Error | undefined;
  // On the first problem: stop parsing (which ends the file part too), and drain what the
  // client still sends so that it reads our answer instead of a reset connection.
  const fail = (error: unknown) => {
    if (failure) return;
    failure = error as Error;
    req.unpipe(parser);
    req.resume();
    parser.destroy(failure);
  };

  parser.on('field', (name, value, info) => {
    if (info.valueTruncated) return fail(new ValidationError(`The form field ${name} is longer than ${MAX_FIELD_BYTES} bytes.`));
    const values = fields.get(name) ?? [];
    values.push(value);
    fields.set(name, values);
  });
  parser.on('file', (name, stream, info) => {
    if (name !== 'content' || file || failure) {
      // Read and thrown away. A form cut off inside this part makes busboy fail the part's
      // stream as well as the form; the form's error is the one reported, and a stream error
      // nobody listens to would take the whole process down.
      stream.on('error', () => undefined);
      return void stream.resume();
    }
    const wantsBlake2 = fields.has('blake2_256_digest');
    const tempPath = path.join(options.tempDir, `pypi-upload-${process.pid}-${randomBytes(8).toString('hex')}`);
    file = { fileName: info.filename ?? '', tempPath, size: 0, sha256: '', md5: '' };
    fileWrite = stageFile(stream, file, wantsBlake2, options.maxBytes).catch(fail);
  });
  parser.on('filesLimit', () => fail(new ValidationError('The form has more file parts than an upload sends.')));
  parser.on('fieldsLimit', () => fail(new ValidationError(`The form has more than ${MAX_FIELDS} fields.`)));
  parser.on('partsLimit', () => fail(new ValidationError(`The form has more than ${MAX_FIELDS} parts.`)));

  try {
    await fs.mkdir(options.tempDir, { recursive: true });
    await new Promise<void>((resolve, reject) => {
      parser.on('error', (error: Error) => fail(new ValidationError(`The multipart form is malformed or incomplete: ${error.message}.`)));
      parser.on('close', () => (failure ? reject(failure) : resolve()));
      req.on('aborted', () => fail(new ValidationError('The upload was cut off before the form ended.')));
      req.on('error', () => fail(new ValidationError('The upload was cut off before the form ended.')));
      req.pipe(parser);
    });
    await fileWrite;
    if (failure) throw failure;
    // The digest field came after the file: hash the staged bytes now, so it is checked too.
    if (file && file.blake2_256 === undefined && fields.has('blake2_256_digest')) file.blake2_256 = await blake2OfFile(file.tempPath);
    return { fields, file };
  } catch (error) {
    await fileWrite?.catch(() => undefined);
    if (file) await fs.rm(file.tempPath, { force: true });
    throw error;
  }
}

async function stageFile(stream: NodeJS.ReadableStream & { truncated?: boolean }, file: UploadedFile, wantsBlake2: boolean, maxBytes: number): Promise<void> {
  const sha256 = createHash('sha256');
  const md5 = createHash('md5');
  const blake2 = wantsBlake2 ? blake2_256() : undefined;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      file.size += chunk.length;
      sha256.update(chunk);
      md5.update(chunk);
      blake2?.update(chunk);
      done(null, chunk);
    },
  });
  await pipeline(stream, meter, createWriteStream(file.tempPath, { flags: 'wx' }));
  // busboy stops a part at the fileSize limit and marks it truncated instead of failing.
  if (stream.truncated) throw tooLarge(maxBytes);
  file.sha256 = sha256.digest('hex');
  file.md5 = md5.digest('hex');
  if (blake2) file.blake2_256 = Buffer.from(blake2.digest()).toString('hex');
}

function blake2_256() {
  return blake2b.create({ dkLen: 32 });
}

async function blake2OfFile(filePath: string): Promise<string> {
  const blake2 = blake2_256();
  for await (const chunk of createReadStream(filePath)) blake2.update(chunk as Buffer);
  return Buffer.from(blake2.digest()).toString('hex');
}
