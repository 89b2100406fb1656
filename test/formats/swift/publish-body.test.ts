/** The publish body reader on its own: the multipart shapes senders produce, and the broken ones. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { boundaryOf, receivePublishBody } from '../../../src/formats/swift/publish-body.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

function request(contentType: string, body: string | Buffer, declareLength = true): IncomingMessage {
  const stream = new PassThrough();
  stream.end(body);
  const headers = { 'content-type': contentType, ...(declareLength ? { 'content-length': String(Buffer.byteLength(body)) } : {}) };
  return Object.assign(stream, { headers }) as unknown as IncomingMessage;
}

function part(name: string, content: string, boundary = 'B', encoding?: string): string {
  const cte = encoding ? `Content-Transfer-Encoding: ${encoding}\r\n` : '';
  return `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n${cte}\r\n${content}\r\n`;
}

async function read(contentType: string, body: string) {
  const root = makeTempDir('artifact-cli-swift-body-');
  const received = await receivePublishBody(request(contentType, body), root, 1024 * 1024);
  const archive = (await fs.readFile(received.file)).subarray(received.archive.start, received.archive.start + received.archive.length).toString();
  await received.discard();
  expect(await fs.readdir(path.join(root, 'tmp'))).toEqual([]);
  return { archive, metadata: received.metadata?.toString(), signature: received.archiveSignature?.toString() };
}

describe('the publish body reader', () => {
  it('reads quoted and unquoted boundaries, a preamble, and parts in any order', async () => {
    const body = `preamble to ignore\r\n${part('metadata', '{"a":1}')}${part('source-archive', 'ZIP\r\n--almost a boundary')}${part('source-archive-signature', 'SIG')}--B--\r\n`;
    expect(await read('multipart/form-data;boundary="B"', body)).toEqual({ archive: 'ZIP\r\n--almost a boundary', metadata: '{"a":1}', signature: 'SIG' });
    expect(await read('multipart/form-data; boundary=B', body)).toMatchObject({ archive: 'ZIP\r\n--almost a boundary' });
  });

  it('decodes base64 and quoted-printable small parts, which the specification lets clients send, and wants the archive binary', async () => {
    const body = `${part('source-archive', 'ZIP', 'B', 'binary')}${part('metadata', '{"a"=3D=\r\n1}', 'B', 'quoted-printable')}${part('source-archive-signature', Buffer.from('SIG').toString('base64'), 'B', 'base64')}--B--\r\n`;
    expect(await read('multipart/form-data;boundary="B"', body)).toEqual({ archive: 'ZIP', metadata: '{"a"=1}', signature: 'SIG' });
    const root = makeTempDir('artifact-cli-swift-body-');
    const encoded = `${part('source-archive', Buffer.from('ZIP').toString('base64'), 'B', 'base64')}--B--\r\n`;
    await expect(receivePublishBody(request('multipart/form-data;boundary=B', encoded), root, 1024)).rejects.toThrow(
      /source-archive part has Content-Transfer-Encoding "base64"; send it as binary/,
    );
  });

  it('refuses a body cut off before its closing boundary, a part given twice, and no boundary', async () => {
    const root = makeTempDir('artifact-cli-swift-body-');
    await expect(receivePublishBody(request('multipart/form-data;boundary=B', part('source-archive', 'ZIP')), root, 1024)).rejects.toThrow(
      /no closing boundary/,
    );
    await expect(
      receivePublishBody(request('multipart/form-data;boundary=B', `${part('metadata', '{}')}${part('metadata', '{}')}--B--\r\n`), root, 1024),
    ).rejects.toThrow(/occurs twice/);
    expect(() => boundaryOf('multipart/form-data')).toThrow(/has no boundary/);
    expect(await fs.readdir(path.join(root, 'tmp'))).toEqual([]);
  });

  it('refuses a body larger than the limit, whether its length is declared or only streamed', async () => {
    const root = makeTempDir('artifact-cli-swift-body-');
    const body = `${part('source-archive', 'x'.repeat(2048))}--B--\r\n`;
    await expect(receivePublishBody(request('multipart/form-data;boundary=B', body), root, 1024)).rejects.toThrow(
      /larger than this server's limit of 1024 bytes/,
    );
    await expect(receivePublishBody(request('multipart/form-data;boundary=B', body, false), root, 1024)).rejects.toThrow(
      /larger than this server's limit of 1024 bytes/,
    );
    expect(await fs.readdir(path.join(root, 'tmp'))).toEqual([]);
  });
});
