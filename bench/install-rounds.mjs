// The rounds every per-format install row takes, in turn: the static copy, the pass-through in
// front of it (pass-through.mjs, the floor of any proxy), artifact-cli cold on a fresh root whose
// external connection points at the static copy, then artifact-cli warm on the same server.
// Both artifact-cli installs start once the server is idle (untilIdle in processes.mjs), so cold
// measures misses, not start-up. Medians of RUNS, and the targets of issue 30 as checks.
import path from 'node:path';
import { DOMAIN, REPOSITORY, prepareArtifactCli, startArtifactCli } from './artifact-cli.mjs';
import { passThroughReport, startPassThrough, throughPassThrough } from './pass-through.mjs';
import { cpuMs, stopServer, untilIdle } from './processes.mjs';
import { median } from './report.mjs';

const RUNS = 3;

/**
 * `install({ label, base, token, onStart })` runs one install against `base` and returns its
 * wall time in ms, or `{ ms, files }` when it counts the package files it fetched. `base` is the
 * static copy's or the pass-through's origin (no token), or artifact-cli's repository endpoint
 * without its trailing slash (with the token). `onStart`, when the install calls it, marks where
 * its own work starts (the server's CPU is counted from there). `standinPath` is appended to the
 * static copy's origin for the external connection; `packages` is the count per install when
 * `install` does not return one; `warmUp` installs once from the static copy and the
 * pass-through before the rounds; `extensions` are the package files the pass-through must carry.
 */
export async function installRounds(
  context,
  { format, label = format, staticCopy, workDir, connection, standinPath, install, packages, extensions, warmUp = false },
) {
  const times = {};
  const cpuPerPackage = [];
  const carried = [];
  const expected = [];
  let counted = packages ?? 0;
  const run = async (target) => {
    const result = await install(target);
    return typeof result === 'number' ? { ms: result, files: packages } : result;
  };
  let artifact;
  let passThrough;
  try {
    passThrough = await startPassThrough({ upstream: staticCopy.base, workDir: context.workDir });
    const direct = { label: 'static', base: staticCopy.base };
    const proxied = { label: 'pass-through', base: passThrough.base };
    if (warmUp) {
      // The file system cache, as every later run finds it, and a proxy that has run before, as a real one has.
      await run(direct);
      await run(proxied);
    }
    for (let round = 0; round < RUNS; round++) {
      const first = await run(direct);
      (times[`static copy (${staticCopy.name})`] ??= []).push(first.ms);
      counted = Math.max(counted, first.files ?? 0);
      const floor = await throughPassThrough(passThrough, () => run(proxied));
      (times['pass-through'] ??= []).push(floor.result.ms);
      carried.push(floor.carried);
      expected.push(floor.result.files);
      await stopServer(context, artifact);
      const setup = prepareArtifactCli({
        cliPath: context.cliPath,
        dir: path.join(workDir, `artifact-cli-${round}`),
        standinUrl: `${staticCopy.base}${standinPath}`,
        connection,
      });
      artifact = await startArtifactCli(setup);
      const pid = artifact.process.pid;
      const endpoint = { base: `${artifact.base}/${DOMAIN}/${format}/${REPOSITORY}`, token: setup.token };
      await untilIdle(pid);
      let cpuBefore = cpuMs(pid);
      const cold = await run({ ...endpoint, label: 'cold', onStart: () => (cpuBefore = cpuMs(pid)) });
      (times['artifact-cli cold'] ??= []).push(cold.ms);
      cpuPerPackage.push((cpuMs(pid) - cpuBefore) / cold.files);
      counted = Math.max(counted, cold.files);
      await untilIdle(pid);
      (times['artifact-cli warm'] ??= []).push((await run({ ...endpoint, label: 'warm' })).ms);
    }
  } finally {
    await stopServer(context, artifact);
    await stopServer(context, passThrough);
    await stopServer(context, staticCopy);
  }
  return summarize(label, times, counted, cpuPerPackage, passThroughReport(label, carried, extensions, expected));
}

/**
 * One row per registry with ratios to the static copy, and the targets of issue 30 as checks;
 * `passThrough`: the checks and notes of passThroughReport (pass-through.mjs).
 */
function summarize(format, times, packages, cpuPerPackage, passThrough = { checks: [], notes: [] }) {
  const rows = Object.entries(times).map(([label, values]) => ({
    registry: `${format}: ${label}`,
    median_ms: median(values),
    min_ms: Math.min(...values),
    max_ms: Math.max(...values),
  }));
  const floor = median(times[Object.keys(times).find((key) => key.startsWith('static copy'))]);
  for (const row of rows) row.vs_static = row.median_ms / floor;
  const ratio = (label) => median(times[label]) / floor;
  const check = (checkName, value, limit) => ({
    name: checkName,
    pass: value <= limit,
    detail: `${value.toFixed(2)}x the static copy (target: at most ${limit}x)`,
    value,
    target: limit,
  });
  return {
    rows,
    runs: times,
    notes: [
      `${packages} packages per install; server CPU per cold package: ${median(cpuPerPackage).toFixed(1)} ms (median over the cold runs)`,
      ...passThrough.notes,
    ],
    checks: [
      check(`warm ${format} vs static copy (issue 30)`, ratio('artifact-cli warm'), 1.1),
      check(`cold ${format} vs static copy (issue 30)`, ratio('artifact-cli cold'), 1.2),
      ...passThrough.checks,
    ],
    cpuPerColdPackageMs: median(cpuPerPackage),
  };
}
