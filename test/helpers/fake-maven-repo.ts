/**
 * A stand-in for a public Maven repository on 127.0.0.1: serves a directory tree (by default
 * Debian's /usr/share/maven-repo, where apt puts the Maven plugins) plus files added in memory.
 * Checksum sidecars missing from the tree are computed on the fly, and maven-metadata.xml of an
 * artifact folder is generated from its version folders, as a real repository would have them.
 * Faults can be switched on to play a registry that lies or is down.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export const DEBIAN_MAVEN_REPO = '/usr/share/maven-repo';

/**
 * 'checksum-after-file': a checksum is answered only once its file has been asked for (or 404
 * after CHECKSUM_HOLD_MS), so a client that asks for them one after the other gets nothing.
 */
export type MavenRepoFault = 'none' | 'wrong-checksum' | 'no-checksums' | 'error500' | 'checksum-after-file';

const CHECKSUM_HOLD_MS = 5_000;

export interface FakeMavenRepo {
  /** Base URL ending in '/'. */
  url: string;
  /** Every request path, in order. */
  requests: string[];
  /** Serves `bytes` at `relativePath` (e.g. com/acme/util/1.0/util-1.0.jar). */
  addFile(relativePath: string, bytes: Buffer | string): void;
  setFault(fault: MavenRepoFault): void;
  close(): Promise<void>;
}

const CHECKSUM = /\.(md5|sha1|sha256|sha512)$/;

export async function startFakeMavenRepo(root: string | undefined = DEBIAN_MAVEN_REPO): Promise<FakeMavenRepo> {
  const memory = new Map<string, Buffer>();
  const requests: string[] = [];
  let fault: MavenRepoFault = 'none';
  // Checksums held by 'checksum-after-file', by the path of their file.
  const waiting = new Map<string, Array<() => void>>();

  function fileAsked(pathname: string): Promise<boolean> {
    if (requests.includes(pathname)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), CHECKSUM_HOLD_MS);
      waiting.set(pathname, [
        ...(waiting.get(pathname) ?? []),
        () => {
          clearTimeout(timer);
          resolve(true);
        },
      ]);
    });
  }

  async function read(relative: string): Promise<Buffer | undefined> {
    if (memory.has(relative)) return memory.get(relative);
    if (!root) return undefined;
    try {
      // Debian's tree is full of symbolic links into /usr/share/java; readFile follows them.
      return await fs.readFile(path.join(root, relative));
    } catch {
      return relative.endsWith('/maven-metadata.xml') ? generatedMetadata(relative) : undefined;
    }
  }

  async function generatedMetadata(relative: string): Promise<Buffer | undefined> {
    const dirs = relative.split('/').slice(0, -1);
    const versions = new Set<string>();
    for (const key of memory.keys()) {
      const parts = key.split('/');
      if (parts.length === dirs.length + 2 && parts.slice(0, dirs.length).join('/') === dirs.join('/')) versions.add(parts[dirs.length]);
    }
    if (root) {
      const entries = await fs.readdir(path.join(root, ...dirs), { withFileTypes: true }).catch(() => []);
      for (const entry of entries) if (entry.isDirectory() && /^\d/.test(entry.name)) versions.add(entry.name);
    }
    if (versions.size === 0) return undefined;
    const list = [...versions].sort();
    const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<metadata><groupId>${dirs.slice(0, -1).join('.')}</groupId><artifactId>${dirs.at(-1)}</artifactId><versioning><latest>${list.at(-1)}</latest><release>${list.at(-1)}</release><versions>${list.map((version) => `<version>${version}</version>`).join('')}</versions><lastUpdated>20240102030405</lastUpdated></versioning></metadata>\n`;
    return Buffer.from(xml);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(pathname);
    for (const release of waiting.get(pathname) ?? []) release();
    waiting.delete(pathname);
    const relative = pathname.replace(/^\/+/, '');
    if (relative.split('/').includes('..') || req.method !== 'GET') return void res.writeHead(404).end();
    if (fault === 'error500') return void res.writeHead(500).end('broken');
    const checksum = CHECKSUM.exec(relative);
    if (checksum) {
      if (fault === 'no-checksums') return void res.writeHead(404).end();
      if (fault === 'checksum-after-file' && !(await fileAsked(pathname.slice(0, -checksum[0].length)))) return void res.writeHead(404).end();
      const stored = await read(relative);
      const target = stored ? undefined : await read(relative.slice(0, -checksum[0].length));
      if (!stored && !target) return void res.writeHead(404).end();
      let text = stored
        ? stored.toString('utf8')
        : createHash(checksum[1])
            .update(target as Buffer)
            .digest('hex');
      if (fault === 'wrong-checksum') text = createHash(checksum[1]).update('something else').digest('hex');
      return void res.writeHead(200, { 'content-type': 'text/plain' }).end(text);
    }
    const bytes = await read(relative);
    if (!bytes) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length }).end(bytes);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    addFile: (relative, bytes) => memory.set(relative, Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes)),
    setFault: (next) => (fault = next),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
