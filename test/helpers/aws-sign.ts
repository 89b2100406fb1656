/**
 * A SigV4 signer for the API tests, written from AWS's description of the algorithm, with knobs
 * to get each part wrong on purpose (service, time, secret, body). The real AWS CLI and SDK
 * tests prove the server agrees with AWS's own signers; this one lets a test break one thing.
 */
import { createHash, createHmac } from 'node:crypto';
import http from 'node:http';

export interface SignOptions {
  method: string;
  /** Path and query, already encoded, e.g. /v1/domain?domain=d */
  path: string;
  body?: string | Buffer;
  headers?: Record<string, string>;
  accessKeyId: string;
  secretAccessKey: string;
  service?: string;
  region?: string;
  now?: Date;
  /** Sent instead of the signed body, to show a changed body is refused. */
  sendBody?: string | Buffer;
  /** Declare the payload hash in x-amz-content-sha256 (as for PublishPackageVersion). */
  declareHash?: boolean;
}

export interface ApiResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  json(): Record<string, unknown>;
}

const encode = (text: string) => encodeURIComponent(text).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

export function signHeaders(baseUrl: string, options: SignOptions): Record<string, string> {
  const url = new URL(options.path, baseUrl);
  const now = options.now ?? new Date();
  const amzDate = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const date = amzDate.slice(0, 8);
  const region = options.region ?? 'us-east-1';
  const service = options.service ?? 'codeartifact';
  const body = options.body ?? '';
  const payloadHash = sha256(body);
  const headers: Record<string, string> = { host: url.host, 'x-amz-date': amzDate, ...(options.headers ?? {}) };
  if (options.declareHash) headers['x-amz-content-sha256'] = payloadHash;
  const names = Object.keys(headers)
    .map((name) => name.toLowerCase())
    .sort();
  const lower = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  const query = [...url.searchParams]
    .map(([name, value]) => [encode(name), encode(value)])
    .sort(([a, av], [b, bv]) => (a === b ? (av < bv ? -1 : 1) : a < b ? -1 : 1));
  const canonical = [
    options.method,
    url.pathname
      .split('/')
      .map((segment) => encode(segment))
      .join('/'),
    query.map(([name, value]) => `${name}=${value}`).join('&'),
    ...names.map((name) => `${name}:${lower[name].trim()}`),
    '',
    names.join(';'),
    payloadHash,
  ].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  let key = hmac(`AWS4${options.secretAccessKey}`, date);
  for (const part of [region, service, 'aws4_request']) key = hmac(key, part);
  const signature = createHmac('sha256', key).update(toSign).digest('hex');
  return { ...headers, authorization: `AWS4-HMAC-SHA256 Credential=${options.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}` };
}

/** Sends a request (signed unless `headers` says otherwise) and collects the answer. */
export function sendRequest(baseUrl: string, method: string, path: string, headers: Record<string, string>, body?: string | Buffer): Promise<ApiResponse> {
  const url = new URL(path, baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path,
        headers: { ...headers, ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const bytes = Buffer.concat(chunks);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: bytes,
            json: () => JSON.parse(bytes.toString('utf8')) as Record<string, unknown>,
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export function signedRequest(baseUrl: string, options: SignOptions): Promise<ApiResponse> {
  const headers = signHeaders(baseUrl, options);
  const body = options.sendBody ?? options.body;
  return sendRequest(baseUrl, options.method, options.path, headers, body);
}

/** The access key pair create-access-key printed. */
export interface AccessKey {
  AccessKeyId: string;
  SecretAccessKey: string;
}
