// artifact-cli as the benchmark runs it: a fresh root, domain "bench" with repository "main"
// (whose external connection public:npmjs points at the stand-in, when there is one), a token,
// and `serve`.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freePort, startProcess, waitFor } from './processes.mjs';

export const DOMAIN = 'bench';
export const REPOSITORY = 'main';

/** Runs one CLI command against the root and returns its parsed JSON output. */
export function cli({ cliPath, root, configFile }, args) {
  const out = execFileSync(process.execPath, [cliPath, '--config', configFile, '--output', 'json', ...args], {
    env: { PATH: process.env.PATH, HOME: path.dirname(root), ARTIFACT_CLI_ROOT: root, NO_COLOR: '1' },
    encoding: 'utf8',
  });
  return out.trim() ? JSON.parse(out) : undefined;
}

/** Creates the root (domain, repository, connection, token); the server is started separately. */
/** `connection`: the external connection the stand-in plays (npm's unless named). */
export function prepareArtifactCli({ cliPath, dir, standinUrl, connection = 'public:npmjs' }) {
  mkdirSync(dir, { recursive: true });
  const root = path.join(dir, 'root');
  const configFile = path.join(dir, 'artifact-cli.config.json');
  writeFileSync(configFile, JSON.stringify(standinUrl ? { externalConnections: { [connection]: standinUrl } } : {}));
  const setup = { cliPath, root, configFile, dir };
  cli(setup, ['create-domain', '--domain', DOMAIN]);
  cli(setup, ['create-repository', '--domain', DOMAIN, '--repository', REPOSITORY]);
  // Without a stand-in there is no external connection: hosted packages only, as the
  // publish and big-packument workloads need (Verdaccio's rules for them have no uplink).
  if (standinUrl) cli(setup, ['associate-external-connection', '--domain', DOMAIN, '--repository', REPOSITORY, '--external-connection', connection]);
  const { authorizationToken } = cli(setup, ['get-authorization-token', '--domain', DOMAIN]);
  return { ...setup, token: authorizationToken };
}

/** Starts `serve` on a free port; resolves to the running server with its npm registry URL. */
export async function startArtifactCli(setup) {
  const port = await freePort();
  // BENCH_CPU_PROF=<dir> profiles every server the bench starts (node --cpu-prof), written on exit.
  const nodeArgs = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(process.env.BENCH_CPU_PROF)] : [];
  // `nodeArgs` (or BENCH_NODE_ARGS, split on spaces): V8 or Node flags for this server, for A/B runs.
  nodeArgs.push(...(setup.nodeArgs ?? process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []));
  const logFile = path.join(setup.dir, `serve-${port}.log`);
  const server = startProcess(process.execPath, [...nodeArgs, setup.cliPath, '--config', setup.configFile, 'serve', '--port', String(port)], {
    cwd: setup.dir,
    env: { PATH: process.env.PATH, HOME: path.dirname(setup.root), ARTIFACT_CLI_ROOT: setup.root, NO_COLOR: '1' },
    logFile,
  });
  await waitFor('artifact-cli serve start', async () => (/artifact-cli serving .* at http/.test(server.log()) ? true : undefined), { process: server });
  const base = `http://127.0.0.1:${port}`;
  return { name: 'artifact-cli', process: server, base, registry: `${base}/${DOMAIN}/npm/${REPOSITORY}/`, token: setup.token };
}
