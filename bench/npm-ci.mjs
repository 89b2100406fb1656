// Workload 1: `npm ci` of a project of about 150 packages with an empty npm cache, through
// artifact-cli and Verdaccio, cold (registry empty: everything comes from the stand-in through
// the registry) and warm (registry already holding it), next to `npm ci` straight from the
// stand-in, from a static copy served by nginx, and through the pass-through (pass-through.mjs)
// in front of that copy: the floor of any proxy. Median of 3 each.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { prepareArtifactCli, startArtifactCli } from './artifact-cli.mjs';
import { startStaticServer } from './ceiling.mjs';
import { REGISTRY_PLACEHOLDER, ensureUniverse } from './fixtures.mjs';
import { runNpm, writeNpmrc } from './npm-client.mjs';
import { passThroughReport, startPassThrough, throughPassThrough } from './pass-through.mjs';
import { cpuMs, stopServer, untilIdle } from './processes.mjs';
import { median } from './report.mjs';
import { startStandin } from './standin-registry.mjs';
import { startVerdaccio, verdaccioInstalled } from './verdaccio.mjs';

export const name = 'npm-ci';
export const description = '`npm ci` of ~150 packages, empty npm cache, median of 3 (ms)';

const RUNS = 3;

/** The project's lockfile, made once against the stand-in and kept with the fixtures. */
async function projectLockfile(universe, standinUrl, workDir) {
  const cached = path.join(universe.dir, 'package-lock.json');
  try {
    return readFileSync(cached, 'utf8');
  } catch {
    // first run: resolve it below
  }
  const dir = path.join(workDir, 'lock');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify(universe.project, null, 2));
  writeNpmrc(dir, { registry: standinUrl });
  await runNpm(['install', '--package-lock-only', '--ignore-scripts', '--omit-lockfile-registry-resolved=false'], {
    cwd: dir,
    home: dir,
    cache: path.join(dir, 'cache'),
  });
  const text = readFileSync(path.join(dir, 'package-lock.json'), 'utf8').replaceAll(standinUrl, REGISTRY_PLACEHOLDER);
  writeFileSync(cached, text);
  return text;
}

