// Workload 4: 100 sequential `npm publish` of small packages (bench-pub-001 ... 100) to
// artifact-cli and to Verdaccio, taking turns so a burst of load on the machine hits both alike.
// npm's own share is measured against a stub registry that accepts every publish at once; the
// server's share is the rest (for artifact-cli also read from its request log).
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareArtifactCli, startArtifactCli } from './artifact-cli.mjs';
import { runNpm, writeNpmrc } from './npm-client.mjs';
import { freePort, startProcess, stopServer, waitForHttp } from './processes.mjs';
import { median } from './report.mjs';
import { startVerdaccio, verdaccioInstalled } from './verdaccio.mjs';

export const name = 'publish';
export const description = '100 sequential `npm publish` of small packages: total seconds and per publish (ms)';

const SELF = fileURLToPath(import.meta.url);
const COUNT = Number(process.env.BENCH_PUBLISH_COUNT ?? 100);
const STUB_COUNT = Math.min(15, COUNT);

function makePackages(dir, count, prefix) {
  return Array.from({ length: count }, (_, index) => {
    const name = `${prefix}-${String(index + 1).padStart(3, '0')}`;
    const packageDir = path.join(dir, name);
    mkdirSync(packageDir, { recursive: true });
    writeFileSync(
      path.join(packageDir, 'package.json'),
      JSON.stringify({ name, version: '1.0.0', description: `${name} for the benchmark`, main: 'index.js', license: 'MIT' }, null, 2),
    );
    writeFileSync(path.join(packageDir, 'index.js'), `module.exports = ${JSON.stringify(name)};\n${'// padding\n'.repeat(100)}`);
    writeFileSync(path.join(packageDir, 'README.md'), `# ${name}\n\nA small package.\n`);
    return packageDir;
  });
}

async function startStub(workDir) {
  const port = await freePort();
  const server = startProcess(process.execPath, [SELF, 'stub', String(port)], { env: process.env, logFile: path.join(workDir, 'stub.log') });
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(`${base}/`, { process: server });
  return { name: 'stub', process: server, base, registry: `${base}/`, token: 'stub' };
}

async function publish(packageDir, server, workDir) {
  writeNpmrc(packageDir, server);
  return runNpm(['publish', '--ignore-scripts'], { cwd: packageDir, home: packageDir, cache: path.join(workDir, `cache-${server.name}`) });
}

export async function run(context) {
  const workDir = path.join(context.workDir, 'publish');
  const servers = [];
  const times = {};
  let serverLogMs;
  try {
    const stub = await startStub(workDir);
    servers.push(stub);
    const artifact = await startArtifactCli(prepareArtifactCli({ cliPath: context.cliPath, dir: path.join(workDir, 'artifact-cli') }));
    servers.push(artifact);
    const registries = [artifact];
    if (verdaccioInstalled(context.benchDir)) {
      const verdaccio = await startVerdaccio({ benchDir: context.benchDir, dir: path.join(workDir, 'verdaccio') });
      servers.push(verdaccio);
      registries.push(verdaccio);
    }
    const packages = Object.fromEntries(
      servers.map((server) => [server.name, makePackages(path.join(workDir, server.name), server.name === 'stub' ? STUB_COUNT : COUNT, 'bench-pub')]),
    );
    for (let index = 0; index < COUNT; index++) {
      for (const server of index < STUB_COUNT ? servers : registries) {
        (times[server.name] ??= []).push(await publish(packages[server.name][index], server, workDir));
      }
    }
    // The server's own time per publish, as its request log reports it.
    const logged = [...artifact.process.log().matchAll(/^PUT \S*bench-pub-\S* 20\d ([\d.]+)ms$/gm)].map((match) => Number(match[1]));
    if (logged.length === COUNT) serverLogMs = median(logged);
  } finally {
    for (const server of servers) await stopServer(context, server);
  }
  const npmOwn = median(times.stub);
  const rows = Object.entries(times).map(([server, values]) => ({
    server,
    per_publish_ms: median(values),
    total_s: values.reduce((sum, value) => sum + value, 0) / 1000,
    server_share_ms: server === 'stub' ? '' : median(values) - npmOwn,
  }));
  const row = (server) => rows.find((candidate) => candidate.server === server);
  const checks = [];
  if (row('verdaccio')) {
    const ratio = row('artifact-cli').total_s / row('verdaccio').total_s;
    checks.push({
      name: '100 publishes vs Verdaccio (issue 9)',
      pass: ratio <= 0.6,
      detail: `${row('artifact-cli').total_s.toFixed(1)} s vs ${row('verdaccio').total_s.toFixed(1)} s = ${ratio.toFixed(2)}x (target: at most 0.6x)`,
    });
  }
  const share = serverLogMs ?? row('artifact-cli').server_share_ms;
  checks.push({
    name: 'server share of a publish (issue 9)',
    pass: share < 50,
    detail: `${share.toFixed(1)} ms ${serverLogMs === undefined ? 'over the stub' : 'median in the request log'}; ${row('artifact-cli').server_share_ms.toFixed(0)} ms over the stub (target: under 50 ms)`,
  });
  const notes = [`npm's own time per publish (stub registry, ${STUB_COUNT} runs): ${npmOwn.toFixed(0)} ms`];
  // The floor of the ratio: a registry that answers at once still waits for npm itself. When that
  // floor is above 0.6x, no server can meet the publish target with this npm on this machine.
  if (row('verdaccio'))
    notes.push(`floor: npm alone (stub registry) takes ${(npmOwn / row('verdaccio').per_publish_ms).toFixed(2)}x of a publish to Verdaccio`);
  return { rows, checks, notes };
}

/** The stub registry: reads the body and accepts, so only npm's own work is timed. */
function runStub(port) {
  createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(req.method === 'PUT' ? 201 : 200, { 'content-type': 'application/json' }).end('{"ok":true}'));
  }).listen(port, '127.0.0.1');
}

if (process.argv[1] === SELF && process.argv[2] === 'stub') runStub(Number(process.argv[3]));
