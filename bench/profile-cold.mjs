// Developer tool, not a benchmark module: `node bench/profile-cold.mjs [concurrency] [rounds]`
// asks a fresh artifact-cli (external connection to the stand-in) for every tarball of the
// npm-ci workload's lockfile, `concurrency` at a time (16 by default, about what npm uses), with
// no npm in the way, then asks for them all again (warm). Each pass prints the wall time, the server's CPU time (all its threads,
// from /proc; then split into the main thread and the rest, mostly libuv's thread pool doing
// file system calls, each as user and kernel time; counted until the server is idle again, so
// work left behind an answer counts too) and the latency of the cold requests, and
// writes a CPU profile of the server (node --cpu-prof) to bench/results/profiles/ unless
// NO_PROFILE is set. STRACE=<file> traces the server's system calls during each cold pass
// (`strace -f`, file and descriptor calls) into <file>.<round> and prints them counted per package.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareArtifactCli, startArtifactCli } from './artifact-cli.mjs';
import { REGISTRY_PLACEHOLDER, ensureUniverse } from './fixtures.mjs';
import { stopServer } from './processes.mjs';
import { startStandin } from './standin-registry.mjs';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const concurrency = Number(process.argv[2] ?? 16);
const rounds = Number(process.argv[3] ?? 1);
const universe = ensureUniverse();
let lock;
try {
  lock = JSON.parse(readFileSync(path.join(universe.dir, 'package-lock.json'), 'utf8'));
} catch {
  console.error('No lockfile in the fixture cache yet: run `npm run bench -- npm-ci` once first.');
  process.exit(2);
}
const tarballs = Object.values(lock.packages)
  .map((entry) => entry.resolved)
  .filter(Boolean);
const profileDir = path.join(BENCH_DIR, 'results', 'profiles');
mkdirSync(profileDir, { recursive: true });
if (!process.env.NO_PROFILE) process.env.BENCH_CPU_PROF = profileDir;

const workDir = mkdtempSync(path.join(os.tmpdir(), 'artifact-cli-profile-cold-'));
const context = { benchDir: BENCH_DIR, workDir, rss: {} };
const standin = await startStandin(universe.dir, path.join(workDir, 'standin.log'));
// utime + stime of every thread of the process, in milliseconds (the kernel counts in 1/100 s).
const cpuMs = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
};
// The same per thread: { tid: [user, kernel] }.
const threadCpuMs = (pid) =>
  Object.fromEntries(
    readdirSync(`/proc/${pid}/task`).map((tid) => {
      const fields = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ');
      return [tid, [Number(fields[11]) * 10, Number(fields[12]) * 10]];
    }),
  );
const at = (sorted, fraction) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))].toFixed(1);

/** Every tarball of the lockfile through `server`, `concurrency` at a time; prints what it cost. */
async function downloadAll(server, pid, label) {
  const cpuBefore = cpuMs(pid);
  const threadsBefore = threadCpuMs(pid);
  const latencies = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < tarballs.length) {
        const url = tarballs[next++].replace(REGISTRY_PLACEHOLDER, server.registry);
        const begun = performance.now();
        const response = await fetch(url, { headers: { authorization: `Bearer ${server.token}` } });
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
        latencies.push(performance.now() - begun);
      }
    }),
  );
  const wallMs = performance.now() - started;
  // Work left behind the answers counts too, up to the moment the server has used no CPU for
  // 100 ms (its temp-file pool waits 250 ms of quiet to refill).
  let settledCpu = cpuMs(pid);
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = cpuMs(pid);
    if (now === settledCpu) break;
    settledCpu = now;
  }
  const serverCpuMs = settledCpu - cpuBefore;
  latencies.sort((a, b) => a - b);
  console.log(
    `${label}: ${tarballs.length} tarballs, ${concurrency} at a time: ${wallMs.toFixed(0)} ms, server CPU ${serverCpuMs} ms ` +
      `(${(serverCpuMs / tarballs.length).toFixed(2)} ms a package), latency median ${at(latencies, 0.5)} / p90 ${at(latencies, 0.9)} / max ${at(latencies, 1)} ms`,
  );
  const split = { main: [0, 0], others: [0, 0] };
  for (const [tid, [user, kernel]] of Object.entries(threadCpuMs(pid))) {
    const [userBefore, kernelBefore] = threadsBefore[tid] ?? [0, 0];
    const part = split[tid === String(pid) ? 'main' : 'others'];
    part[0] += user - userBefore;
    part[1] += kernel - kernelBefore;
  }
  console.log(`  main thread ${split.main[0]} ms user + ${split.main[1]} ms kernel; other threads ${split.others[0]} ms user + ${split.others[1]} ms kernel`);
}

