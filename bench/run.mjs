#!/usr/bin/env node
// `npm run bench [name...]`: runs the benchmark modules (all, or those whose name contains one
// of the arguments), prints each one's table and writes everything to bench/results/<time>.json.
// A benchmark is a module in bench/ exporting { name, description, run(context) }; run returns
// { rows: [{ <label column>, ...numbers }], checks: [{ name, pass, detail }], notes?: [text] }.
// Servers are started by the modules themselves (see processes.mjs: all are killed on exit)
// and report their peak RSS into context.rss, which becomes the last table.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nginxPath } from './ceiling.mjs';
import { wrkPath } from './load.mjs';
import { median, printTable } from './report.mjs';
import { verdaccioInstalled } from './verdaccio.mjs';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const PROJECT_DIR = path.dirname(BENCH_DIR);
const BENCHMARKS = [
  './startup.mjs',
  './cli-lists.mjs',
  './api-calls.mjs',
  './http-load.mjs',
  './big-packument.mjs',
  './cargo-index.mjs',
  './publish-loop.mjs',
  './npm-ci.mjs',
  './pip-install.mjs',
  './gem-install.mjs',
  './nuget-restore.mjs',
  './mvn-package.mjs',
  './cargo-fetch.mjs',
  './npm-cold-memory.mjs',
  './web-pages.mjs',
  './search.mjs',
];

