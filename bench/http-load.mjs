// Workload 2: 32 connections for 10 s against the abbreviated packument, the full packument and
// a tarball of a mid-size package (express-sized: 288 versions, 51 KB tarball), with a token on
// every request, through artifact-cli and Verdaccio (both caching it from the stand-in), and
// the same bytes from nginx (static files) and from a bare node:http server holding them in
// memory (issue 3's baseline).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { prepareArtifactCli, startArtifactCli } from './artifact-cli.mjs';
import { startMemoryServer, startStaticServer } from './ceiling.mjs';
import { MID_SIZE_PACKAGE, ensureUniverse, tarballPath } from './fixtures.mjs';
import { measureLoad, timeGet } from './load.mjs';
import { stopServer } from './processes.mjs';
import { median } from './report.mjs';
import { startStandin } from './standin-registry.mjs';
import { startVerdaccio, verdaccioInstalled } from './verdaccio.mjs';

export const name = 'http';
export const description = 'requests/s and p99 at 32 connections for 10 s (5 slices of 2 s taken in turn), token on every request';

const ABBREVIATED = 'application/vnd.npm.install-v1+json';
const SECONDS = 10;
// Slices of whole seconds (wrk takes no fractions).
const ROUNDS = 5;

const KINDS = [
  { kind: 'abbreviated packument', file: 'abbreviated.json', type: ABBREVIATED, path: MID_SIZE_PACKAGE, accept: ABBREVIATED },
  { kind: 'full packument', file: 'full.json', type: 'application/json', path: MID_SIZE_PACKAGE, accept: 'application/json' },
  { kind: 'tarball', file: 'tarball.tgz', type: 'application/octet-stream', path: tarballPath(MID_SIZE_PACKAGE, '4.17.3') },
];

export async function run(context) {
  const workDir = path.join(context.workDir, 'http');
  mkdirSync(workDir, { recursive: true });
  const universe = ensureUniverse();
  const standin = await startStandin(universe.dir, path.join(workDir, 'standin.log'));
  const servers = [];
  const rows = [];
  try {
    const artifact = await startArtifactCli(prepareArtifactCli({ cliPath: context.cliPath, dir: path.join(workDir, 'artifact-cli'), standinUrl: standin.url }));
    servers.push(artifact);
    if (verdaccioInstalled(context.benchDir))
      servers.push(await startVerdaccio({ benchDir: context.benchDir, dir: path.join(workDir, 'verdaccio'), standinUrl: standin.url }));

    // Through each registry once (this fetches and keeps it), then keep artifact-cli's bytes
    // for the ceilings, so all four answer exactly the same body.
    const staticDir = path.join(workDir, 'static');
    mkdirSync(staticDir, { recursive: true });
    const memoryBodies = {};
    for (const item of KINDS) {
      for (const server of servers) {
        const { body } = await timeGet(`${server.registry}${item.path}`, headersFor(server, item));
        if (server === artifact) {
          writeFileSync(path.join(staticDir, item.file), body);
          memoryBodies[`/${item.file}`] = { file: path.join(staticDir, item.file), type: item.type };
        }
      }
    }
    const staticServer = await startStaticServer({ root: staticDir, workDir, types: { '/abbreviated.json': ABBREVIATED } });
    const memory = await startMemoryServer({ bodies: memoryBodies, workDir });
    servers.push(staticServer, memory);

    // Each server gets its 10 s in ROUNDS slices taken in turn with the others', not in one go:
    // this VM's speed drifts within minutes, and back-to-back blocks would compare a server
    // measured in a fast minute with one measured in a slow one. Rate and p99 are each the
    // median slice's.
    for (const item of KINDS) {
      const slices = new Map(servers.map((server) => [server, []]));
      for (let round = 0; round < ROUNDS; round++) {
        for (const server of servers) {
          const url = server.registry ? `${server.registry}${item.path}` : `${server.base}/${item.file}`;
          slices.get(server).push(await measureLoad(context, { url, headers: headersFor(server, item), seconds: SECONDS / ROUNDS }));
        }
      }
      for (const [server, results] of slices) {
        rows.push({
          request: item.kind,
          server: server.name,
          rps: median(results.map((result) => result.rps)),
          p99_ms: median(results.map((result) => result.p99_ms)),
          failed: results.reduce((sum, result) => sum + result.failed, 0),
        });
      }
    }
  } finally {
    for (const server of servers) await stopServer(context, server);
    await stopServer(context, { name: 'stand-in', process: standin.process });
  }
  return { rows: withRatios(rows), checks: checksOf(rows) };
}

function headersFor(server, item) {
  const headers = {};
  if (server.token) headers.authorization = `Bearer ${server.token}`;
  if (item.accept) headers.accept = item.accept;
  return headers;
}

function withRatios(rows) {
  const rps = (request, server) => rows.find((row) => row.request === request && row.server === server)?.rps;
  return rows.map((row) => {
    if (row.server !== 'artifact-cli') return { ...row, vs_verdaccio: '', vs_static: '', vs_memory: '' };
    const ratio = (other) => (rps(row.request, other) ? row.rps / rps(row.request, other) : '');
    return { ...row, vs_verdaccio: ratio('verdaccio'), vs_static: ratio('nginx') || ratio('node-static'), vs_memory: ratio('node-memory') };
  });
}

function checksOf(rows) {
  const checks = [];
  const find = (request, server) => rows.find((row) => row.request === request && row.server === server);
  for (const item of KINDS) {
    const ours = find(item.kind, 'artifact-cli');
    if (!ours) continue;
    const tarball = item.kind === 'tarball';
    const targets = [
      ['verdaccio', tarball ? 10 : 100, 'issue 9'],
      ['nginx', tarball ? 0.3 : 0.5, 'issue 9'],
      ['node-static', tarball ? 0.3 : 0.5, 'issue 9'],
      ['node-memory', tarball ? 0.7 : 0.6, 'issue 3'],
    ];
    for (const [other, target, issue] of targets) {
      const theirs = find(item.kind, other);
      if (!theirs) continue;
      const ratio = ours.rps / theirs.rps;
      checks.push({
        name: `${item.kind} req/s vs ${other} (${issue})`,
        pass: ratio >= target,
        detail: `${ours.rps.toFixed(0)} vs ${theirs.rps.toFixed(0)} = ${ratio.toFixed(2)}x (target: at least ${target}x)`,
      });
    }
    checks.push({
      name: `${item.kind} p99 (issue 9)`,
      pass: ours.p99_ms < 20 && ours.failed === 0,
      detail: `${ours.p99_ms.toFixed(1)} ms, ${ours.failed} failed (target: under 20 ms, none failed)`,
    });
  }
  return checks;
}