/** strace attached to the server until stop(); then prints its calls per package. */
async function startTrace(pid, file) {
  const calls =
    'trace=openat,mkdir,mkdirat,rename,renameat,renameat2,link,linkat,unlink,unlinkat,fsync,fdatasync,write,writev,pwrite64,close,statx,newfstatat,fstat,utimensat,read,pread64';
  const child = spawn('strace', ['-f', '-qq', '-e', calls, '-o', file, '-p', String(pid)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  // strace prints nothing once attached (-qq): give it a moment to attach to every thread.
  await new Promise((resolve) => setTimeout(resolve, 500));
  if (child.exitCode !== null) throw new Error(`strace could not attach: ${stderr}`);
  return {
    async stop() {
      child.kill('SIGINT');
      await new Promise((resolve) => child.once('exit', resolve));
      const counts = {};
      const pending = new Map();
      const count = (name, line) => {
        const key = /= -1 E\w+/.test(line) ? `${name} (failed)` : name;
        counts[key] = (counts[key] ?? 0) + 1;
      };
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        const match = /^(\d+)\s+(?:<\.\.\. )?(\w+)(\(| resumed>)(.*)$/.exec(line);
        if (!match) continue;
        const [, tid, call, kind, rest] = match;
        // A call another thread interrupted comes in two lines: its name first, its result later.
        if (kind === ' resumed>') {
          if (pending.has(tid)) count(pending.get(tid), rest);
          pending.delete(tid);
          continue;
        }
        const name = call === 'openat' && rest.includes('O_CREAT') ? 'openat(O_CREAT)' : call;
        if (rest.endsWith('<unfinished ...>')) pending.set(tid, name);
        else count(name, rest);
      }
      const rows = Object.entries(counts).sort((a, b) => b[1] - a[1]);
      console.log(`  system calls per cold package (${file}): ${rows.map(([name, count]) => `${name} ${(count / tarballs.length).toFixed(2)}`).join(', ')}`);
    },
  };
}

try {
  for (let round = 1; round <= rounds; round++) {
    const setup = prepareArtifactCli({
      cliPath: path.join(path.dirname(BENCH_DIR), 'bin', 'artifact-cli.js'),
      dir: path.join(workDir, `round-${round}`),
      standinUrl: standin.url,
    });
    const server = await startArtifactCli(setup);
    // npm's own start-up gives a server about this long before its first download; the server
    // uses it to make its temp files ahead (src/store/temp-file-pool.ts).
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const pid = server.process.child.pid;
    // Cold, then the same downloads again from what the cold pass stored (a warm npm ci).
    for (const pass of ['cold', 'warm']) {
      const trace = pass === 'cold' && process.env.STRACE ? await startTrace(pid, `${process.env.STRACE}.${round}`) : undefined;
      await downloadAll(server, pid, `round ${round} ${pass}`);
      if (trace) await trace.stop();
    }
    await stopServer(context, server);
  }
} finally {
  await stopServer(context, { name: 'stand-in', process: standin.process });
  rmSync(workDir, { recursive: true, force: true });
}
if (!process.env.NO_PROFILE) console.log(`profiles written to ${path.relative(process.cwd(), profileDir)}`);
