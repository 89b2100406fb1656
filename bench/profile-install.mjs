// Developer tool, not a benchmark module: `node bench/profile-install.mjs <gem|pip> [rounds] [cli...]`
// runs the gem-install or pip-install workload's real client (bundle install, pip install) against
// the static copy, then a fresh artifact-cli cold, then warm, each round, and prints per install
// the wall time and the server's CPU (all threads, then the main thread and the others as user +
// kernel time). The server starts each install once it has used no CPU for half a second, so a
// fresh server's start-up work (temp-file-pool.ts) is not counted as the install's. After the
// cold install, a second one of as many other packages ("cold again") tells the cost of a cold
// package on a server whose code has already run once from the cost of its first requests. With several
// CLI paths (bin/artifact-cli.js of different builds) the rounds take them in turn, for A/B runs.
// BENCH_CPU_PROF=<dir> writes a CPU profile of every server started; STRACE=1 prints the
// server's system calls during each cold install (strace -f -c).
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { DOMAIN, REPOSITORY, prepareArtifactCli, startArtifactCli } from './artifact-cli.mjs';
import { startStaticServer } from './ceiling.mjs';
import * as gem from './gem-install.mjs';
import * as pip from './pip-install.mjs';
import { cpuMs, stopServer, untilIdle } from './processes.mjs';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const [kind = 'gem', roundsArg = '1', ...cliArgs] = process.argv.slice(2);
const rounds = Number(roundsArg);
const clis = cliArgs.length ? cliArgs.map((cli) => path.resolve(cli)) : [path.join(path.dirname(BENCH_DIR), 'bin', 'artifact-cli.js')];

const workloads = {
  gem: {
    connection: 'public:ruby-gems-org',
    build: gem.buildIndex,
    types: { '/gems/': 'application/octet-stream', '/info/': 'text/plain', '/versions': 'text/plain' },
    noEtag: true,
    staticUrl: (base) => `${base}/`,
    serverUrl: (base, token) => `${base.replace('http://', `http://aws:${token}@`)}/${DOMAIN}/ruby/${REPOSITORY}/`,
    install: (workDir, url, label, prefix, onStart = () => undefined) => {
      onStart();
      return gem.bundleInstall(workDir, url, label, prefix);
    },
  },
  pip: {
    connection: 'public:pypi',
    build: pip.buildIndex,
    types: { '/simple/': 'text/html' },
    noEtag: false,
    staticUrl: (base) => `${base}/simple/`,
    serverUrl: (base, token) => `${base.replace('http://', `http://aws:${token}@`)}/${DOMAIN}/pypi/${REPOSITORY}/simple/`,
    install: pip.pipInstall,
  },
};
const workload = workloads[kind];
if (!workload) {
  console.error('usage: node bench/profile-install.mjs <gem|pip> [rounds] [cli...]');
  process.exit(2);
}

// The same per thread: { tid: [user, kernel] } in ms.
const threadCpuMs = (pid) =>
  Object.fromEntries(
    readdirSync(`/proc/${pid}/task`).map((tid) => {
      const fields = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ');
      return [tid, [Number(fields[11]) * 10, Number(fields[12]) * 10]];
    }),
  );

function measured(pid, packages, label, run) {
  let startUs;
  let before;
  let threads;
  // Counted from the client's start (pip makes its venv first).
  const ms = run(() => {
    startUs = process.hrtime.bigint() / 1000n;
    before = cpuMs(pid);
    threads = threadCpuMs(pid);
  });
  const cpu = cpuMs(pid) - before;
  const split = { main: [0, 0], others: [0, 0] };
  for (const [tid, [user, kernel]] of Object.entries(threadCpuMs(pid))) {
    const [userBefore, kernelBefore] = threads[tid] ?? [0, 0];
    const part = split[tid === String(pid) ? 'main' : 'others'];
    part[0] += user - userBefore;
    part[1] += kernel - kernelBefore;
  }
  console.log(
    `  ${label}: ${ms.toFixed(0)} ms, server CPU ${cpu} ms (${(cpu / packages).toFixed(1)} ms a package); ` +
      `main ${split.main[0]}+${split.main[1]} ms, others ${split.others[0]}+${split.others[1]} ms (user+kernel)`,
  );
  // The monotonic clock in µs, as CPU profiles time their samples: a profile can be cut to this pass.
  if (process.env.BENCH_CPU_PROF) console.log(`    window ${startUs} ${process.hrtime.bigint() / 1000n}`);
  return before;
}

