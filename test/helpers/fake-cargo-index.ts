/**
 * A stand-in for the public crates registry on 127.0.0.1: a sparse index (config.json and one
 * file per crate) and the crates behind its `dl` template, served from memory. Tests add
 * crates, count requests, and close it to play the registry going away.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildCrate, indexPathOf, sha256 } from './cargo-crate.js';

export interface FakeCrate {
  name: string;
  vers: string;
  bytes: Buffer;
  cksum: string;
  yanked?: boolean;
  deps?: Record<string, unknown>[];
  /** Serve these bytes instead of `bytes` (a registry whose file does not match its index). */
  servedBytes?: Buffer;
  /** Answer the download only once this settles (downloads caught in flight). */
  heldUntil?: Promise<void>;
}

export interface FakeCargoIndex {
  /** The index root, ending in '/'. */
  url: string;
  add(name: string, vers: string, options?: Partial<FakeCrate>): FakeCrate;
  requests: string[];
  close(): Promise<void>;
}

export async function startFakeCargoIndex(): Promise<FakeCargoIndex> {
  const crates = new Map<string, FakeCrate[]>();
  const requests: string[] = [];
  let url = '';
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    requests.push(path);
    if (path === '/config.json') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ dl: `${url}files/{crate}/{version}.crate` }));
      return;
    }
    const download = /^\/files\/([^/]+)\/([^/]+)\.crate$/.exec(path);
    if (download) {
      const found = crates.get(download[1].toLowerCase())?.find((crate) => crate.vers === download[2]);
      if (!found) return void res.writeHead(404).end();
      void (found.heldUntil ?? Promise.resolve()).then(() =>
        res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(found.servedBytes ?? found.bytes),
      );
      return;
    }
    const name = path.split('/').pop() ?? '';
    const versions = crates.get(name.toLowerCase());
    if (!versions || `/${indexPathOf(name)}` !== path) return void res.writeHead(404).end();
    const lines = versions.map((crate) =>
      JSON.stringify({
        name: crate.name,
        vers: crate.vers,
        deps: crate.deps ?? [],
        cksum: crate.cksum,
        features: {},
        yanked: crate.yanked ?? false,
        links: null,
      }),
    );
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`${lines.join('\n')}\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    url,
    requests,
    add(name, vers, options = {}) {
      const bytes = options.bytes ?? buildCrate(name, vers);
      const crate: FakeCrate = { name, vers, bytes, cksum: sha256(bytes), ...options };
      const list = crates.get(name.toLowerCase()) ?? [];
      list.push(crate);
      crates.set(name.toLowerCase(), list);
      return crate;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
