/**
 * Format-independent ways to break a request: tricks in the path, broken or hostile headers,
 * HTTP itself bent out of shape, and bodies cut short, oversized or randomly damaged. Each turns
 * a valid template request into raw bytes for raw-client.ts.
 */
import { requestBytes, type RawRequest } from './raw-client.js';

export interface FuzzCase {
  category: string;
  label: string;
  chunks: Buffer[];
  endAfterSend?: boolean;
  /** False where no answer is owed: the request is cut short or not HTTP at all. */
  mustAnswer: boolean;
}

export interface FuzzContext {
  port: number;
  /** `/acme/<format>/main/`, the prefix template paths are relative to. */
  prefix: string;
  token: string;
  random: () => number;
  /** A name no real file has, used where a trick would write outside the root. */
  marker: string;
  maxUploadBytes: number;
}

export interface Template {
  label: string;
  request: RawRequest;
}

export const bearer = (token: string): [string, string] => ['Authorization', `Bearer ${token}`];

function asCase(context: FuzzContext, category: string, label: string, request: RawRequest, extra: Partial<FuzzCase> = {}): FuzzCase {
  return { category, label, chunks: [requestBytes(context.port, request)], mustAnswer: true, ...extra };
}

/** Pieces that try to climb out of a folder, smuggle separators, or break decoding. */
function pathTricks(marker: string): string[] {
  return [
    '..',
    '%2e%2e',
    '%2E%2E%2F%2E%2E%2F',
    '..%2f..%2f..%2fsentinel',
    `..%2F..%2F..%2F..%2Fsentinel%2F${marker}`,
    '..%5c..%5c',
    '%252e%252e%252f',
    '%c0%ae%c0%ae%c0%af',
    '%00',
    `a%00${marker}`,
    '%ff%fe',
    '%',
    '%zz',
    '%e2%80%ae',
    '%F0%9F%92%A9',
    '__proto__',
    'constructor',
    'prototype',
    '.',
    '...',
    '~',
    '.json',
    'con',
    'nul',
    ';',
    'x;y=1',
    '%3B',
    '%23',
    '%3F',
    '%2F',
    '%5C',
    '\\..\\..',
    'a'.repeat(300),
    'a'.repeat(5000),
    `/tmp/${marker}`,
    `%2Ftmp%2F${marker}`,
    '..%00',
    '@',
    '@%2f',
    '-',
    '%40scope%2F..%2F..',
    '%20',
    '%09',
    '%0d%0a',
  ];
}

/** Each trick in each segment of each template's path, and as whole-path tricks. */
export function pathCases(context: FuzzContext, templates: Template[]): FuzzCase[] {
  const cases: FuzzCase[] = [];
  for (const template of templates) {
    const [pathPart, query] = template.request.target.split('?');
    const segments = pathPart.slice(context.prefix.length).split('/');
    for (const trick of pathTricks(context.marker)) {
      const at = Math.floor(context.random() * segments.length);
      const changed = segments.map((segment, index) => (index === at ? trick : segment));
      const target = `${context.prefix}${changed.join('/')}${query ? `?${query}` : ''}`;
      cases.push(asCase(context, 'path', `${template.label} segment ${at} = ${trick.slice(0, 30)}`, { ...template.request, target }));
    }
  }
  const whole = [
    `/..${context.prefix}x`,
    `${context.prefix}../../../../etc/passwd`,
    `${context.prefix}..%2f..%2f..%2fdomains`,
    '/acme/%2e%2e/main/x',
    '/%2e%2e/npm/main/x',
    '/acme/npm/..%2fother/x',
    '/__proto__/npm/main/x',
    '/acme/__proto__/main/x',
    '/acme/npm/__proto__/x',
    '//acme//npm//main//x',
    '/acme',
    '/acme/npm',
    '/',
    '/health',
    `/acme/npm/main/${'%41'.repeat(20000)}`,
    'http://evil.example/acme/npm/main/x',
    '*',
    `/acme/generic/main/..%2f..%2f..%2f..%2fsentinel/${context.marker}/1/x`,
  ];
  for (const target of whole) {
    for (const method of ['GET', 'PUT', 'DELETE']) {
      cases.push(
        asCase(context, 'path', `${method} ${target.slice(0, 40)}`, {
          method,
          target,
          headers: [bearer(context.token)],
          body: method === 'PUT' ? 'x' : undefined,
        }),
      );
    }
  }
  return cases;
}

