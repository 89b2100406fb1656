// Developer tool, not a benchmark module: `node bench/profile-cargo.mjs [rounds] [variant...]`
// times the cargo-fetch workload's cold `cargo fetch` of 30 crates on a fresh server ("fresh"),
// and on another fresh server right after a cold fetch of 30 other crates ("warmed": its code has
// run once), with the server's CPU per crate (all threads, from schedstat). A variant is a quoted
// list of node flags for the server ('' for none), optionally starting with cli=<path to another
// build's bin/artifact-cli.js>; several variants take the rounds in turn.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DOMAIN, REPOSITORY, prepareArtifactCli, startArtifactCli } from './artifact-cli.mjs';
import { buildTree, cargoFetch, findCargo, writeProject } from './cargo-fetch.mjs';
import { startStaticServer } from './ceiling.mjs';
import { cpuMsAllThreads, untilIdle } from './processes.mjs';
import { median } from './report.mjs';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const [roundsArg = '3', ...variantArgs] = process.argv.slice(2);
const variants = variantArgs.length ? variantArgs : [''];
const cliPath = process.env.BENCH_CLI ? path.resolve(process.env.BENCH_CLI) : path.join(path.dirname(BENCH_DIR), 'bin', 'artifact-cli.js');
const cargo = findCargo();
if (!cargo) throw new Error('cargo 1.74 or later is not installed');

const workDir = mkdtempSync(path.join(os.tmpdir(), 'profile-cargo-'));
let serial = 0;

/** Cold fetches of `projects` in order on one fresh server; their wall times and CPU per crate. */
async function fetchesOnFreshServer(variant, staticCopy, projects) {
  const words = variant.split(' ').filter(Boolean);
  const cli = words[0]?.startsWith('cli=') ? path.resolve(words.shift().slice(4)) : cliPath;
  const setup = prepareArtifactCli({
    cliPath: cli,
    dir: path.join(workDir, `server-${serial++}`),
    standinUrl: `${staticCopy.base}/index/`,
    connection: 'public:crates-io',
  });
  setup.nodeArgs = words;
  const server = await startArtifactCli(setup);
  const pid = server.process.pid;
  try {
    const out = [];
    for (const project of projects) {
      await untilIdle(pid);
      // STRACE=<file>: the server's file system calls during each cold fetch, appended to <file>.<n>.
      const tracer = process.env.STRACE
        ? spawn('strace', ['-f', '-qq', '-tt', '-T', '-e', 'trace=%file,%desc', '-o', `${process.env.STRACE}.${serial}-${out.length}`, '-p', String(pid)], {
            stdio: 'ignore',
          })
        : undefined;
      if (tracer) await new Promise((resolve) => setTimeout(resolve, 500));
      const before = cpuMsAllThreads(pid);
      const logBefore = server.process.log().length;
      const ms = cargoFetch(cargo, workDir, project, `${server.base}/${DOMAIN}/cargo/${REPOSITORY}/`, setup.token, `s${serial}`);
      const cpu = (cpuMsAllThreads(pid) - before) / 30;
      if (tracer) {
        tracer.kill('SIGINT');
        await new Promise((resolve) => tracer.once('exit', resolve));
      }
      await new Promise((resolve) => setTimeout(resolve, 100)); // the request log is written in batches
      const log = server.process.log().slice(logBefore);
      if (process.env.VERBOSE) out.timing = [...log.matchAll(/^TIMING (.*)$/gm)].map((m) => m[1]);
      out.push({ ms, cpu, requests: serverTimes(log), timing: out.timing });
    }
    return out;
  } finally {
    await server.process.stop();
  }
}

/** The server's own time per kind of request, from its request log lines (`GET <path> <status> <ms>ms`). */
function serverTimes(log) {
  const kinds = {};
  for (const [, pathname, ms] of log.matchAll(/^GET (\S+) \d+ ([\d.]+)ms$/gm)) {
    const kind = pathname.endsWith('/download') || pathname.endsWith('.crate') ? 'crate' : pathname.endsWith('config.json') ? 'config' : 'index';
    const entry = (kinds[kind] ??= { count: 0, values: [] });
    entry.count += 1;
    entry.values.push(Number(ms));
  }
  return Object.entries(kinds)
    .map(([kind, { count, values }]) => `${kind} ${count}: sum ${values.reduce((a, b) => a + b, 0).toFixed(0)} ms, median ${median(values).toFixed(2)}`)
    .join('; ');
}

async function main() {
  const tree = path.join(workDir, 'tree');
  mkdirSync(tree, { recursive: true });
  const staticCopy = await startStaticServer({ root: tree, workDir, types: { '/index/': 'text/plain', '/crates/': 'application/gzip' } });
  const [measured, other] = ['bench-fetch', 'bench-other'].map((prefix) => {
    const project = path.join(workDir, `project-${prefix}`);
    writeProject(project, buildTree(tree, staticCopy.base, prefix));
    return project;
  });
  const results = Object.fromEntries(variants.map((variant) => [variant, { static: [], fresh: [], freshCpu: [], warmed: [], warmedCpu: [] }]));
  try {
    for (let round = 0; round < Number(roundsArg); round++) {
      for (const variant of variants) {
        const r = results[variant];
        r.static.push(cargoFetch(cargo, workDir, measured, `${staticCopy.base}/index/`, undefined, 'static'));
        const [fresh] = await fetchesOnFreshServer(variant, staticCopy, [measured]);
        r.fresh.push(fresh.ms);
        r.freshCpu.push(fresh.cpu);
        if (process.env.VERBOSE) console.log(`  fresh [${variant}]: ${fresh.requests}`);
        const [, warmed] = await fetchesOnFreshServer(variant, staticCopy, [other, measured]);
        r.warmed.push(warmed.ms);
        r.warmedCpu.push(warmed.cpu);
        if (process.env.VERBOSE) console.log(`  warmed [${variant}]: ${warmed.requests}\n    ${warmed.timing?.join('\n    ')}`);
      }
    }
  } finally {
    await staticCopy.process.stop();
  }
  const list = (values, digits = 0) => values.map((v) => v.toFixed(digits)).join(', ');
  for (const variant of variants) {
    const r = results[variant];
    console.log(`[${variant || 'default'}] static ${list(r.static)} (median ${median(r.static).toFixed(0)})`);
    console.log(
      `  fresh cold  ${list(r.fresh)} ms (median ${median(r.fresh).toFixed(0)}, ${(median(r.fresh) / median(r.static)).toFixed(2)}x); CPU per crate ${list(r.freshCpu, 1)} (median ${median(r.freshCpu).toFixed(2)})`,
    );
    console.log(
      `  warmed cold ${list(r.warmed)} ms (median ${median(r.warmed).toFixed(0)}, ${(median(r.warmed) / median(r.static)).toFixed(2)}x); CPU per crate ${list(r.warmedCpu, 1)} (median ${median(r.warmedCpu).toFixed(2)})`,
    );
  }
}

try {
  await main();
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
