/**
 * Global setup of `npm run test:hardening`: names the file the tests append their figures to
 * (the forked workers inherit the variable), and at the end prints them as one table and keeps
 * them as JSON next to it.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FIGURES_FILE_ENV, type Figure } from './figures.js';

export default function setup(): () => void {
  const file = path.join(os.tmpdir(), `artifact-cli-hardening-${process.pid}.jsonl`);
  rmSync(file, { force: true });
  process.env[FIGURES_FILE_ENV] = file;
  const started = Date.now();
  return () => {
    let figures: Figure[] = [];
    try {
      figures = readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Figure);
    } catch {
      // No test recorded anything (all skipped or filtered out).
    }
    figures.push(...summaryOf(figures));
    figures.push({ section: 'run', name: 'wall time (s)', value: Math.round((Date.now() - started) / 1000) });
    const summary = path.join(os.tmpdir(), 'artifact-cli-hardening-figures.json');
    writeFileSync(summary, JSON.stringify(figures, null, 1));
    rmSync(file, { force: true });
    process.stdout.write(`\n${renderTable(figures)}\nThe figures as JSON: ${summary}\n`);
  };
}

/**
 * The figures the issue asks the report to close with, gathered by name from what the tests
 * recorded: cases run, the largest RSS, the longest event-loop stall, bytes per version.
 */
function summaryOf(figures: Figure[]): Figure[] {
  const numbers = (pattern: RegExp) =>
    figures.filter((figure) => pattern.test(figure.name) && typeof figure.value === 'number').map((figure) => figure.value as number);
  const summary: Figure[] = [];
  const add = (name: string, values: number[], combine: (values: number[]) => number) => {
    if (values.length > 0) summary.push({ section: 'summary', name, value: combine(values) });
  };
  add('cases', numbers(/cases/i), (values) => values.reduce((sum, value) => sum + value, 0));
  add('max RSS (MB)', numbers(/max RSS/i), (values) => Math.max(...values));
  add('max event-loop stall (ms)', numbers(/max \/health wait|event-loop stall/i), (values) => Math.max(...values));
  add('max bytes per version', numbers(/bytes per version/i), (values) => Math.max(...values));
  return summary;
}

function renderTable(figures: Figure[]): string {
  const rows = figures.map((figure) => [figure.section, figure.name, String(figure.value)]);
  const header = ['section', 'figure', 'value'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  // Numbers line up on the right; text reads from the left.
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === 2 && /^[\d.]+$/.test(cell) ? cell.padStart(widths[column]) : cell.padEnd(widths[column])))
      .join('  ')
      .trimEnd();
  return ['Hardening figures', line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}
