// Child process of the hardening tests: one client among many. It reads a job file
// {"base": url, "requests": [{method, path, headers, body (base64)}]}, prints "ready", waits
// for "go" on stdin so that all clients start at the same moment, then sends its requests one
// after another and prints one JSON line per answer: {"index", "status", "ms", "body"}.
// Plain node:http, no project code: the point is many separate processes hitting one server.
import { readFileSync } from 'node:fs';
import { request } from 'node:http';

const job = JSON.parse(readFileSync(process.argv[2], 'utf8'));

function send(planned) {
  const body = planned.body === undefined ? undefined : Buffer.from(planned.body, 'base64');
  const headers = { ...planned.headers, ...(body ? { 'content-length': String(body.length) } : {}) };
  const started = performance.now();
  return new Promise((resolve) => {
    const req = request(new URL(planned.path, job.base), { method: planned.method, headers }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode, ms: performance.now() - started, body: Buffer.concat(chunks).toString('utf8').slice(0, 500) }));
      res.on('error', (error) => resolve({ status: 0, ms: performance.now() - started, body: String(error) }));
    });
    req.setTimeout(job.timeoutMs ?? 120_000, () => req.destroy(new Error('timed out')));
    req.on('error', (error) => resolve({ status: 0, ms: performance.now() - started, body: String(error) }));
    req.end(body);
  });
}

process.stdout.write('ready\n');
process.stdin.setEncoding('utf8');
let input = '';
process.stdin.on('data', async (chunk) => {
  input += chunk;
  if (!input.includes('go\n')) return;
  process.stdin.pause();
  for (const [index, planned] of job.requests.entries()) {
    const result = await send(planned);
    process.stdout.write(`${JSON.stringify({ index, ...result })}\n`);
  }
  process.exit(0);
});
