// Small helpers shared by the benchmark modules: timing child processes and printing tables.
import { spawnSync } from 'node:child_process';

/**
 * Times each case `runs` times and returns the wall times in milliseconds per case. The cases
 * take turns (a, b, c, a, b, c, ...) so a burst of load on the machine hits them all alike
 * instead of skewing whichever case happened to be running.
 */
export function timeCommands(cases, { runs, cwd, env }) {
  const once = ({ command, args }) => {
    const start = process.hrtime.bigint();
    const result = spawnSync(command, args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
    const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
    return elapsed;
  };
  // One warm-up round fills the file system cache, which no later run would otherwise pay for.
  for (const item of cases) once(item);
  const times = cases.map(() => []);
  for (let run = 0; run < runs; run++) cases.forEach((item, index) => times[index].push(once(item)));
  return times;
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Prints rows of { label, ...values } as an aligned table; numbers get one decimal. */
export function printTable(rows) {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]);
  const cell = (value) => (typeof value === 'number' ? value.toFixed(1) : String(value ?? ''));
  const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => cell(row[column]).length)));
  const line = (values) => values.map((value, index) => (index === 0 ? value.padEnd(widths[index]) : value.padStart(widths[index]))).join('  ');
  console.log(line(columns));
  console.log(line(widths.map((width) => '-'.repeat(width))));
  for (const row of rows) console.log(line(columns.map((column) => cell(row[column]))));
}