/** The server's own time per request, by the kind of request (from its log lines). */
function printLatencies(log) {
  const kinds = new Map();
  for (const match of log.matchAll(/^(GET|HEAD|PUT|POST) \/\S+\/(ruby|pypi)\/\S+?\/(\S*) (\d+) ([\d.]+)ms$/gm)) {
    const rest = match[3];
    const kind = `${match[4]} ${rest.startsWith('simple/') ? (rest.split('/').length > 3 ? 'simple file' : 'simple page') : rest.split('/')[0]}`;
    (kinds.get(kind) ?? kinds.set(kind, []).get(kind)).push(Number(match[5]));
  }
  for (const [kind, times] of kinds) {
    times.sort((a, b) => a - b);
    const at = (fraction) => times[Math.min(times.length - 1, Math.floor(times.length * fraction))].toFixed(1);
    console.log(`    ${kind}: ${times.length}, median ${at(0.5)} / p90 ${at(0.9)} / max ${at(1)} ms, sum ${times.reduce((a, b) => a + b, 0).toFixed(0)} ms`);
  }
}

// PERF_OUT=<file>: `perf record` of the server (cpu-clock, call graphs) during each cold install.
async function startPerf(pid, file) {
  const child = spawn('perf', ['record', '-e', 'cpu-clock', '-F', '2000', '-g', '-p', String(pid), '-o', file], { stdio: 'ignore' });
  await sleep(500);
  return child;
}

async function stopPerf(child) {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGINT');
  await exited;
}

async function startStrace(pid) {
  // STRACE=<file>: every file system call with its path and duration, to that file, instead of the counts.
  const args = process.env.STRACE === '1' ? ['-c'] : ['-T', '-e', 'trace=%file,fsync,fdatasync', '-o', process.env.STRACE];
  const child = spawn('strace', ['-f', ...args, '-p', String(pid)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let output = '';
  child.stderr.on('data', (chunk) => (output += chunk));
  await sleep(500);
  return { child, output: () => output };
}

async function stopStrace(strace) {
  const exited = new Promise((resolve) => strace.child.once('exit', resolve));
  strace.child.kill('SIGINT');
  await exited;
  console.log(strace.output().split('\n').slice(0, 30).join('\n'));
}

const workDir = mkdtempSync(path.join(os.tmpdir(), `artifact-cli-profile-${kind}-`));
const context = { benchDir: BENCH_DIR, workDir, rss: {} };
const packages = workload.build(path.join(workDir, 'index'));
const versionsFile = path.join(workDir, 'index', 'versions');
const firstVersions = kind === 'gem' ? readFileSync(versionsFile, 'utf8') : '';
workload.build(path.join(workDir, 'index'), kind === 'gem' ? 'bh' : 'bq');
// The compact index's versions file names both sets.
if (kind === 'gem') writeFileSync(versionsFile, firstVersions + readFileSync(versionsFile, 'utf8').split('---\n')[1]);
const staticCopy = await startStaticServer({ root: path.join(workDir, 'index'), workDir, types: workload.types, noEtag: workload.noEtag });
try {
  for (let round = 0; round < rounds; round++) {
    for (const [index, cliPath] of clis.entries()) {
      console.log(
        `round ${round + 1}, ${clis.length > 1 ? `cli ${index + 1} (${cliPath})` : cliPath}; load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
      );
      const ms = workload.install(workDir, workload.staticUrl(staticCopy.base), 'static');
      console.log(`  static: ${ms.toFixed(0)} ms`);
      const setup = prepareArtifactCli({
        cliPath,
        dir: path.join(workDir, `artifact-cli-${round}-${index}`),
        standinUrl: `${staticCopy.base}/`,
        connection: workload.connection,
      });
      const server = await startArtifactCli(setup);
      const pid = server.process.pid;
      const url = workload.serverUrl(server.base, setup.token);
      try {
        for (const [pass, prefix] of [
          ['cold', undefined],
          ['cold again', kind === 'gem' ? 'bh' : 'bq'],
          ['warm', undefined],
        ]) {
          await untilIdle(pid);
          const strace = process.env.STRACE && pass === 'cold' ? await startStrace(pid) : undefined;
          const perf = process.env.PERF_OUT && pass !== 'warm' ? await startPerf(pid, `${process.env.PERF_OUT}-${pass.replace(/\W+/g, '-')}`) : undefined;
          const logStart = server.process.log().length;
          const before = measured(pid, packages, pass, (onStart) => workload.install(workDir, url, pass, prefix, onStart));
          if (strace) await stopStrace(strace);
          if (perf) await stopPerf(perf);
          // What the pass used up of the ready files is made again once the server is idle: the
          // same work, done later, and counted here whenever it happened.
          await untilIdle(pid);
          const all = cpuMs(pid) - before;
          console.log(`    until idle again (ready files made again): server CPU ${all} ms (${(all / packages).toFixed(1)} ms a package)`);
          await sleep(100);
          printLatencies(server.process.log().slice(logStart));
        }
      } finally {
        await stopServer(context, server);
      }
    }
  }
} finally {
  await stopServer(context, staticCopy);
  rmSync(workDir, { recursive: true, force: true });
}
