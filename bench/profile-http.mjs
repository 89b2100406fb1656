// Developer tool, not a benchmark module: `node bench/profile-http.mjs [kind] [seconds]` serves
// the http workload's package through artifact-cli alone (stand-in upstream, token on every
// request), drives one kind of request with wrk or autocannon and writes a CPU profile of the
// server (node --cpu-prof) to bench/results/profiles/. Open the .cpuprofile in Chrome DevTools.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareArtifactCli, startArtifactCli } from './artifact-cli.mjs';
import { MID_SIZE_PACKAGE, ensureUniverse, tarballPath } from './fixtures.mjs';
import { measureLoad, timeGet } from './load.mjs';
import { stopServer } from './processes.mjs';
import { startStandin } from './standin-registry.mjs';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const ABBREVIATED = 'application/vnd.npm.install-v1+json';
const KINDS = {
  abbreviated: { path: MID_SIZE_PACKAGE, accept: ABBREVIATED },
  full: { path: MID_SIZE_PACKAGE, accept: 'application/json' },
  tarball: { path: tarballPath(MID_SIZE_PACKAGE, '4.17.3') },
};
const kind = process.argv[2] ?? 'abbreviated';
const seconds = Number(process.argv[3] ?? 10);
if (!KINDS[kind]) {
  console.error(`usage: node bench/profile-http.mjs [${Object.keys(KINDS).join('|')}] [seconds]`);
  process.exit(2);
}
const profileDir = path.join(BENCH_DIR, 'results', 'profiles');
mkdirSync(profileDir, { recursive: true });
const workDir = mkdtempSync(path.join(os.tmpdir(), 'artifact-cli-profile-'));
const context = { benchDir: BENCH_DIR, workDir, rss: {} };
const standin = await startStandin(ensureUniverse().dir, path.join(workDir, 'standin.log'));
if (!process.env.NO_PROFILE) process.env.BENCH_CPU_PROF = profileDir;
const setup = prepareArtifactCli({
  cliPath: path.join(path.dirname(BENCH_DIR), 'bin', 'artifact-cli.js'),
  dir: path.join(workDir, 'artifact-cli'),
  standinUrl: standin.url,
});
const server = await startArtifactCli(setup);
try {
  const item = KINDS[kind];
  const headers = { authorization: `Bearer ${server.token}`, ...(item.accept ? { accept: item.accept } : {}) };
  await timeGet(`${server.registry}${item.path}`, headers);
  const result = await measureLoad(context, { url: `${server.registry}${item.path}`, headers, seconds });
  console.log(JSON.stringify({ kind, ...result }));
} finally {
  await stopServer(context, server);
  await stopServer(context, { name: 'stand-in', process: standin.process });
  rmSync(workDir, { recursive: true, force: true });
}
console.log(`profile written to ${path.relative(process.cwd(), profileDir)}`);