/** Header sets that are wrong, hostile or odd; each replaces or joins a template's headers. */
function headerMutations(token: string): { label: string; apply(headers: [string, string][]): [string, string][]; mustAnswer?: boolean }[] {
  const replace = (name: string, value: string) => (headers: [string, string][]) => [
    ...headers.filter(([key]) => key.toLowerCase() !== name.toLowerCase()),
    [name, value] as [string, string],
  ];
  const add = (name: string, value: string) => (headers: [string, string][]) => [...headers, [name, value] as [string, string]];
  const drop = (name: string) => (headers: [string, string][]) => headers.filter(([key]) => key.toLowerCase() !== name.toLowerCase());
  const values: [string, string][] = [
    ['Content-Length', 'abc'],
    ['Content-Length', '-1'],
    ['Content-Length', '1e3'],
    ['Content-Length', '99999999999999999999'],
    ['Content-Length', ''],
    ['Content-Type', 'multipart/form-data'],
    ['Content-Type', 'multipart/form-data; boundary='],
    ['Content-Type', `multipart/form-data; boundary=${'b'.repeat(300)}`],
    ['Content-Type', 'application/json; charset=utf-16'],
    ['Content-Type', 'text/plain\u0001'],
    ['Content-Type', 'multipart/form-data; boundary="unterminated'],
    ['Authorization', 'Basic'],
    ['Authorization', 'Basic ===='],
    ['Authorization', `Basic ${Buffer.from('no-colon').toString('base64')}`],
    ['Authorization', `Bearer ${'a'.repeat(8000)}`],
    ['Authorization', `Bearer ${token}\u00ff`],
    ['Authorization', `Bearer  ${token} trailing`],
    ['Authorization', `Negotiate ${token}`],
    ['Accept', '*/*;q=abc'],
    ['Accept', 'application/vnd.pypi.simple.v1+json;q=-1'],
    ['Accept', Array.from({ length: 500 }, (_, index) => `type/${index};q=0.${index % 10}`).join(', ')],
    ['Accept', 'application/vnd.npm.install-v1+json; q=0'],
    ['Range', 'bytes=abc'],
    ['Range', 'bytes=5-1'],
    ['Range', 'bytes=-0'],
    ['Range', 'bytes=0-0,1-1'],
    ['Range', 'bytes=99999999999999999999-'],
    ['Range', 'bytes=-99999999999999999999'],
    ['Range', 'items=0-1'],
    ['If-None-Match', '*'],
    ['If-None-Match', 'x'.repeat(8000)],
    ['Accept-Encoding', 'gzip;q=0'],
    ['Accept-Encoding', 'br, zstd, x'.repeat(400)],
    ['Host', 'evil.example:99999'],
    ['Host', '[::1'],
    ['Host', 'a'.repeat(300)],
    ['X-NuGet-ApiKey', ' '],
    ['X-NuGet-ApiKey', 'k'.repeat(9000)],
    ['X-Checksum-Sha256', 'zz'],
    ['X-Checksum-Sha256', 'A'.repeat(64)],
    ['X-Checksum-Sha1', ''],
    ['X-Checksum-Md5', 'f'.repeat(33)],
    ['Expect', '100-continue'],
    ['Expect', 'the-unexpected'],
    ['Transfer-Encoding', 'gzip'],
    ['Transfer-Encoding', 'chunked, chunked'],
    ['Content-Encoding', 'gzip'],
    ['Content-Encoding', 'br'],
    ['npm-command', 'publish\u00e9'],
    ['User-Agent', '\u00ff'.repeat(100)],
  ];
  return [
    ...values.map(([name, value]) => ({
      label: `${name}: ${value.slice(0, 30)}`,
      apply: replace(name, value),
      mustAnswer: !(name === 'Transfer-Encoding' || name === 'Expect'),
    })),
    { label: 'no Host', apply: drop('host') },
    { label: 'no Authorization', apply: drop('authorization') },
    { label: 'two different Content-Length', apply: add('Content-Length', '1'), mustAnswer: false },
    { label: 'Content-Length and chunked', apply: add('Transfer-Encoding', 'chunked'), mustAnswer: false },
    { label: '20 KB header', apply: add('X-Big', 'v'.repeat(20_000)) },
    { label: '2000 headers', apply: (headers) => [...headers, ...Array.from({ length: 2000 }, (_, index): [string, string] => [`X-H${index}`, 'v'])] },
    { label: 'header name with a space', apply: add('Bad Name', 'v') },
    { label: 'obsolete line folding', apply: add('X-Folded', 'one\r\n two') },
    { label: 'raw bytes above ASCII', apply: add('X-Latin', '\u00e9\u00ff\u0080') },
    { label: 'authorization twice', apply: add('Authorization', 'Bearer acat_other') },
  ];
}

