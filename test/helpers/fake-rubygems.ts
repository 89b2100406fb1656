/**
 * A stand-in for the public RubyGems registry on 127.0.0.1: the compact index (/versions,
 * /info/<gem>) and /gems/<file>.gem for gems built in Node, so the upstream tests never need
 * the internet. `wrongChecksum` makes it announce a checksum its file does not have;
 * `redirectGems` makes /gems/<file> answer 302 to a second port (`fileOrigin`), as registries
 * that keep their files on another host do.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildGem, type BuiltGem, type GemDef } from './ruby-gem.js';

export interface FakeRubygems {
  /** Registry root, ending in '/'. */
  url: string;
  requests: string[];
  add(def: GemDef): BuiltGem;
  wrongChecksum: boolean;
  redirectGems: boolean;
  /** The origin the redirects point at (no trailing '/'). */
  fileOrigin: string;
  close(): Promise<void>;
}

interface Listed {
  def: GemDef;
  gem: BuiltGem;
}

function infoLine({ def, gem }: Listed, wrong: boolean): string {
  const platform = def.platform && def.platform !== 'ruby' ? `-${def.platform}` : '';
  const deps = Object.entries(def.dependencies ?? {})
    .map(([name, pairs]) => `${name}:${pairs.map(([op, version]) => `${op} ${version}`).join('&')}`)
    .join(',');
  const checksum = wrong ? createHash('sha256').update('something else').digest('hex') : gem.sha256;
  return `${def.version}${platform} ${deps}|checksum:${checksum},ruby:>= 0,rubygems:>= 0`;
}

type Send = (status: number, body: string | Buffer, type?: string, headers?: Record<string, string>) => void;

async function listen(handle: (path: string, send: Send) => void, requests: string[]): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push(`${req.method} ${path}`);
    handle(path, (status, body, type = 'text/plain; charset=utf-8', headers = {}) => {
      res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), ...headers });
      res.end(req.method === 'HEAD' ? undefined : body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function close(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

export async function startFakeRubygems(): Promise<FakeRubygems> {
  const gems = new Map<string, Listed[]>();
  const requests: string[] = [];
  const fake = { wrongChecksum: false, redirectGems: false };
  const infoBody = (listed: Listed[]) => `---\n${listed.map((entry) => `${infoLine(entry, fake.wrongChecksum)}\n`).join('')}`;
  const sendFile = (fileName: string, send: Send) => {
    const found = [...gems.values()].flat().find((entry) => entry.gem.fileName === fileName);
    return found ? send(200, found.gem.bytes, 'application/octet-stream') : send(404, 'Not found');
  };
  const files = await listen((path, send) => {
    const file = /^\/files\/([^/]+)$/.exec(path);
    return file ? sendFile(decodeURIComponent(file[1]), send) : send(404, 'Not found');
  }, requests);
  const { server, origin } = await listen((path, send) => {
    if (path === '/versions') {
      // The real file's shape: a header, then each gem with its versions and the md5 of its /info body.
      const lines = [...gems].map(
        ([name, listed]) =>
          `${name} ${listed.map((entry) => `${entry.def.version}${entry.def.platform && entry.def.platform !== 'ruby' ? `-${entry.def.platform}` : ''}`).join(',')} ${createHash('md5').update(infoBody(listed)).digest('hex')}\n`,
      );
      return send(200, `created_at: 2026-01-01T00:00:00Z\n---\n${lines.join('')}`);
    }
    const info = /^\/info\/([^/]+)$/.exec(path);
    if (info) {
      const listed = gems.get(decodeURIComponent(info[1]));
      return listed ? send(200, infoBody(listed)) : send(404, 'Not found');
    }
    const file = /^\/gems\/([^/]+)$/.exec(path);
    if (file && fake.redirectGems) return send(302, '', 'text/plain', { location: `${files.origin}/files/${file[1]}` });
    if (file) return sendFile(decodeURIComponent(file[1]), send);
    if (path === '/') return send(200, '');
    send(404, 'Not found');
  }, requests);
  return {
    url: `${origin}/`,
    fileOrigin: files.origin,
    requests,
    get redirectGems() {
      return fake.redirectGems;
    },
    set redirectGems(value: boolean) {
      fake.redirectGems = value;
    },
    get wrongChecksum() {
      return fake.wrongChecksum;
    },
    set wrongChecksum(value: boolean) {
      fake.wrongChecksum = value;
    },
    add(def) {
      const gem = buildGem(def);
      gems.set(def.name, [...(gems.get(def.name) ?? []), { def, gem }]);
      return gem;
    },
    close: async () => {
      await Promise.all([close(server), close(files.server)]);
    },
  };
}
