/** Prints a command's result as json, text or table (--query is applied before, in query.ts). */
import { ValidationError } from '../errors.js';

export type OutputFormat = 'json' | 'text' | 'table';

export function chooseOutputFormat(requested: string | undefined, isTty: boolean): OutputFormat {
  if (requested === undefined) return isTty ? 'table' : 'json';
  if (requested === 'json' || requested === 'text' || requested === 'table') return requested;
  throw new ValidationError(`--output must be json, text or table; got ${JSON.stringify(requested)}.`);
}

export function renderResult(value: unknown, format: OutputFormat): string {
  if (value === undefined) return '';
  switch (format) {
    case 'json':
      return `${JSON.stringify(value, null, 4)}\n`;
    case 'text':
      return renderText(value);
    case 'table':
      return renderTable(value);
  }
}

/** The AWS CLI's text form: scalars bare, lists tab-separated, one line per object. */
function renderText(value: unknown): string {
  const lines: string[] = [];
  const walk = (node: unknown, label?: string) => {
    if (node === null || node === undefined) {
      lines.push('None');
    } else if (Array.isArray(node)) {
      if (node.every((item) => typeof item !== 'object' || item === null)) lines.push(node.map(scalar).join('\t'));
      else for (const item of node) walk(item, label);
    } else if (typeof node === 'object') {
      const entries = Object.entries(node as Record<string, unknown>).filter(([, child]) => child !== undefined);
      const scalars = entries.filter(([, child]) => typeof child !== 'object' || child === null);
      const nested = entries.filter(([, child]) => typeof child === 'object' && child !== null);
      if (scalars.length > 0) lines.push([...(label ? [label.toUpperCase()] : []), ...scalars.map(([, child]) => scalar(child))].join('\t'));
      for (const [key, child] of nested) walk(child, key);
    } else {
      lines.push(scalar(node));
    }
  };
  walk(value);
  return lines.length ? `${lines.join('\n')}\n` : '';
}

function scalar(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** A plain table for people: lists of objects as rows, single objects as key/value pairs. */
function renderTable(value: unknown): string {
  if (typeof value !== 'object' || value === null) return `${scalar(value)}\n`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, child]) => child !== undefined);
  const blocks: string[] = [];
  for (const [key, child] of Array.isArray(value) ? [['', value] as const] : entries) {
    if (Array.isArray(child) && child.every((item) => typeof item === 'object' && item !== null && !Array.isArray(item))) {
      blocks.push((key ? `${key}\n` : '') + grid(child as Record<string, unknown>[]));
    } else if (typeof child === 'object' && child !== null && !Array.isArray(child)) {
      const rows = Object.entries(child).filter(([, cell]) => cell !== undefined).map(([name, cell]) => ({ field: name, value: scalar(cell) }));
      blocks.push(`${key}\n${grid(rows)}`);
    } else {
      blocks.push(`${key}: ${Array.isArray(child) ? child.map(scalar).join(', ') : scalar(child)}`);
    }
  }
  return `${blocks.join('\n')}\n`;
}

function grid(rows: Record<string, unknown>[]): string {
  if (rows.length === 0) return '(none)';
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row).filter((key) => row[key] !== undefined)))];
  const cells = rows.map((row) => columns.map((column) => (row[column] === undefined ? '' : scalar(row[column]))));
  const widths = columns.map((column, index) => Math.max(column.length, ...cells.map((cell) => cell[index].length)));
  const line = (values: string[]) => values.map((cell, index) => cell.padEnd(widths[index])).join('  ').trimEnd();
  return [line(columns), line(widths.map((width) => '-'.repeat(width))), ...cells.map(line)].join('\n');
}
