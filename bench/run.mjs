#!/usr/bin/env node
// `npm run bench [name...]`: runs the benchmark modules (all, or those whose name contains one
// of the arguments), prints each one's table and writes everything to bench/results/<time>.json.
// A benchmark is a module in bench/ exporting { name, description, run(context) }; run returns
// { rows: [{ <label column>, ...numbers }], checks: [{ name, pass, detail }] }. Add one by listing
// it in BENCHMARKS below (server throughput and the like belong in modules of their own).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { printTable } from './report.mjs';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const PROJECT_DIR = path.dirname(BENCH_DIR);
const BENCHMARKS = ['./startup.mjs'];

// The benchmarks measure the built CLI; build it first when dist/ is missing.
if (!existsSync(path.join(PROJECT_DIR, 'dist', 'cli', 'main.js'))) {
  console.log('dist/ is missing; running `npm run build` first.');
  const build = spawnSync('npm', ['run', 'build'], { cwd: PROJECT_DIR, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
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

const context = { projectDir: PROJECT_DIR, cliPath: path.join(PROJECT_DIR, 'bin', 'artifact-cli.js') };
// Machine facts go with the numbers: timings from a busy 2-CPU box and an idle laptop differ.
const machine = { node: process.version, platform: `${process.platform}-${process.arch}`, cpus: os.cpus().length, loadAverage: os.loadavg() };
const report = { startedAt: new Date().toISOString(), machine, benchmarks: {} };
let failed = false;
for (const bench of selected) {
  console.log(`\n${bench.name}: ${bench.description}`);
  const result = await bench.run(context);
  printTable(withBaseline(result.rows, baseline?.benchmarks?.[bench.name]?.rows));
  for (const check of result.checks) {
    console.log(`${check.pass ? 'PASS' : 'FAIL'}  ${check.name}: ${check.detail}`);
    failed ||= !check.pass;
  }
  report.benchmarks[bench.name] = result;
}

const resultsDir = path.join(BENCH_DIR, 'results');
mkdirSync(resultsDir, { recursive: true });
const file = path.join(resultsDir, `${report.startedAt.replace(/[:.]/g, '-')}.json`);
writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
console.log(`\nResults written to ${path.relative(PROJECT_DIR, file)}`);

/** Adds the baseline's median for the row with the same first column, when there is one. */
function withBaseline(rows, baselineRows) {
  if (!baselineRows) return rows;
  return rows.map((row) => {
    const [key, label] = Object.entries(row)[0];
    const match = baselineRows.find((old) => old[key] === label);
    return { ...row, baseline_median_ms: match?.median_ms ?? '' };
  });
}

// A missed target is reported, not fatal: timings vary by machine and load.
if (failed) console.log('Some targets were missed; see FAIL above.');
