/**
 * A stand-in for the public npm registry on 127.0.0.1, with faults to switch on: tests never
 * need the internet, and can make the "public registry" fail in each way a real one does.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildNpmTarball, type BuiltTarball, type TarballSpec } from './npm-tarball.js';

export type Fault = 'none' | 'error500' | 'hang' | 'cut-body' | 'wrong-digest' | 'not-json' | 'down';

export interface FakeNpmRegistry {
  url: string;
  /** Every request path it saw, in order. */
  requests: string[];
  add(spec: TarballSpec): BuiltTarball;
  remove(name: string, version: string): void;
  setFault(fault: Fault, scope?: 'packument' | 'tarball' | 'all'): void;
  /** Serves tarballs under `/files` instead of npm's usual `/<name>/-/` place, and says so in packuments. */
  moveTarballs(): void;
  close(): Promise<void>;
}

interface Stored {
  tarball: BuiltTarball;
  published: string;
}

export async function startFakeNpmRegistry(): Promise<FakeNpmRegistry> {
  const packages = new Map<string, Map<string, Stored>>();
  const requests: string[] = [];
  let fault: Fault = 'none';
  let faultScope: 'packument' | 'tarball' | 'all' = 'all';
  let url = '';
  let tarballPrefix = '';

  const tarballPath = (name: string, version: string) => `${tarballPrefix}/${name}/-/${name.split('/').pop()}-${version}.tgz`;

  const packument = (name: string) => {
    const versions = packages.get(name);
    if (!versions || versions.size === 0) return undefined;
    const sorted = [...versions.keys()];
    return {
      _id: name,
      name,
      'dist-tags': { latest: sorted[sorted.length - 1] },
      time: Object.fromEntries([...versions].map(([version, stored]) => [version, stored.published])),
      versions: Object.fromEntries(
        [...versions].map(([version, stored]) => [
          version,
          {
            ...stored.tarball.manifest,
            _id: `${name}@${version}`,
            dist: { tarball: `${url}${tarballPath(name, version)}`, integrity: stored.tarball.integrity, shasum: stored.tarball.shasum },
          },
        ]),
      ),
    };
  };

  const applies = (kind: 'packument' | 'tarball') => fault !== 'none' && (faultScope === 'all' || faultScope === kind);

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push(pathname);
    const isTarball = pathname.includes('/-/') && pathname.endsWith('.tgz');
    const kind = isTarball ? 'tarball' : 'packument';
    if (applies(kind)) {
      if (fault === 'down') return void req.socket.destroy();
      if (fault === 'hang') return; // never answers
      if (fault === 'error500') return void res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"boom"}');
      if (fault === 'not-json' && kind === 'packument') return void res.writeHead(200, { 'content-type': 'application/json' }).end('<html>not json</html>');
    }
    if (isTarball) {
      const match = pathname.startsWith(tarballPrefix)
        ? /^\/(.+)\/-\/[^/]+-(\d[^/]*)\.tgz$/.exec(decodeURIComponent(pathname.slice(tarballPrefix.length)))
        : null;
      const stored = match ? packages.get(match[1])?.get(match[2]) : undefined;
      if (!stored) return void res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
      let bytes = stored.tarball.bytes;
      if (applies('tarball') && fault === 'wrong-digest') bytes = Buffer.concat([bytes, Buffer.from('tampered')]);
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length });
      if (applies('tarball') && fault === 'cut-body') {
        res.write(bytes.subarray(0, Math.floor(bytes.length / 2)));
        setTimeout(() => req.socket.destroy(), 20);
        return;
      }
      return void res.end(bytes);
    }
    const name = decodeURIComponent(pathname.slice(1));
    const document = packument(name);
    if (!document) return void res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
    const body = JSON.stringify(document);
    if (applies('packument') && fault === 'cut-body') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
      res.write(body.slice(0, body.length >> 1));
      setTimeout(() => req.socket.destroy(), 20);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
  };

  const server: Server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    requests,
    add(spec) {
      const tarball = buildNpmTarball(spec);
      if (!packages.has(spec.name)) packages.set(spec.name, new Map());
      packages.get(spec.name)!.set(spec.version, { tarball, published: new Date().toISOString() });
      return tarball;
    },
    remove(name, version) {
      packages.get(name)?.delete(version);
    },
    setFault(next, scope = 'all') {
      fault = next;
      faultScope = scope;
    },
    moveTarballs() {
      tarballPrefix = '/files';
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
