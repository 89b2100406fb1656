// The floor of any caching proxy: a bare node:http proxy in front of a static copy. It forwards
// each request unchanged over kept-alive connections, streams the answers, stores and checks
// nothing. Text answers (JSON, HTML, plain text, XML: service indexes, cargo's config.json,
// simple pages) are read whole and the static copy's base URL replaced by its own, so a client
// that follows absolute URLs still fetches every file through it. What it adds over the static
// copy is one hop per request: no proxy that keeps or checks the files can do less.
// Runs as its own process (`node pass-through.mjs <static base> <port>`), like the servers it
// stands beside; GET /.pass-through/stats answers what it carried (requests, files by extension).
import { Agent, createServer, get, request } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuMs, freePort, startProcess, waitForHttp } from './processes.mjs';

const SELF = fileURLToPath(import.meta.url);
const STATS_PATH = '/.pass-through/stats';
const TEXT_TYPE = /json|html|text\/|xml/i;
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade'];

/** Starts the proxy in front of `upstream` (a base URL without trailing slash). */
export async function startPassThrough({ upstream, workDir }) {
  const port = await freePort();
  const server = startProcess(process.execPath, [SELF, upstream, String(port)], {
    env: process.env,
    logFile: path.join(workDir, `pass-through-${port}.log`),
  });
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(`${base}${STATS_PATH}`, { process: server });
  const stats = () =>
    passThroughStats(base).catch((error) => {
      throw new Error(`pass-through stats: ${error.message}; its log:\n${server.log().slice(-2000)}`);
    });
  return { name: 'pass-through', process: server, base, stats };
}

/**
 * What the proxy has carried so far: { requests, rewritten, files: { '.whl': n, ... } }. On a
 * connection of its own: a kept-alive one may have sat through a whole synchronous install.
 */
export function passThroughStats(base) {
  return new Promise((resolve, reject) => {
    get(`${base}${STATS_PATH}`, { agent: false }, (answer) => {
      const chunks = [];
      answer.on('data', (chunk) => chunks.push(chunk));
      answer.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
      answer.on('error', reject);
    }).on('error', reject);
  });
}

/**
 * Runs `install` through the proxy and returns its result with what the proxy carried meanwhile
 * and the proxy's CPU time over it (ms).
 */
export async function throughPassThrough(passThrough, install) {
  const before = await passThrough.stats();
  const cpuBefore = cpuMs(passThrough.process.pid);
  const result = await install();
  const cpu = cpuMs(passThrough.process.pid) - cpuBefore;
  const after = await passThrough.stats();
  const files = {};
  for (const [extension, count] of Object.entries(after.files)) files[extension] = count - (before.files[extension] ?? 0);
  return { result, carried: { requests: after.requests - before.requests, rewritten: after.rewritten - before.rewritten, files, cpuMs: cpu } };
}

/**
 * The checks and a note for a row: every install through the proxy fetched at least `expected`
 * files with one of `extensions` from it (a client that went around it would fetch fewer).
 */
export function passThroughReport(format, carriedRuns, extensions, expected) {
  const counts = carriedRuns.map((carried) => extensions.reduce((sum, extension) => sum + (carried.files[extension] ?? 0), 0));
  const wanted = carriedRuns.map((_, index) => (Array.isArray(expected) ? expected[index] : expected));
  const cpuPerFile = carriedRuns.map((carried, index) => carried.cpuMs / Math.max(1, counts[index]));
  return {
    checks: [
      {
        name: `${format} client fetched every file through the pass-through`,
        pass: counts.length > 0 && counts.every((count, index) => count >= wanted[index]),
        detail: `${extensions.join('/')} files per install: ${counts.join(', ')} (expected at least ${wanted.join(', ')})`,
      },
    ],
    notes: [
      `pass-through: ${carriedRuns.map((carried) => carried.requests).join(', ')} requests per install, ` +
        `${carriedRuns.map((carried) => carried.rewritten).join(', ')} text answers rewritten; its CPU per file ` +
        `${cpuPerFile.map((value) => value.toFixed(1)).join(', ')} ms`,
    ],
  };
}

function serve(upstream, port) {
  const target = new URL(upstream);
  const own = `http://127.0.0.1:${port}`;
  const from = upstream.replace(/\/$/, '');
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const stats = { requests: 0, rewritten: 0, files: {} };

  const server = createServer((req, res) => {
    if (req.url === STATS_PATH) return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(stats));
    stats.requests += 1;
    const extension = path.posix.extname(new URL(req.url, own).pathname);
    if (extension) stats.files[extension] = (stats.files[extension] ?? 0) + 1;
    const headers = { ...req.headers };
    for (const name of HOP_BY_HOP) delete headers[name];
    const outgoing = request({ agent, host: target.hostname, port: target.port, method: req.method, path: req.url, headers }, (answer) => {
      const answerHeaders = { ...answer.headers };
      for (const name of HOP_BY_HOP) delete answerHeaders[name];
      if (typeof answerHeaders.location === 'string') answerHeaders.location = answerHeaders.location.replaceAll(from, own);
      const bodiless = req.method === 'HEAD' || answer.statusCode === 204 || answer.statusCode === 304;
      if (bodiless || !TEXT_TYPE.test(answer.headers['content-type'] ?? '')) {
        res.writeHead(answer.statusCode, answerHeaders);
        answer.on('error', () => res.destroy());
        return void answer.pipe(res);
      }
      relayText(answer, res, answerHeaders, from, own, stats);
    });
    outgoing.on('error', () => (res.headersSent ? res.destroy() : res.writeHead(502).end()));
    req.on('error', () => outgoing.destroy());
    req.pipe(outgoing);
  });
  server.keepAliveTimeout = 60_000;
  server.listen(port, '127.0.0.1');
}

/**
 * A text answer: read whole, base URL replaced, sent with its new length. The static copy
 * labels some binary files JSON (its default type), so an answer whose first bytes are not
 * UTF-8 text is streamed as it is.
 */
function relayText(answer, res, headers, from, own, stats) {
  const chunks = [];
  let decided = false;
  answer.on('data', (chunk) => {
    if (!decided) {
      decided = true;
      if (!looksLikeText(chunk)) {
        res.writeHead(answer.statusCode, headers);
        res.write(chunk);
        answer.pipe(res);
        return;
      }
    }
    if (!res.headersSent) chunks.push(chunk);
  });
  answer.on('end', () => {
    if (res.headersSent) return;
    const text = Buffer.concat(chunks).toString('utf8');
    const replaced = text.replaceAll(from, own);
    if (replaced !== text) {
      stats.rewritten += 1;
      delete headers.etag;
    }
    const body = Buffer.from(replaced);
    res.writeHead(answer.statusCode, { ...headers, 'content-length': body.length }).end(body);
  });
  answer.on('error', () => res.destroy());
}

function looksLikeText(chunk) {
  if (chunk.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(chunk, { stream: true });
    return true;
  } catch {
    return false;
  }
}

if (process.argv[1] === SELF) {
  // The bench reads this log when a stats request fails: say why the proxy died, if it did.
  process.on('uncaughtException', (error) => {
    console.error(error);
    process.exit(1);
  });
  serve(process.argv[2], Number(process.argv[3]));
}
