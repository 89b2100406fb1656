/**
 * A stand-in for the public PyPI on 127.0.0.1: PEP 691 JSON project pages (and PEP 503 HTML for
 * clients that ask for it), files and PEP 658 metadata files, with faults to switch on, so tests
 * never need the internet and can make the "public index" fail the ways a real one does.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildWheel, type BuiltDist, type DistSpec } from './pypi-dist.js';

export type IndexFault = 'none' | 'error500' | 'hang' | 'cut-body' | 'wrong-digest' | 'not-json' | 'down';
export type FaultScope = 'page' | 'file' | 'all';

export interface FakePypiIndex {
  /** Index root, ending in '/': configure it as the URL behind public:pypi. */
  url: string;
  requests: string[];
  /** Adds a wheel built from the spec (or the given distribution) to the project. */
  add(spec: DistSpec, dist?: BuiltDist, options?: { yanked?: true | string; uploadTime?: unknown }): BuiltDist;
  setFault(fault: IndexFault, scope?: FaultScope): void;
  close(): Promise<void>;
}

interface Listed {
  project: string;
  version: string;
  dist: BuiltDist;
  requiresPython?: string;
  yanked?: true | string;
  uploadTime?: unknown;
}

const JSON_TYPE = 'application/vnd.pypi.simple.v1+json';

export function normalize(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

export async function startFakePypiIndex(): Promise<FakePypiIndex> {
  const files = new Map<string, Listed>();
  const requests: string[] = [];
  let fault: IndexFault = 'none';
  let faultScope: FaultScope = 'all';

  const applies = (kind: 'page' | 'file') => fault !== 'none' && (faultScope === 'all' || faultScope === kind);

  const projectPage = (project: string) => {
    const listed = [...files.values()].filter((file) => file.project === project);
    if (listed.length === 0) return undefined;
    return {
      meta: { 'api-version': '1.1' },
      name: project,
      versions: [...new Set(listed.map((file) => file.version))],
      files: listed.map((file) => ({
        filename: file.dist.fileName,
        url: `../../files/${file.dist.fileName}`,
        hashes: { sha256: file.dist.sha256 },
        size: file.dist.bytes.length,
        'requires-python': file.requiresPython,
        yanked: file.yanked ?? false,
        'upload-time': file.uploadTime ?? '2024-05-01T10:30:00.000000Z',
        ...(file.dist.metadata ? { 'core-metadata': { sha256: createHash('sha256').update(file.dist.metadata).digest('hex') } } : {}),
      })),
    };
  };

  const send = (res: ServerResponse, status: number, type: string, body: Buffer | string) => {
    res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) }).end(body);
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push(pathname);
    const kind = pathname.startsWith('/files/') ? 'file' : 'page';
    if (applies(kind)) {
      if (fault === 'down') return void req.socket.destroy();
      if (fault === 'hang') return;
      if (fault === 'error500') return void send(res, 500, 'text/plain', 'boom');
      if (fault === 'not-json' && kind === 'page') return void send(res, 200, JSON_TYPE, '<html>not json</html>');
    }
    if (kind === 'file') {
      const name = decodeURIComponent(pathname.slice('/files/'.length));
      const isMetadata = name.endsWith('.metadata');
      const listed = files.get(isMetadata ? name.slice(0, -'.metadata'.length) : name);
      let bytes = isMetadata ? listed?.dist.metadata : listed?.dist.bytes;
      if (!bytes) return void send(res, 404, 'text/plain', 'not found');
      if (applies('file') && fault === 'wrong-digest') bytes = Buffer.concat([bytes, Buffer.from('tampered')]);
      if (applies('file') && fault === 'cut-body') {
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length });
        res.write(bytes.subarray(0, bytes.length >> 1));
        setTimeout(() => req.socket.destroy(), 20);
        return;
      }
      return void send(res, 200, 'application/octet-stream', bytes);
    }
    const match = /^\/simple\/([^/]+)\/$/.exec(pathname);
    const page = match ? projectPage(normalize(decodeURIComponent(match[1]))) : undefined;
    if (!page) return void send(res, 404, 'text/plain', 'not found');
    if (!String(req.headers.accept ?? '').includes(JSON_TYPE)) return void send(res, 406, 'text/plain', 'this stand-in serves JSON pages only');
    send(res, 200, JSON_TYPE, JSON.stringify(page));
  };

  const server: Server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

  return {
    url,
    requests,
    add(spec, dist = buildWheel(spec), options = {}) {
      files.set(dist.fileName, {
        project: normalize(spec.name),
        version: spec.version,
        dist,
        requiresPython: spec.requiresPython,
        yanked: options.yanked,
        uploadTime: options.uploadTime,
      });
      return dist;
    },
    setFault(next, scope = 'all') {
      fault = next;
      faultScope = scope;
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
