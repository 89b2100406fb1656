// Developer tool, not a benchmark module: `node bench/hot-ab.mjs <kind> <seconds> <rounds> <cli>...`
// serves the http workload's package through each build given (bin/artifact-cli.js of other
// checkouts), a fresh server each, in turns round by round, and prints each build's req/s of
// one kind of request (abbreviated, full, tarball): for A/B runs of a change that may cost hot answers.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareArtifactCli, startArtifactCli } from './artifact-cli.mjs';
import { MID_SIZE_PACKAGE, ensureUniverse, tarballPath } from './fixtures.mjs';
import { measureLoad, timeGet } from './load.mjs';
import { stopServer } from './processes.mjs';
import { startStandin } from './standin-registry.mjs';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const KINDS = {
  abbreviated: { path: MID_SIZE_PACKAGE, accept: 'application/vnd.npm.install-v1+json' },
  full: { path: MID_SIZE_PACKAGE, accept: 'application/json' },
  tarball: { path: tarballPath(MID_SIZE_PACKAGE, '4.17.3') },
};
const [kind = 'abbreviated', secondsArg = '5', roundsArg = '3', ...clis] = process.argv.slice(2);
if (!KINDS[kind] || clis.length === 0) {
  console.error('usage: node bench/hot-ab.mjs <abbreviated|full|tarball> <seconds> <rounds> <cli>...');
  process.exit(2);
}
const workDir = mkdtempSync(path.join(os.tmpdir(), 'artifact-cli-hot-ab-'));
const context = { benchDir: BENCH_DIR, workDir, rss: {} };
const standin = await startStandin(ensureUniverse().dir, path.join(workDir, 'standin.log'));
const results = Object.fromEntries(clis.map((cli) => [cli, []]));
let serial = 0;
try {
  for (let round = 0; round < Number(roundsArg); round++) {
    for (const cli of clis) {
      const setup = prepareArtifactCli({ cliPath: path.resolve(cli), dir: path.join(workDir, `server-${serial++}`), standinUrl: standin.url });
      const server = await startArtifactCli(setup);
      try {
        const item = KINDS[kind];
        const headers = { authorization: `Bearer ${server.token}`, ...(item.accept ? { accept: item.accept } : {}) };
        await timeGet(`${server.registry}${item.path}`, headers);
        const result = await measureLoad(context, { url: `${server.registry}${item.path}`, headers, seconds: Number(secondsArg) });
        results[cli].push(Math.round(result.rps));
      } finally {
        await stopServer(context, server);
      }
    }
  }
} finally {
  await stopServer(context, { name: 'stand-in', process: standin.process });
  rmSync(workDir, { recursive: true, force: true });
}
for (const [cli, values] of Object.entries(results)) console.log(cli, JSON.stringify(values));
