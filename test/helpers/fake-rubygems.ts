/**
 * A stand-in for the public RubyGems registry on 127.0.0.1: the compact index (/versions,
 * /info/<gem>) and /gems/<file>.gem for gems built in Node, so the upstream tests never need
 * the internet. `wrongChecksum` makes it announce a checksum its file does not have.
 */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildGem, type BuiltGem, type GemDef } from './ruby-gem.js';

export interface FakeRubygems {
  /** Registry root, ending in '/'. */
  url: string;
  requests: string[];
  add(def: GemDef): BuiltGem;
  wrongChecksum: boolean;
  close(): Promise<void>;
}

interface Listed {
  def: GemDef;
  gem: BuiltGem;
}

function infoLine({ def, gem }: Listed, wrong: boolean): string {
  const platform = def.platform && def.platform !== 'ruby' ? `-${def.platform}` : '';
  const deps = Object.entries(def.dependencies ?? {}).map(([name, pairs]) => `${name}:${pairs.map(([op, version]) => `${op} ${version}`).join('&')}`).join(',');
  const checksum = wrong ? createHash('sha256').update('something else').digest('hex') : gem.sha256;
  return `${def.version}${platform} ${deps}|checksum:${checksum},ruby:>= 0,rubygems:>= 0`;
}

export async function startFakeRubygems(): Promise<FakeRubygems> {
  const gems = new Map<string, Listed[]>();
  const requests: string[] = [];
  const fake = { wrongChecksum: false };
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push(`${req.method} ${path}`);
    const send = (status: number, body: string | Buffer, type = 'text/plain; charset=utf-8') => {
      res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    const info = /^\/info\/([^/]+)$/.exec(path);
    if (info) {
      const listed = gems.get(decodeURIComponent(info[1]));
      return listed ? send(200, `---\n${listed.map((entry) => `${infoLine(entry, fake.wrongChecksum)}\n`).join('')}`) : send(404, 'Not found');
    }
    const file = /^\/gems\/([^/]+)$/.exec(path);
    if (file) {
      const found = [...gems.values()].flat().find((entry) => entry.gem.fileName === decodeURIComponent(file[1]));
      return found ? send(200, found.gem.bytes, 'application/octet-stream') : send(404, 'Not found');
    }
    if (path === '/') return send(200, '');
    send(404, 'Not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
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
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
