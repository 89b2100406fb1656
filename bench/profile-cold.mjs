// Developer tool, not a benchmark module: `node bench/profile-cold.mjs [concurrency] [rounds]`
// asks a fresh artifact-cli (external connection to the stand-in) for every tarball of the
// npm-ci workload's lockfile, `concurrency` at a time (16 by default, about what npm uses), with
// no npm in the way, then asks for them all again (warm). Each pass prints the wall time, the server's CPU time (all its threads,
// from /proc; then split into the main thread and the rest, mostly libuv's thread pool doing
// file system calls, each as user and kernel time) and the latency of the cold requests, and
// writes a CPU profile of the server (node --cpu-prof) to bench/results/profiles/ unless
// NO_PROFILE is set.
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
  const serverCpuMs = cpuMs(pid) - cpuBefore;
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
    for (const pass of ['cold', 'warm']) await downloadAll(server, pid, `round ${round} ${pass}`);
    await stopServer(context, server);
  }
} finally {
  await stopServer(context, { name: 'stand-in', process: standin.process });
  rmSync(workDir, { recursive: true, force: true });
}
if (!process.env.NO_PROFILE) console.log(`profiles written to ${path.relative(process.cwd(), profileDir)}`);
