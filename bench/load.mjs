// HTTP load: wrk when installed (a C load generator costs the server's core least), else
// autocannon from bench/node_modules. Both keep `connections` connections busy for `seconds`
// and report requests per second, p99 latency and the share of non-2xx/3xx answers.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { request as httpRequest } from 'node:http';
import { pathToFileURL } from 'node:url';

export function wrkPath() {
  try {
    return execFileSync('sh', ['-c', 'command -v wrk'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

function toMs(text) {
  const match = /^([\d.]+)(us|ms|s|m)$/.exec(text.trim());
  if (!match) return Number.NaN;
  const factor = { us: 0.001, ms: 1, s: 1000, m: 60_000 }[match[2]];
  return Number(match[1]) * factor;
}

function runWrk(wrk, { url, headers, connections, seconds }) {
  const args = ['-t', '2', '-c', String(connections), '-d', `${seconds}s`, '--latency', '--timeout', '10s'];
  for (const [name, value] of Object.entries(headers)) args.push('-H', `${name}: ${value}`);
  args.push(url);
  return new Promise((resolve, reject) => {
    const child = spawn(wrk, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`wrk exited ${code}: ${out}`));
      const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
      const p99 = toMs(/^\s+99%\s+(\S+)/m.exec(out)?.[1] ?? '');
      const requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? 0);
      const bad = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
      const errors = /Socket errors: (.*)/.exec(out)?.[1];
      resolve({ rps, p99_ms: p99, requests, failed: bad, ...(errors ? { socket_errors: errors } : {}) });
    });
  });
}

async function runAutocannon(benchDir, { url, headers, connections, seconds }) {
  const module = path.join(benchDir, 'node_modules', 'autocannon', 'autocannon.js');
  if (!existsSync(module)) throw new Error('Neither wrk nor autocannon is installed; see the note printed at the start.');
  const { default: autocannon } = await import(pathToFileURL(module).href);
  const result = await autocannon({ url, headers, connections, duration: seconds });
  return { rps: result.requests.average, p99_ms: result.latency.p99, requests: result.requests.total, failed: result.non2xx + result.errors };
}

/** One load run; a short warm-up first so caches and connections are in place. */
export async function measureLoad(context, { url, headers = {}, connections = 32, seconds = 10 }) {
  const wrk = wrkPath();
  const run = (duration) =>
    wrk ? runWrk(wrk, { url, headers, connections, seconds: duration }) : runAutocannon(context.benchDir, { url, headers, connections, seconds: duration });
  await run(1);
  return { tool: wrk ? 'wrk' : 'autocannon', ...(await run(seconds)) };
}

/** A plain GET (no Accept-Encoding, as wrk sends): status, headers and the exact body bytes. */
export function httpGet(url, headers = {}) {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { headers }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end();
  });
}

/** Wall time of one GET in ms, body read fully; throws on a non-200 answer. */
export async function timeGet(url, headers = {}) {
  const started = process.hrtime.bigint();
  const response = await httpGet(url, headers);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}: ${response.body.toString().slice(0, 300)}`);
  return { ms, bytes: response.body.length, body: response.body, headers: response.headers };
}
