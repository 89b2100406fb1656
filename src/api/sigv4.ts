/**
 * Verifying AWS Signature Version 4 (docs/api.md): the canonical request rebuilt from what
 * arrived, the string to sign, the key derived from the stored secret, and the signature
 * compared in constant time. The scope must name the service `codeartifact` (any region),
 * and the request time must be within 15 minutes of ours, as AWS requires.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ApiAuthError } from './api-errors.js';

const ALGORITHM = 'AWS4-HMAC-SHA256';
const SERVICE = 'codeartifact';
const MAX_SKEW_MS = 15 * 60 * 1000;
const AUTHORIZATION = /^AWS4-HMAC-SHA256 +Credential=([^,\s]+), *SignedHeaders=([^,\s]+), *Signature=([0-9a-f]{64})$/;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

export interface SignedRequest {
  accessKeyId: string;
  /** Checks the signature with the key's secret; throws ApiAuthError when it does not match. */
  verify(secretAccessKey: string): void;
  /** The payload hash the signature covers: the x-amz-content-sha256 header, or the body's. */
  payloadHash: string;
}

const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/**
 * Parses and checks everything that needs no secret. `body` is the whole body when the
 * operation's payload is JSON, undefined when it streams (its hash must then be declared).
 */
export function readSignature(req: IncomingMessage, body: Buffer | undefined, now = Date.now()): SignedRequest {
  const authorization = req.headers.authorization;
  if (authorization === undefined) throw new ApiAuthError('MissingAuthenticationTokenException', 'Missing Authentication Token');
  const match = AUTHORIZATION.exec(authorization.trim());
  if (!match) {
    const reason = authorization.startsWith(`${ALGORITHM} `)
      ? 'Authorization header requires Credential, SignedHeaders and Signature.'
      : `Only ${ALGORITHM} signatures are accepted.`;
    throw new ApiAuthError('IncompleteSignatureException', reason);
  }
  const [, credential, signedHeaderList, signature] = match;
  const [accessKeyId, date, region, service, terminator, ...extra] = credential.split('/');
  if (!accessKeyId || !date || !region || !service || terminator !== 'aws4_request' || extra.length > 0) {
    throw new ApiAuthError('IncompleteSignatureException', `Credential must be of the form ACCESS_KEY/DATE/REGION/${SERVICE}/aws4_request.`);
  }
  if (service !== SERVICE) throw new ApiAuthError('InvalidSignatureException', `Credential should be scoped to correct service: '${SERVICE}'.`);

  const amzDate = headerValue(req, 'x-amz-date');
  const time = amzDate === undefined ? undefined : parseAmzDate(amzDate);
  if (time === undefined) throw new ApiAuthError('IncompleteSignatureException', 'The request must carry X-Amz-Date as YYYYMMDDTHHMMSSZ.');
  if (!amzDate!.startsWith(date))
    throw new ApiAuthError(
      'InvalidSignatureException',
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${date}' != '${amzDate!.slice(0, 8)}'.`,
    );
  if (now - time > MAX_SKEW_MS) {
    throw new ApiAuthError(
      'InvalidSignatureException',
      `Signature expired: ${amzDate} is now earlier than ${formatAmzDate(now - MAX_SKEW_MS)} (${formatAmzDate(now)} - 15 min.)`,
    );
  }
  if (time - now > MAX_SKEW_MS) {
    throw new ApiAuthError(
      'InvalidSignatureException',
      `Signature not yet current: ${amzDate} is still later than ${formatAmzDate(now + MAX_SKEW_MS)} (${formatAmzDate(now)} + 15 min.)`,
    );
  }

  const signedHeaders = signedHeaderList.split(';');
  if (!signedHeaders.includes('host') || !signedHeaders.includes('x-amz-date')) {
    throw new ApiAuthError('InvalidSignatureException', "'Host' and 'X-Amz-Date' must be among the signed headers.");
  }
  const declared = headerValue(req, 'x-amz-content-sha256');
  const bodyHash = body === undefined ? undefined : createHash('sha256').update(body).digest('hex');
  if (declared !== undefined && bodyHash !== undefined && declared !== bodyHash) {
    throw new ApiAuthError('InvalidSignatureException', "The provided 'x-amz-content-sha256' header does not match what was computed.");
  }
  const payloadHash = declared ?? bodyHash;
  if (payloadHash === undefined || !/^[0-9a-f]{64}$/.test(payloadHash)) {
    throw new ApiAuthError('InvalidSignatureException', "This request must declare the SHA-256 of its body in 'x-amz-content-sha256'.");
  }

  const canonicalRequest = [
    req.method ?? 'GET',
    canonicalPath(req.url ?? '/'),
    canonicalQuery(req.url ?? '/'),
    ...signedHeaders.map((name) => `${name}:${canonicalHeader(req, name)}`),
    '',
    signedHeaderList,
    payloadHash,
  ].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = [ALGORITHM, amzDate, scope, createHash('sha256').update(canonicalRequest).digest('hex')].join('\n');

  return {
    accessKeyId,
    payloadHash,
    verify(secretAccessKey: string) {
      let key = hmac(`AWS4${secretAccessKey}`, date);
      for (const part of [region, service, 'aws4_request']) key = hmac(key, part);
      const expected = hmac(key, stringToSign);
      if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) throw new ApiAuthError('InvalidSignatureException', SIGNATURE_MISMATCH);
    },
  };
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** Every value the client sent under the name, trimmed, inner runs of spaces made one, joined by ','. */
function canonicalHeader(req: IncomingMessage, name: string): string {
  const values: string[] = [];
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i].toLowerCase() === name) values.push(raw[i + 1].trim().replace(/\s+/g, ' '));
  }
  return values.join(',');
}

/** Strict RFC 3986 encoding: everything but A-Z a-z 0-9 - _ . ~ */
function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

function decodeLoosely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The path as sent, each segment encoded once more, as SigV4 does for every service but S3. */
function canonicalPath(url: string): string {
  const query = url.indexOf('?');
  const path = query < 0 ? url : url.slice(0, query);
  return (
    path
      .split('/')
      .map((segment) => uriEncode(segment))
      .join('/') || '/'
  );
}

function canonicalQuery(url: string): string {
  const query = url.indexOf('?');
  if (query < 0) return '';
  const pairs = url
    .slice(query + 1)
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const name = equals < 0 ? pair : pair.slice(0, equals);
      const value = equals < 0 ? '' : pair.slice(equals + 1);
      return [uriEncode(decodeLoosely(name)), uriEncode(decodeLoosely(value))] as const;
    });
  pairs.sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([name, value]) => `${name}=${value}`).join('&');
}

function parseAmzDate(text: string): number | undefined {
  const match = AMZ_DATE.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second] = match.map(Number);
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

function formatAmzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}