// The benchmarks measure the built CLI; build it first when dist/ is missing.
if (!existsSync(path.join(PROJECT_DIR, 'dist', 'cli', 'main.js'))) {
  console.log('dist/ is missing; running `npm run build` first.');
  const build = spawnSync('npm', ['run', 'build'], { cwd: PROJECT_DIR, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

// Verdaccio and autocannon live in bench/package.json so the product's dependencies stay lean.
if (!verdaccioInstalled(BENCH_DIR)) {
  console.log('bench/node_modules is missing; running `npm install --prefix bench` first.');
  const install = spawnSync('npm', ['install', '--prefix', BENCH_DIR, '--no-audit', '--no-fund'], { cwd: PROJECT_DIR, stdio: 'inherit' });
  if (install.status !== 0) process.exit(install.status ?? 1);
}
const tools = { wrk: wrkPath() ?? null, nginx: nginxPath() ?? null };
if (!tools.wrk || !tools.nginx) {
  console.log(
    `Note: ${[!tools.wrk && 'wrk', !tools.nginx && 'nginx'].filter(Boolean).join(' and ')} not found; falling back to ` +
      `${[!tools.wrk && 'autocannon', !tools.nginx && 'a minimal Node static server'].filter(Boolean).join(' and ')}, which ` +
      'measure less precisely. Install them with: sudo apt-get update && sudo apt-get install -y wrk nginx',
  );
}

const filters = process.argv.slice(2);
const modules = await Promise.all(BENCHMARKS.map((file) => import(file)));
const selected = modules.filter((bench) => filters.length === 0 || filters.some((filter) => bench.name.includes(filter)));
if (selected.length === 0) {
  console.error(`No benchmark matches ${filters.join(', ')}; known: ${modules.map((bench) => bench.name).join(', ')}.`);
  process.exit(2);
}

// bench/results/baseline.json (the one results file kept in git) gives a column to compare with.
const baselineFile = path.join(BENCH_DIR, 'results', 'baseline.json');
const baseline = existsSync(baselineFile) ? JSON.parse(readFileSync(baselineFile, 'utf8')) : undefined;

const workDir = mkdtempSync(path.join(os.tmpdir(), 'artifact-cli-bench-'));
// Also on Ctrl-C or a kill: processes.mjs stops the servers and exits, and this removes their files.
process.on('exit', () => rmSync(workDir, { recursive: true, force: true }));
const context = {
  projectDir: PROJECT_DIR,
  benchDir: BENCH_DIR,
  cliPath: path.join(PROJECT_DIR, 'bin', 'artifact-cli.js'),
  workDir,
  rss: {},
  rssByWorkload: {},
};
// Machine facts go with the numbers: timings from a busy 2-CPU box and an idle laptop differ.
const cpu = os.cpus()[0]?.model ?? 'unknown';
const machine = {
  node: process.version,
  platform: `${process.platform}-${process.arch}`,
  cpus: os.cpus().length,
  cpu,
  memoryGb: Math.round(os.totalmem() / 2 ** 30),
  loadAverage: os.loadavg(),
  tools,
};
const report = { startedAt: new Date().toISOString(), machine, benchmarks: {} };
let failed = false;

function show(benchName, result) {
  printTable(withBaseline(result.rows, baseline?.benchmarks?.[benchName]?.rows));
  for (const note of result.notes ?? []) console.log(`note: ${note}`);
  for (const check of result.checks) {
    console.log(`${check.pass ? 'PASS' : 'FAIL'}  ${check.name}: ${check.detail}`);
    failed ||= !check.pass;
  }
  report.benchmarks[benchName] = result;
}

for (const bench of selected) {
  console.log(`\n${bench.name}: ${bench.description}`);
  const started = Date.now();
  context.workload = bench.name;
  show(bench.name, await bench.run(context));
  console.log(`(${((Date.now() - started) / 1000).toFixed(0)} s)`);
}
if (Object.keys(context.rss).length > 0) {
  console.log('\nrss: peak resident memory of each server over the run (MB)');
  show('rss', rssSummary(context.rss, selected.length === modules.length, context.rssByWorkload));
}

const resultsDir = path.join(BENCH_DIR, 'results');
mkdirSync(resultsDir, { recursive: true });
report.finishedAt = new Date().toISOString();
const stamp = report.startedAt.replace(/[:.]/g, '-');
const formats = formatsTable(report.benchmarks);
if (formats.length > 0) {
  console.log('\nformats: one install per format, median of 3 (ms), each against its own static copy');
  printTable(formats);
  report.formats = formats;
  const table = markdownTable(formats);
  writeFileSync(
    path.join(resultsDir, `${stamp}-formats.md`),
    `Measured ${report.startedAt} on ${machine.cpus} CPUs (${machine.cpu}), load average ${machine.loadAverage.map((value) => value.toFixed(1)).join(' ')}\n\n${table}`,
  );
}
const file = path.join(resultsDir, `${stamp}.json`);
writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
console.log(`\nResults written to ${path.relative(PROJECT_DIR, file)}`);

/** The install workloads side by side: static copy, the pass-through, artifact-cli warm and cold, and the ratios. */
function formatsTable(benchmarks) {
  const workloads = { 'npm-ci': 'npm', 'pip-install': 'pip', 'gem-install': 'bundler', 'nuget-restore': 'nuget', 'mvn-package': 'mvn', 'cargo-fetch': 'cargo' };
  const rows = [];
  for (const [benchName, format] of Object.entries(workloads)) {
    const runs = benchmarks[benchName]?.runs;
    if (!runs) continue;
    const of = (prefix) => {
      const label = Object.keys(runs).find((key) => key.startsWith(prefix));
      return label ? median(runs[label]) : Number.NaN;
    };
    const floor = of('static copy');
    // The bare proxy in front of the static copy (pass-through.mjs): what any proxy pays.
    const passThrough = of('pass-through');
    const warm = of('artifact-cli warm');
    const cold = of('artifact-cli cold');
    const cpu = benchmarks[benchName].cpuPerColdPackageMs;
    rows.push({
      format,
      static_ms: floor,
      floor_vs_static: passThrough / floor,
      warm_ms: warm,
      warm_vs_static: warm / floor,
      cold_ms: cold,
      cold_vs_static: cold / floor,
      cold_vs_floor: cold / passThrough,
      cpu_ms_per_cold_package: cpu ?? '',
    });
  }
  return rows;
}

function markdownTable(rows) {
  const columns = Object.keys(rows[0]);
  const cell = (value) => (typeof value === 'number' ? (Math.abs(value) < 10 ? value.toFixed(2) : value.toFixed(0)) : String(value));
  return [
    `| ${columns.join(' | ')} |`,
    `| ${columns.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${columns.map((column) => cell(row[column])).join(' | ')} |`),
    '',
  ].join('\n');
}

/** `wholeRun`: every workload ran. Issue 9 compares peaks over the whole run; one workload's peaks say little. */
function rssSummary(rss, wholeRun, byWorkload = {}) {
  const rows = Object.entries(rss).map(([server, peak]) => ({ server, peak_rss_mb: peak }));
  const checks = [];
  const own = Object.entries(byWorkload).filter(([, peaks]) => peaks['artifact-cli'] !== undefined);
  const notes =
    own.length > 0
      ? [`artifact-cli's peak by workload (MB): ${own.map(([workload, peaks]) => `${workload} ${peaks['artifact-cli'].toFixed(0)}`).join(', ')}`]
      : [];
  if (rss['artifact-cli'] !== undefined) {
    checks.push({
      name: 'artifact-cli peak RSS (issue 3)',
      pass: rss['artifact-cli'] < 150,
      detail: `${rss['artifact-cli'].toFixed(0)} MB (target: under 150 MB)`,
    });
    if (rss.verdaccio !== undefined && !wholeRun) {
      notes.push(
        `peak RSS against Verdaccio's is judged over a whole run only: here ${(rss['artifact-cli'] / rss.verdaccio).toFixed(2)}x its ${rss.verdaccio.toFixed(0)} MB`,
      );
    } else if (rss.verdaccio !== undefined) {
      const ratio = rss['artifact-cli'] / rss.verdaccio;
      checks.push({
        name: 'artifact-cli peak RSS vs Verdaccio (issue 9)',
        pass: ratio <= 0.5,
        detail: `${ratio.toFixed(2)}x Verdaccio's ${rss.verdaccio.toFixed(0)} MB (target: at most 0.5x)`,
      });
    }
  }
  return { rows, checks, notes };
}

/** Adds the baseline's first numeric column for the row with the same first column, when there is one. */
function withBaseline(rows, baselineRows) {
  if (!baselineRows || rows.length === 0) return rows;
  const [key, measure] = Object.keys(rows[0]);
  return rows.map((row) => {
    const match = baselineRows.find((old) => old[key] === row[key]);
    return { ...row, [`baseline_${measure}`]: match?.[measure] ?? '' };
  });
}

// A missed target is reported, not fatal: timings vary by machine and load.
if (failed) console.log('Some targets were missed; see FAIL above.');
