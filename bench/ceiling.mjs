// The ceilings the registries are measured against:
// - a static file server over a directory: nginx when installed (one worker, so it has one
//   core like the Node servers and wrk has the other), else a minimal Node static server;
// - issue 3's baseline: a minimal node:http server answering fixed bytes from memory.
// Both also run as scripts: `node ceiling.mjs static <dir> <port>` / `memory <file>... <port>`.
import { execFileSync } from 'node:child_process';
import { createReadStream, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startProcess, waitForHttp } from './processes.mjs';

const SELF = fileURLToPath(import.meta.url);

export function nginxPath() {
  for (const candidate of ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/bin/nginx']) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  try {
    return execFileSync('sh', ['-c', 'command -v nginx'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Serves `root` statically: a path that is a directory answers its index.json (packuments),
 * anything else the file itself. Types: .tgz octet-stream, the rest JSON unless a `types`
 * entry maps a URL prefix to another type. `noEtag`: nginx sends no ETag (Bundler takes an ETag
 * for the md5 of the file and gives up on the compact index when it is not).
 */
export async function startStaticServer({ root, workDir, types = {}, noEtag = false }) {
  const port = await freePort();
  const nginx = nginxPath();
  const logFile = path.join(workDir, `static-${port}.log`);
  if (nginx) {
    const conf = path.join(workDir, `nginx-${port}.conf`);
    const typeRules = Object.entries(types).map(([prefix, type]) => `    location ^~ ${prefix} { default_type ${type}; }`);
    writeFileSync(
      conf,
      [
        'worker_processes 1;',
        'user root root;',
        `pid ${path.join(workDir, `nginx-${port}.pid`)};`,
        `error_log ${logFile} warn;`,
        'events { worker_connections 1024; }',
        'http {',
        '  access_log off;',
        '  sendfile on; tcp_nopush on; tcp_nodelay on;',
        '  keepalive_requests 100000; keepalive_timeout 60s;',
        '  open_file_cache max=10000 inactive=60s;',
        ...(noEtag ? ['  etag off;'] : []),
        ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((name) => `  ${name}_temp_path ${path.join(workDir, `nginx-${name}`)};`),
        '  types { application/octet-stream tgz; }',
        '  default_type application/json;',
        '  server {',
        `    listen 127.0.0.1:${port};`,
        `    root ${root};`,
        '    location / { try_files $uri/index.json $uri =404; }',
        ...typeRules,
        '  }',
        '}',
        '',
      ].join('\n'),
    );
    const server = startProcess(nginx, ['-p', workDir, '-c', conf, '-g', 'daemon off;'], { env: process.env, logFile });
    const base = `http://127.0.0.1:${port}`;
    await waitForHttp(`${base}/`, { process: server });
    return { name: 'nginx', process: server, base };
  }
  const server = startProcess(process.execPath, [SELF, 'static', root, JSON.stringify(types), String(port)], { env: process.env, logFile });
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(`${base}/`, { process: server });
  return { name: 'node-static', process: server, base };
}

/** Issue 3's baseline: answers each path of `bodies` ({ urlPath: { file, type } }) from memory. */
export async function startMemoryServer({ bodies, workDir }) {
  const port = await freePort();
  const specFile = path.join(workDir, `memory-${port}.json`);
  writeFileSync(specFile, JSON.stringify(bodies));
  const server = startProcess(process.execPath, [SELF, 'memory', specFile, String(port)], {
    env: process.env,
    logFile: path.join(workDir, `memory-${port}.log`),
  });
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(`${base}/`, { process: server });
  return { name: 'node-memory', process: server, base };
}

function runStatic(root, types, port) {
  createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (pathname.includes('..')) return void res.writeHead(400).end();
    let file = path.join(root, pathname);
    try {
      if (statSync(file).isDirectory()) file = path.join(file, 'index.json');
      const size = statSync(file).size;
      const prefix = Object.keys(types).find((candidate) => pathname.startsWith(candidate));
      const type = prefix ? types[prefix] : file.endsWith('.tgz') ? 'application/octet-stream' : 'application/json';
      res.writeHead(200, { 'content-type': type, 'content-length': size });
      createReadStream(file).pipe(res);
    } catch {
      res.writeHead(404).end();
    }
  }).listen(port, '127.0.0.1');
}

function runMemory(specFile, port) {
  const bodies = new Map(
    Object.entries(JSON.parse(readFileSync(specFile, 'utf8'))).map(([urlPath, { file, type }]) => [urlPath, { bytes: readFileSync(file), type }]),
  );
  createServer((req, res) => {
    const body = bodies.get(req.url);
    if (!body) return void res.writeHead(req.url === '/' ? 200 : 404).end();
    res.writeHead(200, { 'content-type': body.type, 'content-length': body.bytes.length }).end(body.bytes);
  }).listen(port, '127.0.0.1');
}

if (process.argv[1] === SELF) {
  const [mode, ...args] = process.argv.slice(2);
  if (mode === 'static') runStatic(args[0], JSON.parse(args[1]), Number(args[2]));
  else if (mode === 'memory') runMemory(args[0], Number(args[1]));
}