export function headerCases(context: FuzzContext, templates: Template[]): FuzzCase[] {
  const cases: FuzzCase[] = [];
  for (const template of templates) {
    for (const mutation of headerMutations(context.token)) {
      const request = { ...template.request, headers: mutation.apply([...(template.request.headers ?? [])]) };
      cases.push(asCase(context, 'header', `${template.label} ${mutation.label}`, request, { mustAnswer: mutation.mustAnswer ?? true }));
    }
  }
  return cases;
}

/** HTTP itself broken: odd methods, request lines and versions, garbage, pipelining. */
export function protocolCases(context: FuzzContext, template: Template): FuzzCase[] {
  const { prefix, token } = context;
  // A request the server owes an answer is left open for it; Node drops a request whose client half-closes.
  const raw = (label: string, text: string | Buffer, mustAnswer = false): FuzzCase => ({
    category: 'protocol',
    label,
    chunks: [Buffer.from(text)],
    mustAnswer,
    endAfterSend: !mustAnswer,
  });
  const target = template.request.target;
  return [
    ...['PROPFIND', 'TRACE', 'OPTIONS', 'PATCH', 'get', 'MKCOL', 'SEARCH'].map((method) =>
      asCase(context, 'protocol', `method ${method}`, { method, target, headers: [bearer(token)] }),
    ),
    raw('CONNECT', `CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\n\r\n`),
    raw('asterisk OPTIONS', `OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`),
    raw('HTTP/1.0 without Host', `GET ${target} HTTP/1.0\r\nAuthorization: Bearer ${token}\r\n\r\n`, true),
    raw('HTTP/2.0 on HTTP/1', `GET ${target} HTTP/2.0\r\nHost: x\r\n\r\n`),
    raw('HTTP/0.9', `GET ${target}\r\n`),
    raw('garbage line', '\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003'),
    raw('only CRLF', '\r\n\r\n\r\n'),
    raw('space in target', `GET ${prefix}a b HTTP/1.1\r\nHost: x\r\n\r\n`),
    raw('NUL in request line', `GET ${prefix}\u0000x HTTP/1.1\r\nHost: x\r\n\r\n`),
    raw(
      'raw bytes in target',
      Buffer.concat([
        Buffer.from(`GET ${prefix}`),
        Buffer.from([0xc0, 0xaf, 0xff, 0x80]),
        Buffer.from(` HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer ${token}\r\n\r\n`),
      ]),
    ),
    raw('10 KB request line', `GET ${prefix}${'b'.repeat(10_000)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`, true),
    raw('100 KB request line', `GET ${prefix}${'b'.repeat(100_000)} HTTP/1.1\r\nHost: x\r\n\r\n`),
    raw('bad chunk size', `PUT ${target} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n`),
    raw(
      'chunk size overflow',
      `PUT ${target} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\nhello\r\n`,
    ),
    raw(
      'pipelined pair',
      `GET ${target} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\n\r\nGET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
      true,
    ),
    raw('body on GET', `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer ${token}\r\nContent-Length: 5\r\n\r\nhello`, true),
  ].map((item) => ({ ...item, label: `${template.label} ${item.label}` }));
}

/** A write template's body cut short, made too large, or damaged at random. */
export function bodyCases(context: FuzzContext, template: Template, randomDamage: number): FuzzCase[] {
  const body = Buffer.from(template.request.body ?? '');
  const headers = template.request.headers ?? [];
  const full = requestBytes(context.port, template.request);
  const headerEnd = full.indexOf('\r\n\r\n') + 4;
  const cases: FuzzCase[] = [
    // Announces the full length, sends half, then closes its side.
    {
      category: 'body',
      label: `${template.label} cut short`,
      chunks: [full.subarray(0, headerEnd + Math.floor(body.length / 2))],
      endAfterSend: true,
      mustAnswer: false,
    },
    { category: 'body', label: `${template.label} headers only`, chunks: [full.subarray(0, headerEnd)], endAfterSend: true, mustAnswer: false },
    asCase(context, 'body', `${template.label} empty body`, { ...template.request, body: '' }),
    asCase(
      context,
      'body',
      `${template.label} declared oversize`,
      {
        ...template.request,
        headers: [...headers.filter(([key]) => key.toLowerCase() !== 'content-length'), ['Content-Length', String(context.maxUploadBytes + 1)]],
        body: body.subarray(0, 1000),
      },
      { endAfterSend: true, mustAnswer: false },
    ),
    {
      category: 'body',
      label: `${template.label} chunked past the limit`,
      chunks: chunkedBody(context, template, Buffer.concat([body, Buffer.alloc(context.maxUploadBytes + 1024, 0x41)])),
      mustAnswer: true,
    },
  ];
  for (let index = 0; index < randomDamage; index++) {
    const damaged = damage(body, context.random);
    cases.push(asCase(context, 'body', `${template.label} damaged #${index}`, { ...template.request, body: damaged }));
  }
  return cases;
}

/**
 * The body sent chunked, on a keep-alive connection as upload clients use: the server answers 413
 * part-way and drains the rest. (On a Connection: close request the server closes once it has
 * answered, and the client, still sending, may see a reset before it reads the 413.)
 */
function chunkedBody(context: FuzzContext, template: Template, body: Buffer): Buffer[] {
  const headers = (template.request.headers ?? []).filter(([key]) => key.toLowerCase() !== 'content-length');
  const head = requestBytes(context.port, {
    ...template.request,
    headers: [...headers, ['Transfer-Encoding', 'chunked'], ['Connection', 'keep-alive']],
    body: undefined,
  });
  const chunks = [head];
  for (let start = 0; start < body.length; start += 256 * 1024) {
    const piece = body.subarray(start, start + 256 * 1024);
    chunks.push(Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')]));
  }
  chunks.push(Buffer.from('0\r\n\r\n'));
  return chunks;
}

/** Flips, truncates, inserts or repeats bytes at random places. */
export function damage(body: Buffer, random: () => number): Buffer {
  const copy = Buffer.from(body);
  const at = () => Math.floor(random() * Math.max(1, copy.length));
  switch (Math.floor(random() * 5)) {
    case 0:
      for (let flips = 1 + Math.floor(random() * 8); flips > 0; flips--) copy[at()] ^= 1 << Math.floor(random() * 8);
      return copy;
    case 1:
      return copy.subarray(0, at());
    case 2: {
      const where = at();
      return Buffer.concat([copy.subarray(0, where), Buffer.from([0xff, 0xfe, 0x00, 0x80, 0x22, 0x7b]), copy.subarray(where)]);
    }
    case 3: {
      const start = at();
      const piece = copy.subarray(start, start + 1 + Math.floor(random() * 200));
      return Buffer.concat([copy.subarray(0, start), piece, piece, copy.subarray(start)]);
    }
    default: {
      const start = at();
      return Buffer.concat([copy.subarray(0, start), copy.subarray(start + 1 + Math.floor(random() * 64))]);
    }
  }
}
