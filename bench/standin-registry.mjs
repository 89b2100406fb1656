// The stand-in public registry: a plain Node server on 127.0.0.1 answering packuments (full,
// or abbreviated for the install Accept header, with ETag/304) and tarballs of the generated
// universe from memory. Run as its own process (`node standin-registry.mjs <fixtures> <port>`)
// so that it never competes with the orchestrator's event loop; start it with startStandin().
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { REGISTRY_PLACEHOLDER } from './fixtures.mjs';
import { freePort, startProcess, waitForHttp } from './processes.mjs';

const ABBREVIATED = 'application/vnd.npm.install-v1+json';

/** Starts the stand-in as a child process; resolves to { url (ending in '/'), process }. */
export async function startStandin(fixturesDir, logFile) {
  const port = await freePort();
  const process_ = startProcess(process.execPath, [fileURLToPath(import.meta.url), fixturesDir, String(port)], { env: process.env, logFile });
  const url = `http://127.0.0.1:${port}/`;
  await waitForHttp(`${url}-/ping`, { process: process_ });
  return { url, process: process_ };
}

function serve(fixturesDir, port) {
  const base = `http://127.0.0.1:${port}/`;
  const documents = new Map();
  const tarballs = new Map();

  const packument = (name, abbreviated) => {
    const key = `${abbreviated ? 'a' : 'f'} ${name}`;
    if (!documents.has(key)) {
      let body;
      try {
        const file = path.join(fixturesDir, 'packuments', `${encodeURIComponent(name)}.${abbreviated ? 'abbreviated' : 'full'}.json`);
        body = Buffer.from(readFileSync(file, 'utf8').replaceAll(REGISTRY_PLACEHOLDER, base));
      } catch {
        body = undefined;
      }
      documents.set(key, body && { body, etag: `"${createHash('sha1').update(body).digest('hex')}"` });
    }
    return documents.get(key);
  };

  const tarball = (relative) => {
    if (!tarballs.has(relative)) {
      let bytes;
      try {
        bytes = readFileSync(path.join(fixturesDir, 'tarballs', relative));
      } catch {
        bytes = undefined;
      }
      tarballs.set(relative, bytes);
    }
    return tarballs.get(relative);
  };

  const server = createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url, base).pathname).slice(1);
    if (pathname === '-/ping') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    if (pathname.includes('/-/') && !pathname.includes('..')) {
      const bytes = tarball(pathname);
      if (!bytes) return void res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
      return void res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length }).end(bytes);
    }
    const abbreviated = (req.headers.accept ?? '').includes(ABBREVIATED);
    const document = packument(pathname, abbreviated);
    if (!document) return void res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
    const headers = { 'content-type': abbreviated ? ABBREVIATED : 'application/json', etag: document.etag, vary: 'Accept' };
    if (req.headers['if-none-match'] === document.etag) return void res.writeHead(304, headers).end();
    res.writeHead(200, { ...headers, 'content-length': document.body.length }).end(document.body);
  });
  server.keepAliveTimeout = 60_000;
  server.listen(port, '127.0.0.1');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) serve(process.argv[2], Number(process.argv[3]));
