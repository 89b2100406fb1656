#!/usr/bin/env node
// `node bench/mvn-replay.mjs [delayMs] [rounds] [cli...]`: the server's share of a cold Maven
// build without the JVM beside it. One `mvn package` of the mvn-package workload runs against
// the static copy through a pass-through that records what it asks for (files and .sha1s, in
// order); then, round by round, that list is replayed one request at a time against a fresh
// artifact-cli root of each CLI given (default: this checkout's), whose public:maven-central
// connection goes through the same pass-through holding every answer `delayMs` (default 0): a
// registry that far away. Prints per CLI the median cold and warm replay (ms) and the server's
// CPU over the cold one, with the load average of each round.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DOMAIN, REPOSITORY, prepareArtifactCli, startArtifactCli } from './artifact-cli.mjs';
import { startStaticServer } from './ceiling.mjs';
import { DEBIAN_MAVEN_REPO, mavenUsable, mirror, mvnPackage } from './mvn-package.mjs';
import { cpuMs, freePort, startProcess, waitForHttp } from './processes.mjs';
import { median } from './report.mjs';

const SELF = fileURLToPath(import.meta.url);
const PROJECT_DIR = path.dirname(path.dirname(SELF));

/** The pass-through: forwards each GET to `target` after `delay` ms, appending its path to `logFile`. */
function passThrough(target, port, delay, logFile) {
  const agent = new http.Agent({ keepAlive: true });
  http
    .createServer((req, res) => {
      if (logFile) writeFileSync(logFile, `${req.url}\n`, { flag: 'a' });
      const forward = () => {
        const upstream = http.request(
          new URL(req.url, target),
          { method: req.method, headers: { ...req.headers, host: new URL(target).host }, agent },
          (answer) => {
            res.writeHead(answer.statusCode, answer.headers);
            answer.pipe(res);
          },
        );
        upstream.on('error', () => res.writeHead(502).end());
        upstream.end();
      };
      if (delay > 0) setTimeout(forward, delay);
      else forward();
    })
    .listen(port, '127.0.0.1');
}

async function startPassThrough(target, delay, logFile, workDir) {
  const port = await freePort();
  const server = startProcess(process.execPath, [SELF, 'pass-through', target, String(port), String(delay), logFile ?? ''], {
    env: process.env,
    logFile: path.join(workDir, `pass-through-${port}.log`),
  });
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(`${base}/`, { process: server });
  return { process: server, base };
}

const agent = new http.Agent({ keepAlive: true });
function get(url, authorization) {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent, headers: { authorization } }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`${res.statusCode} for ${url}`))));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

async function replay(base, authorization, paths) {
  const started = process.hrtime.bigint();
  for (const relative of paths) await get(`${base}${relative}`, authorization);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

async function main([delayArg = '0', roundsArg = '3', ...clis]) {
  if (!mavenUsable()) throw new Error('mvn or /usr/share/maven-repo is missing.');
  const cliPaths = clis.length ? clis.map((cli) => path.resolve(cli)) : [path.join(PROJECT_DIR, 'bin', 'artifact-cli.js')];
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'artifact-cli-mvn-replay-'));
  process.on('exit', () => rmSync(workDir, { recursive: true, force: true }));
  const tree = path.join(workDir, 'central');
  mirror(DEBIAN_MAVEN_REPO, tree);
  const staticCopy = await startStaticServer({ root: tree, workDir });
  const recordFile = path.join(workDir, 'requests.txt');
  const recorder = await startPassThrough(staticCopy.base, 0, recordFile, workDir);
  const context = { projectDir: PROJECT_DIR };
  mvnPackage(context, workDir, `${recorder.base}/`, undefined, 'record');
  await recorder.process.stop();
  const paths = readFileSync(recordFile, 'utf8')
    .split('\n')
    .filter((line) => line.length > 1)
    .map((line) => line.slice(1));
  const upstream = await startPassThrough(staticCopy.base, Number(delayArg), undefined, workDir);
  const results = new Map(cliPaths.map((cli) => [cli, []]));
  for (let round = 0; round < Number(roundsArg); round++) {
    for (const [index, cliPath] of cliPaths.entries()) {
      const setup = prepareArtifactCli({
        cliPath,
        dir: path.join(workDir, `cli-${round}-${index}`),
        standinUrl: `${upstream.base}/`,
        connection: 'public:maven-central',
      });
      const server = await startArtifactCli(setup);
      const authorization = `Basic ${Buffer.from(`aws:${setup.token}`).toString('base64')}`;
      const base = `${server.base}/${DOMAIN}/maven/${REPOSITORY}/`;
      const before = cpuMs(server.process.pid);
      const cold = await replay(base, authorization, paths);
      const cpu = cpuMs(server.process.pid) - before;
      const warm = await replay(base, authorization, paths);
      results.get(cliPath).push({ cold, warm, cpu, load: readFileSync('/proc/loadavg', 'utf8').split(' ')[0] });
      agent.destroy();
      await server.process.stop();
    }
  }
  await upstream.process.stop();
  await staticCopy.process.stop();
  console.log(`${paths.length} requests replayed one at a time; upstream answers held ${delayArg} ms`);
  for (const [cli, runs] of results) {
    const cold = median(runs.map((run) => run.cold)).toFixed(0);
    const warm = median(runs.map((run) => run.warm)).toFixed(0);
    const cpu = median(runs.map((run) => run.cpu)).toFixed(0);
    console.log(`${cli}: cold ${cold} ms, warm ${warm} ms, server CPU over cold ${cpu} ms; load by round ${runs.map((run) => run.load).join(', ')}`);
  }
}

if (process.argv[2] === 'pass-through') {
  const [target, port, delay, logFile] = process.argv.slice(3);
  passThrough(target, Number(port), Number(delay), logFile || undefined);
} else {
  await main(process.argv.slice(2));
  process.exit(0);
}
