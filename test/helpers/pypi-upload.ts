/** Sends uploads the way twine does (multipart form, Basic auth with __token__), or deliberately not. */
import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { blake2b } from '@noble/hashes/blake2.js';
import type { BuiltDist } from './pypi-dist.js';

export interface UploadResult {
  status: number;
  reason: string;
  body: string;
}

/** The form fields twine sends for a file, digests included; override or drop (undefined) any. */
export function twineFields(dist: BuiltDist, name: string, version: string): Record<string, string | string[] | undefined> {
  const isWheel = dist.fileName.endsWith('.whl');
  return {
    ':action': 'file_upload',
    protocol_version: '1',
    name,
    version,
    filetype: isWheel ? 'bdist_wheel' : 'sdist',
    pyversion: isWheel ? 'py3' : 'source',
    metadata_version: '2.1',
    summary: `${name} for tests`,
    sha256_digest: dist.sha256,
    md5_digest: createHash('md5').update(dist.bytes).digest('hex'),
    blake2_256_digest: Buffer.from(blake2b(dist.bytes, { dkLen: 32 })).toString('hex'),
  };
}

export function basicAuth(token: string): string {
  return `Basic ${Buffer.from(`__token__:${token}`).toString('base64')}`;
}

/** A multipart body built by hand, so tests control every byte of it; fieldsAfterFile follow the file part. */
export function multipartBody(
  fields: Record<string, string | string[] | undefined>,
  file?: { fileName: string; bytes: Buffer },
  boundary = 'test-boundary-1234',
  fieldsAfterFile: Record<string, string | undefined> = {},
): { body: Buffer; contentType: string } {
  const parts: Buffer[] = [];
  const addFields = (some: Record<string, string | string[] | undefined>) => {
    for (const [name, value] of Object.entries(some)) {
      if (value === undefined) continue;
      for (const one of Array.isArray(value) ? value : [value]) {
        parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${one}\r\n`));
      }
    }
  };
  addFields(fields);
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="content"; filename="${file.fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
    );
    parts.push(file.bytes, Buffer.from('\r\n'));
  }
  addFields(fieldsAfterFile);
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** POSTs with node:http, which (unlike fetch) shows the reason phrase twine prints. */
export function postUpload(url: string, token: string, body: Buffer, contentType: string): Promise<UploadResult> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: 'POST', headers: { authorization: basicAuth(token), 'content-type': contentType, 'content-length': body.length } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, reason: res.statusMessage ?? '', body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export async function uploadDist(
  endpoint: string,
  token: string,
  dist: BuiltDist,
  name: string,
  version: string,
  overrides: Record<string, string | string[] | undefined> = {},
): Promise<UploadResult> {
  const { body, contentType } = multipartBody({ ...twineFields(dist, name, version), ...overrides }, dist);
  return postUpload(endpoint, token, body, contentType);
}
