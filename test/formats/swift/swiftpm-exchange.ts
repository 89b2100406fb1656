/**
 * The requests SwiftPM 5.9+ makes of a package registry, byte for byte in their headers, so the
 * tests replay them without a Swift toolchain (none runs on this machine; see
 * docs/formats/swift.md for how an e2e test would switch to the real client). Requests go out
 * through node:http, not fetch, so headers such as `Expect: 100-continue` are sent as SwiftPM
 * sends them and the body follows the server's 100 Continue.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { zipBytes, type ZipEntrySpec } from '../../hardening/support/fuzz-archives.js';

export interface Exchange {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export const ACCEPT = {
  json: 'application/vnd.swift.registry.v1+json',
  zip: 'application/vnd.swift.registry.v1+zip',
  swift: 'application/vnd.swift.registry.v1+swift',
};

/** How SwiftPM authenticates from ~/.netrc: `token` logins send Bearer, `basic` ones Basic. */
export type Credentials = { bearer: string } | { basic: { login: string; password: string } } | undefined;

export function authorizationOf(credentials: Credentials): Record<string, string> {
  if (!credentials) return {};
  if ('bearer' in credentials) return { authorization: `Bearer ${credentials.bearer}` };
  return { authorization: `Basic ${Buffer.from(`${credentials.basic.login}:${credentials.basic.password}`).toString('base64')}` };
}

export function send(url: string, options: { method?: string; headers?: Record<string, string>; body?: Buffer }): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: options.method ?? 'GET', headers: options.headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    });
    request.on('error', reject);
    const expectsContinue = Object.keys(options.headers ?? {}).some((name) => name.toLowerCase() === 'expect');
    if (options.body && expectsContinue) request.on('continue', () => request.end(options.body));
    else request.end(options.body);
  });
}

/** GET as SwiftPM's RegistryClient does: one Accept of the v1 media type, the credentials, nothing else. */
export function registryGet(url: string, kind: keyof typeof ACCEPT, credentials: Credentials, extra: Record<string, string> = {}): Promise<Exchange> {
  return send(url, { headers: { accept: ACCEPT[kind], ...authorizationOf(credentials), ...extra } });
}

export interface PublishParts {
  archive: Buffer;
  metadata?: unknown;
  archiveSignature?: Buffer;
  metadataSignature?: Buffer;
}

/**
 * The multipart body `swift package-registry publish` builds: CRLF line ends, a quoted UUID
 * boundary in the Content-Type, each part with Content-Disposition, Content-Type and
 * Content-Transfer-Encoding, and no file names.
 */
export function publishBody(parts: PublishParts, boundary = randomUUID().toUpperCase()): { contentType: string; body: Buffer } {
  const chunks: Buffer[] = [];
  const part = (name: string, type: string, encoding: string, content: Buffer) => {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\nContent-Type: ${type}\r\nContent-Transfer-Encoding: ${encoding}\r\n\r\n`), content, Buffer.from('\r\n'));
  };
  part('source-archive', 'application/zip', 'binary', parts.archive);
  if (parts.archiveSignature) part('source-archive-signature', 'application/octet-stream', 'binary', parts.archiveSignature);
  if (parts.metadata !== undefined) part('metadata', 'application/json', 'quoted-printable', Buffer.from(typeof parts.metadata === 'string' ? parts.metadata : JSON.stringify(parts.metadata)));
  if (parts.metadataSignature) part('metadata-signature', 'application/octet-stream', 'binary', parts.metadataSignature);
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { contentType: `multipart/form-data;boundary="${boundary}"`, body: Buffer.concat(chunks) };
}

/** PUT {scope}/{name}/{version} with the headers SwiftPM's publish sends. */
export function registryPublish(endpoint: string, scope: string, name: string, version: string, parts: PublishParts, credentials: Credentials, extra: Record<string, string> = {}): Promise<Exchange> {
  const { contentType, body } = publishBody(parts);
  return send(`${endpoint}${scope}/${name}/${version}`, {
    method: 'PUT',
    headers: {
      accept: ACCEPT.json,
      'content-type': contentType,
      expect: '100-continue',
      prefer: 'respond-async',
      'content-length': String(body.length),
      ...authorizationOf(credentials),
      ...extra,
    },
    body,
  });
}

export const MANIFEST = `// swift-tools-version:5.9
import PackageDescription

let package = Package(
    name: "LinkedList",
    products: [.library(name: "LinkedList", targets: ["LinkedList"])],
    targets: [.target(name: "LinkedList")]
)
`;

/** A source archive as `swift package archive-source` lays it out: everything under `<name>/`. */
export function sourceArchive(name = 'LinkedList', options: { manifests?: Record<string, string>; extra?: ZipEntrySpec[]; top?: string } = {}): Buffer {
  const top = options.top ?? name;
  const manifests = options.manifests ?? { 'Package.swift': MANIFEST };
  return zipBytes([
    { name: `${top}/`, content: '', method: 0 },
    ...Object.entries(manifests).map(([file, text]) => ({ name: `${top}/${file}`, content: text })),
    { name: `${top}/Sources/${name}/${name}.swift`, content: `public struct ${name} { public init() {} }\n` },
    { name: `${top}/README.md`, content: `# ${name}\n` },
    ...(options.extra ?? []),
  ]);
}

export function problemOf(exchange: Exchange): { status?: number; title?: string; detail?: string } {
  expectProblemType(exchange);
  return JSON.parse(exchange.body.toString('utf8')) as { status?: number; title?: string; detail?: string };
}

function expectProblemType(exchange: Exchange): void {
  if (exchange.headers['content-type'] !== 'application/problem+json') {
    throw new Error(`expected application/problem+json, got ${exchange.headers['content-type']} (${exchange.status}): ${exchange.body.toString('utf8').slice(0, 300)}`);
  }
}
