// The CodeArtifact API's share of a call, signature check included (issue 22): the server's own
// time per request, from its request log, for get-authorization-token and for the API's reads
// on the listing workload's data (10,000 packages; a package with 3,000 versions). Requests are
// signed here with SigV4, one after another over one keep-alive connection.
import { createHash, createHmac } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { DOMAIN, REPOSITORY, cli, prepareArtifactCli, startArtifactCli } from './artifact-cli.mjs';
import { seedArtifactCli } from './big-packument.mjs';
import { seedPackages } from './cli-lists.mjs';
import { manyVersionsRecord } from './fixtures.mjs';
import { stopServer } from './processes.mjs';
import { median } from './report.mjs';

export const name = 'api-calls';
export const description = "CodeArtifact API calls: the server's share (ms, from its request log), median of 50, signature check included";

const RUNS = 50;
const TARGETS = { GetAuthorizationToken: 5 };
const DEFAULT_TARGET = 50;

const sha256 = (data) => createHash('sha256').update(data).digest('hex');
const hmac = (key, data) => createHmac('sha256', key).update(data).digest();
const encode = (text) => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function sign(base, key, method, pathAndQuery, body) {
  const url = new URL(pathAndQuery, base);
  const amzDate = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const scope = `${amzDate.slice(0, 8)}/us-east-1/codeartifact/aws4_request`;
  const query = [...url.searchParams]
    .map(([k, v]) => `${encode(k)}=${encode(v)}`)
    .sort()
    .join('&');
  const canonical = [method, url.pathname, query, `host:${url.host}`, `x-amz-date:${amzDate}`, '', 'host;x-amz-date', sha256(body)].join('\n');
  let signing = hmac(`AWS4${key.SecretAccessKey}`, amzDate.slice(0, 8));
  for (const part of ['us-east-1', 'codeartifact', 'aws4_request']) signing = hmac(signing, part);
  const signature = createHmac('sha256', signing)
    .update(['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n'))
    .digest('hex');
  return {
    host: url.host,
    'x-amz-date': amzDate,
    authorization: `AWS4-HMAC-SHA256 Credential=${key.AccessKeyId}/${scope}, SignedHeaders=host;x-amz-date, Signature=${signature}`,
  };
}

function request(agent, base, key, method, pathAndQuery, body = '') {
  const url = new URL(pathAndQuery, base);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        method,
        path: pathAndQuery,
        headers: { ...sign(base, key, method, pathAndQuery, body), 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () =>
          res.statusCode === 200 ? resolve(Buffer.concat(chunks)) : reject(new Error(`${method} ${pathAndQuery}: ${res.statusCode} ${Buffer.concat(chunks)}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export async function run(context) {
  const setup = prepareArtifactCli({ cliPath: context.cliPath, dir: path.join(context.workDir, 'api-calls') });
  await seedPackages(context.projectDir, setup.root);
  await seedArtifactCli(context.projectDir, setup.root, manyVersionsRecord('bench-huge', 3000));
  const key = cli(setup, ['create-access-key', '--principal', 'bench']).AccessKey;
  const server = await startArtifactCli(setup);
  // Stopped whatever happens: a server left running keeps the whole bench from exiting.
  let rows;
  try {
    const q = `domain=${DOMAIN}&repository=${REPOSITORY}`;
    const cases = [
      { operation: 'GetAuthorizationToken', method: 'POST', path: `/v1/authorization-token?domain=${DOMAIN}&duration=900` },
      { operation: 'DescribeDomain', method: 'GET', path: `/v1/domain?domain=${DOMAIN}` },
      { operation: 'ListPackages', method: 'POST', path: `/v1/packages?${q}` },
      { operation: 'ListPackageVersions', method: 'POST', path: `/v1/package/versions?${q}&format=npm&package=bench-huge` },
      { operation: 'DescribePackageVersion', method: 'GET', path: `/v1/package/version?${q}&format=npm&package=bench-huge&version=15.0.0` },
    ];
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    for (const item of cases) {
      // One warm-up call: the API module and the index files load on first use.
      await request(agent, server.base, key, item.method, item.path);
      for (let i = 0; i < RUNS; i++) await request(agent, server.base, key, item.method, item.path);
    }
    agent.destroy();
    // The request log is written in batches within 50 ms.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const log = server.process.log();
    rows = cases.map((item) => {
      const route = `${item.method} ${item.path.split('?')[0]} 200 `;
      const times = log
        .split('\n')
        .filter((line) => line.startsWith(route))
        .map((line) => Number(line.slice(route.length).replace('ms', '')))
        .slice(1);
      return { operation: item.operation, median_ms: median(times), max_ms: Math.max(...times), calls: times.length };
    });
  } finally {
    await stopServer(context, server);
  }
  const checks = rows.map((row) => {
    const target = TARGETS[row.operation] ?? DEFAULT_TARGET;
    return {
      name: `${row.operation} (issue 22)`,
      pass: row.calls === RUNS && row.median_ms < target,
      detail: `server's share ${row.median_ms.toFixed(2)} ms over ${row.calls} calls (target: under ${target} ms)`,
    };
  });
  return { rows, checks, notes: ['10,000 packages in the repository; bench-huge has 3,000 versions; each request is SigV4-signed and verified'] };
}
