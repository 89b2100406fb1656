/**
 * The requests SwiftPM 5.9+ makes of a package registry, byte for byte in their headers and
 * bodies as its RegistryClient.swift builds them (docs/formats/swift.md), so the
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
 * The multipart body `swift package-registry publish` builds, byte for byte as SwiftPM's
 * RegistryClient.publish (swift-package-manager, Sources/PackageRegistry/RegistryClient.swift)
 * writes it: a quoted UUID boundary in the Content-Type; the archive and signature parts with
 * Content-Type and `Content-Transfer-Encoding: binary`; the metadata part with Content-Type only;
 * the metadata signature only after metadata; every delimiter after the first preceded by CRLF;
 * no file names.
 */
export function publishBody(parts: PublishParts, boundary = randomUUID().toUpperCase()): { contentType: string; body: Buffer } {
  const binaryPart = (name: string, type: string, first = false) =>
    `${first ? '' : '\r\n'}--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\nContent-Type: ${type}\r\nContent-Transfer-Encoding: binary\r\n\r\n`;
  const chunks: Buffer[] = [Buffer.from(binaryPart('source-archive', 'application/zip', true)), parts.archive];
  if (parts.archiveSignature) chunks.push(Buffer.from(binaryPart('source-archive-signature', 'application/octet-stream')), parts.archiveSignature);
  if (parts.metadata !== undefined) {
    const text = typeof parts.metadata === 'string' ? parts.metadata : JSON.stringify(parts.metadata);
    chunks.push(Buffer.from(`\r\n--${boundary}\r\nContent-Disposition: form-data; name="metadata"\r\nContent-Type: application/json\r\n\r\n${text}`));
    if (parts.metadataSignature) chunks.push(Buffer.from(binaryPart('metadata-signature', 'application/octet-stream')), parts.metadataSignature);
  }
  chunks.push(Buffer.from(`\r\n--${boundary}--\r\n`));
  return { contentType: `multipart/form-data;boundary="${boundary}"`, body: Buffer.concat(chunks) };
}

/** PUT {scope}/{name}/{version} with the headers SwiftPM's publish sends. */
export function registryPublish(
  endpoint: string,
  scope: string,
  name: string,
  version: string,
  parts: PublishParts,
  credentials: Credentials,
  extra: Record<string, string> = {},
): Promise<Exchange> {
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
    throw new Error(
      `expected application/problem+json, got ${exchange.headers['content-type']} (${exchange.status}): ${exchange.body.toString('utf8').slice(0, 300)}`,
    );
  }
}

/*
 * How SwiftPM's RegistryClient reads the answers (swift-package-manager,
 * Sources/PackageRegistry/RegistryClient.swift), so the tests hold the server to the client's
 * own acceptance rules rather than to this project's reading of them.
 */

/** The registry's JSON answers (releases list, release metadata), as the tests read them. */
export interface RegistryJson {
  releases: Record<string, { url: string; problem?: { detail: string } }>;
  resources: { name: string; type: string; checksum: string; signing?: unknown }[];
  metadata?: unknown;
  [field: string]: unknown;
}

/** A JSON answer is read only with `Content-Version: 1` and a Content-Type of application/json (parameters allowed). */
export function clientJson(exchange: Exchange): RegistryJson {
  if (exchange.headers['content-version'] !== '1') throw new Error(`SwiftPM refuses Content-Version ${String(exchange.headers['content-version'])}`);
  const type = exchange.headers['content-type'] ?? '';
  if (type !== 'application/json' && !type.startsWith('application/json;')) throw new Error(`SwiftPM refuses Content-Type ${type}`);
  return JSON.parse(exchange.body.toString('utf8')) as RegistryJson;
}

/** The versions SwiftPM resolves from a releases list: those without a `problem`. */
export function clientVersions(exchange: Exchange): string[] {
  const { releases } = clientJson(exchange);
  return Object.entries(releases)
    .filter(([, release]) => release.problem === undefined)
    .map(([version]) => version);
}

/** Link entries as SwiftPM splits them: the header at every comma, each entry at every semicolon. */
function linkFields(exchange: Exchange): string[][] {
  const header = exchange.headers.link;
  if (header === undefined) return [];
  return (Array.isArray(header) ? header.join(',') : header).split(',').map((entry) => entry.split(';').map((field) => field.trim()));
}

function fieldValue(fields: string[], name: string): string | undefined {
  const field = fields.find((candidate) => candidate.startsWith(`${name}=`));
  const parts = field?.split('=');
  return parts && parts.length === 2 ? parts[1].replace(/"/g, '') : undefined;
}

/** canonical and alternate source locations: entries of exactly `<url>; rel="…"`. */
export function clientSourceLocations(exchange: Exchange): { url: string; rel: string }[] {
  return linkFields(exchange)
    .filter((fields) => fields.length === 2 && fields[0].startsWith('<'))
    .map((fields) => ({ url: fields[0].slice(1, -1), rel: fieldValue(fields, 'rel') ?? '' }))
    .filter((entry) => entry.rel === 'canonical' || entry.rel === 'alternate');
}

/**
 * Alternate manifests as SwiftPM's parseManifestLinks reads them: entries of exactly four fields;
 * a swift-tools-version that is not MAJOR.MINOR[.PATCH] fails the whole manifest answer.
 */
export function clientManifestLinks(exchange: Exchange): { url: string; filename: string; toolsVersion: string }[] {
  const found: { url: string; filename: string; toolsVersion: string }[] = [];
  for (const fields of linkFields(exchange)) {
    if (fields.length !== 4 || fieldValue(fields, 'rel') !== 'alternate') continue;
    const filename = fieldValue(fields, 'filename');
    const toolsVersion = fieldValue(fields, 'swift-tools-version');
    if (filename === undefined || toolsVersion === undefined) continue;
    if (!/^\d+\.\d+(?:\.\d+)?/.test(toolsVersion)) throw new Error(`SwiftPM: Invalid tools version in alternate manifest link '${fields.join('; ')}'`);
    found.push({ url: fields.find((field) => field.startsWith('<'))!.slice(1, -1), filename, toolsVersion });
  }
  return found;
}