/** One `npm ci` into a fresh copy of the project locked against `registry`; returns ms and count. */
async function npmCi(workDir, universe, lockText, { registry, token }, label) {
  const dir = path.join(workDir, 'projects', `${label}-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify(universe.project, null, 2));
  writeFileSync(path.join(dir, 'package-lock.json'), lockText.replaceAll(REGISTRY_PLACEHOLDER, registry));
  writeNpmrc(dir, { registry, token });
  const ms = await runNpm(['ci', '--ignore-scripts'], { cwd: dir, home: dir, cache: path.join(dir, 'cache') });
  const installed = Object.keys(JSON.parse(readFileSync(path.join(dir, 'node_modules', '.package-lock.json'), 'utf8')).packages).length;
  rmSync(dir, { recursive: true, force: true });
  return { ms, installed };
}

export async function run(context) {
  const workDir = path.join(context.workDir, 'npm-ci');
  const universe = ensureUniverse();
  const standin = await startStandin(universe.dir, path.join(context.workDir, 'standin-npm-ci.log'));
  const started = [];
  const times = {};
  const cpuPerPackage = [];
  const carried = [];
  let installed = 0;
  const record = async (label, target) => {
    const result = await npmCi(workDir, universe, lockText, target, label);
    (times[label] ??= []).push(result.ms);
    installed = Math.max(installed, result.installed - 1);
    return result;
  };
  let lockText;
  try {
    lockText = await projectLockfile(universe, standin.url, workDir);
    const staticCopy = await startStaticServer({ root: path.join(universe.dir, 'tarballs'), workDir: path.join(context.workDir) });
    started.push(staticCopy);
    const passThrough = await startPassThrough({ upstream: staticCopy.base, workDir: context.workDir });
    started.push(passThrough);
    const hasVerdaccio = verdaccioInstalled(context.benchDir);
    let artifact;
    let verdaccio;
    // Every round measures all six, so a machine that slows down or speeds up during the run
    // (npm's own work varies by a quarter from one run to the next here) weighs on each alike.
    for (let round = 0; round < RUNS; round++) {
      await record('stand-in (direct)', { registry: standin.url });
      await record(`static copy (${staticCopy.name})`, { registry: `${staticCopy.base}/` });
      const floor = await throughPassThrough(passThrough, () => record('pass-through', { registry: `${passThrough.base}/` }));
      carried.push(floor.carried);
      // A fresh, empty registry for every cold run, then a warm run against what it now holds.
      await stopServer(context, artifact);
      const setup = prepareArtifactCli({ cliPath: context.cliPath, dir: path.join(workDir, `artifact-cli-${round}`), standinUrl: standin.url });
      artifact = await startArtifactCli(setup);
      started.push(artifact);
      await untilIdle(artifact.process.pid);
      const cpuBefore = cpuMs(artifact.process.pid);
      await record('artifact-cli cold', artifact);
      cpuPerPackage.push((cpuMs(artifact.process.pid) - cpuBefore) / installed);
      await untilIdle(artifact.process.pid);
      await record('artifact-cli warm', artifact);
      if (hasVerdaccio) {
        await stopServer(context, verdaccio);
        verdaccio = await startVerdaccio({ benchDir: context.benchDir, dir: path.join(workDir, `verdaccio-${round}`), standinUrl: standin.url });
        started.push(verdaccio);
        await record('verdaccio cold', verdaccio);
        await record('verdaccio warm', verdaccio);
      }
    }
  } finally {
    for (const server of started) await stopServer(context, server);
    await stopServer(context, { name: 'stand-in', process: standin.process });
  }

  const rows = Object.entries(times).map(([label, values]) => ({
    registry: label,
    median_ms: median(values),
    min_ms: Math.min(...values),
    max_ms: Math.max(...values),
  }));
  const medianOf = (label) => median(times[Object.keys(times).find((key) => key.startsWith(label))] ?? [Number.NaN]);
  const floor = medianOf('static copy');
  const direct = medianOf('stand-in');
  for (const row of rows) {
    row.vs_static = row.median_ms / floor;
    row.vs_verdaccio = row.registry.startsWith('artifact-cli') ? row.median_ms / medianOf(`verdaccio ${row.registry.split(' ')[1]}`) : '';
  }
  const cold = medianOf('artifact-cli cold');
  const warm = medianOf('artifact-cli warm');
  const check = (checkName, value, limit, base) => ({
    name: checkName,
    pass: value <= limit,
    detail: `${value.toFixed(2)}x ${base} (target: at most ${limit}x)`,
    value,
    target: limit,
  });
  // The same ratios round by round (each round measures every registry within a minute or
  // so): a drift of the machine between rounds moves both sides of these alike.
  const perRound = (label, base) => (times[label] ?? []).map((ms, round) => (ms / times[base][round]).toFixed(2)).join(', ');
  // npm fetches each tarball the lockfile resolves to once, however many paths install it.
  const tarballs = new Set(
    Object.values(JSON.parse(lockText).packages)
      .map((entry) => entry.resolved)
      .filter(Boolean),
  ).size;
  const floorReport = passThroughReport('npm', carried, ['.tgz'], tarballs);
  return {
    rows,
    runs: times,
    cpuPerColdPackageMs: median(cpuPerPackage),
    notes: [
      `${installed} packages installed per run; lockfile resolved URLs point at the registry under test`,
      `server CPU per cold package: ${median(cpuPerPackage).toFixed(1)} ms (median over the cold runs)`,
      `round by round vs the stand-in: cold ${perRound('artifact-cli cold', 'stand-in (direct)')}; warm ${perRound('artifact-cli warm', 'stand-in (direct)')}`,
      ...floorReport.notes,
    ],
    checks: [
      check('warm npm ci vs stand-in (issue 4)', warm / direct, 1.0, 'the stand-in'),
      check('cold npm ci vs stand-in (issue 4)', cold / direct, 1.3, 'the stand-in'),
      check('warm npm ci vs static copy (issue 9)', warm / floor, 1.1, 'the static copy'),
      check('cold npm ci vs static copy (issue 9)', cold / floor, 1.3, 'the static copy'),
      ...floorReport.checks,
    ],
  };
}
