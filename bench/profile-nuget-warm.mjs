// Developer tool, not a benchmark module: `node bench/profile-nuget-warm.mjs [servers] [warm]`
// replays the nuget-restore workload's `dotnet restore` of 30 packages as its warm row sees it:
// a fresh server, idle after its start, restores the 30 cold, and once it is idle again
// restores them `warm` more times (3 unless told), each once the server is idle, for `servers`
// fresh servers (3 unless told). For each restore it prints the wall time, the server's CPU
// (all threads, from schedstat) and the server's own time per kind of request, summed from its
// request log: the service index, the 30 versions lists, the 30 .nupkg files. The first warm
// restore is the bench's warm row; the later ones show what it would cost once nothing is left
// from the cold one.
import { mkdirSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DOMAIN, REPOSITORY, prepareArtifactCli, startArtifactCli } from './artifact-cli.mjs';
import { startStaticServer } from './ceiling.mjs';
import { buildFeed, restore } from './nuget-restore.mjs';
import { cpuMsAllThreads as cpuMs, stopServer, untilIdle } from './processes.mjs';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const servers = Number(process.argv[2] ?? 3);
const warmRestores = Number(process.argv[3] ?? 3);
const cliPath = path.join(BENCH_DIR, '..', 'bin', 'artifact-cli.js');
const workDir = mkdtempSync(path.join(os.tmpdir(), 'artifact-cli-profile-nuget-warm-'));
const context = { benchDir: BENCH_DIR, workDir, rss: {} };

/** The server's time per kind of request, from the request log lines written since `offset`. */
function requestTimes(logFile, offset) {
  const text = readFileSync(logFile).subarray(offset).toString();
  const sums = { service: 0, versions: 0, nupkg: 0 };
  for (const [, url, ms] of text.matchAll(/^GET (\S+) \d+ ([\d.]+)ms$/gm)) {
    const kind = url.endsWith('/v3/index.json')
      ? 'service'
      : url.endsWith('.nupkg')
        ? 'nupkg'
        : /\/v3\/package\/[^/]+\/index\.json$/.test(url)
          ? 'versions'
          : undefined;
    if (kind) sums[kind] += Number(ms);
  }
  return `server time: service index ${sums.service.toFixed(1)}, versions lists ${sums.versions.toFixed(1)}, nupkgs ${sums.nupkg.toFixed(1)} ms`;
}

const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const feedDir = path.join(workDir, 'feed');
mkdirSync(feedDir, { recursive: true });
const staticCopy = await startStaticServer({ root: feedDir, workDir });
const ids = buildFeed(feedDir, staticCopy.base);
const staticIndex = `${staticCopy.base}/v3/index.json`;
try {
  await restore(staticIndex, ids);
  for (let round = 0; round < servers; round++) {
    const setup = prepareArtifactCli({ cliPath, dir: path.join(workDir, `server-${round}`), standinUrl: staticIndex, connection: 'public:nuget-org' });
    const server = await startArtifactCli(setup);
    const pid = server.process.pid;
    const serviceIndex = `${server.base}/${DOMAIN}/nuget/${REPOSITORY}/v3/index.json`;
    const headers = { authorization: `Basic ${Buffer.from(`aws:${setup.token}`).toString('base64')}` };
    const lines = [];
    const measure = async (label) => {
      await untilIdle(pid);
      const offset = statSync(server.process.logFile).size;
      const before = cpuMs(pid);
      const ms = await restore(serviceIndex, ids, headers);
      const cpu = cpuMs(pid) - before;
      // Request log lines are written in batches at most 50 ms apart (src/server/serve.ts).
      await new Promise((resolve) => setTimeout(resolve, 120));
      lines.push(`  ${label}: ${ms.toFixed(1)} ms, CPU ${cpu.toFixed(1)} ms; ${requestTimes(server.process.logFile, offset)}`);
    };
    await measure('cold');
    for (let warm = 1; warm <= warmRestores; warm++) await measure(`warm ${warm}`);
    console.log(`server ${round} (load ${load()}):\n${lines.join('\n')}`);
    await stopServer(context, server);
  }
} finally {
  await stopServer(context, staticCopy);
}
