// Developer tool, not a benchmark module: `node bench/profile-nuget-cold.mjs [rounds]` replays
// the nuget-restore workload's `dotnet restore` of 30 packages through a fresh artifact-cli
// whose public:nuget-org connection points at the static copy, and splits the server's CPU:
// - cold: the first restore of a fresh server, once the server is idle after its start (its
//   temp-file pool made, src/store/temp-file-pool.ts), as the nuget-restore row sees it;
// - cold again: 30 other packages of the same feed through the same server right after, so
//   the difference to "cold" is what a fresh process pays once (V8 compiling and optimizing
//   the code the first requests run, first connections), not per package;
// - warm: the first 30 again, three times (the first right after the cold restores).
// CPU is every thread's time on a CPU from /proc/<pid>/task/*/schedstat (nanoseconds), finer
// than the 10 ms ticks of /proc/<pid>/stat; each line gives the load average.
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DOMAIN, REPOSITORY, prepareArtifactCli, startArtifactCli } from './artifact-cli.mjs';
import { startStaticServer } from './ceiling.mjs';
import { buildFeed, restore } from './nuget-restore.mjs';
import { cpuMsAllThreads as cpuMs, stopServer, untilIdle } from './processes.mjs';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const rounds = Number(process.argv[2] ?? 3);
const cliPath = path.join(BENCH_DIR, '..', 'bin', 'artifact-cli.js');
const workDir = mkdtempSync(path.join(os.tmpdir(), 'artifact-cli-profile-nuget-'));
const context = { benchDir: BENCH_DIR, workDir, rss: {} };

const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const feedDir = path.join(workDir, 'feed');
mkdirSync(feedDir, { recursive: true });
const staticCopy = await startStaticServer({ root: feedDir, workDir });
const ids = buildFeed(feedDir, staticCopy.base);
const otherIds = buildFeed(feedDir, staticCopy.base, 'Other.Q');
const staticIndex = `${staticCopy.base}/v3/index.json`;
try {
  await restore(staticIndex, ids);
  for (let round = 0; round < rounds; round++) {
    const staticMs = await restore(staticIndex, ids);
    const setup = prepareArtifactCli({ cliPath, dir: path.join(workDir, `round-${round}`), standinUrl: staticIndex, connection: 'public:nuget-org' });
    const server = await startArtifactCli(setup);
    const pid = server.process.pid;
    const serviceIndex = `${server.base}/${DOMAIN}/nuget/${REPOSITORY}/v3/index.json`;
    const headers = { authorization: `Basic ${Buffer.from(`aws:${setup.token}`).toString('base64')}` };
    const startCpu = cpuMs(pid);
    await untilIdle(pid);
    const idleCpu = cpuMs(pid);
    const measure = async (names) => {
      const before = cpuMs(pid);
      const ms = await restore(serviceIndex, names, headers);
      return `${ms.toFixed(0)} ms, CPU ${((cpuMs(pid) - before) / names.length).toFixed(2)} ms/package`;
    };
    const cold = await measure(ids);
    const coldAgain = await measure(otherIds);
    const warm = [await measure(ids), await measure(ids), await measure(ids)];
    console.log(
      `round ${round} (load ${load()}): static ${staticMs.toFixed(0)} ms | start-up CPU ${startCpu.toFixed(0)} ms, pool ${(idleCpu - startCpu).toFixed(0)} ms | cold ${cold} | cold again ${coldAgain} | warm ${warm.join('; ')}`,
    );
    await stopServer(context, server);
  }
} finally {
  await stopServer(context, staticCopy);
}
