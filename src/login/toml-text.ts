/**
 * Editing the TOML files cargo reads (config.toml, credentials.toml), changing only the lines
 * of the keys being set. Tables are found by their `[a.b]` headers (bare or quoted key parts);
 * a key is one `key = value` line. What this cannot edit safely (the table defined as an inline
 * table or through dotted keys, a multi-line value) stops login with a clear message instead.
 */
import { ConfigSyntaxError } from './login-writer.js';
import { endOfContent, joinLines, splitLines } from './text-lines.js';

interface Table {
  header: number;
  /** Index of the next header, or the line count. */
  end: number;
}

const HEADER = /^\s*\[(?!\[)(.*)\]\s*(?:#.*)?$/;

/** The parts of a dotted TOML key: `registries."my reg"` -> ['registries', 'my reg']. */
function keyParts(raw: string): string[] | undefined {
  const parts: string[] = [];
  const pattern = /\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*(\.|$)/y;
  let match: RegExpExecArray | null;
  while (pattern.lastIndex < raw.length && (match = pattern.exec(raw))) {
    parts.push(match[1] !== undefined ? (JSON.parse(`"${match[1]}"`) as string) : (match[2] ?? match[3]));
    if (match[4] === '') return parts;
  }
  return pattern.lastIndex >= raw.length && parts.length > 0 ? parts : undefined;
}

function sameParts(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((part, index) => part === b[index]);
}

function findTable(lines: string[], path: readonly string[]): Table | undefined {
  for (let index = 0; index < lines.length; index += 1) {
    const match = HEADER.exec(lines[index]);
    if (!match) continue;
    const parts = keyParts(match[1]);
    if (!parts || !sameParts(parts, path)) continue;
    let end = index + 1;
    while (end < lines.length && !/^\s*\[/.test(lines[end])) end += 1;
    return { header: index, end };
  }
  return undefined;
}

/** The line of `key` in the table, checking that its value fits on that line. */
function findKey(lines: string[], table: Table, key: string): number | undefined {
  for (let index = table.header + 1; index < table.end; index += 1) {
    const match = /^\s*([^=#]+?)\s*=\s*(.*)$/.exec(lines[index]);
    if (!match || !sameParts(keyParts(match[1]) ?? [], [key])) continue;
    const value = match[2].trim();
    if ((value.startsWith('[') && !value.includes(']')) || value.startsWith('"""') || value.startsWith("'''")) {
      throw new ConfigSyntaxError(`has a value for ${key} that spans several lines, which login does not edit`);
    }
    return index;
  }
  return undefined;
}

/** A table path as a header: parts that are not bare keys are quoted. */
export function tomlHeader(path: readonly string[]): string {
  return `[${path.map((part) => (/^[A-Za-z0-9_-]+$/.test(part) ? part : JSON.stringify(part))).join('.')}]`;
}

/** A TOML basic string. */
export function tomlString(value: string): string {
  return JSON.stringify(value);
}

/** The raw value of `key` in the table, or undefined. */
export function getTomlValue(text: string | undefined, path: readonly string[], key: string): string | undefined {
  const { lines } = splitLines(text);
  const table = findTable(lines, path);
  if (!table) return undefined;
  const index = findKey(lines, table, key);
  if (index === undefined) return undefined;
  return lines[index]
    .slice(lines[index].indexOf('=') + 1)
    .replace(/\s#[^"']*$/, '')
    .trim();
}

/** Sets `key = value` (a TOML literal) in the table, adding the table at the end when missing. */
export function setTomlValue(text: string | undefined, path: readonly string[], key: string, value: string): string {
  const file = splitLines(text);
  refuseOtherForms(file.lines, path);
  const table = findTable(file.lines, path);
  const line = `${key} = ${value}`;
  if (!table) {
    if (file.lines.length > 0 && file.lines[file.lines.length - 1].trim() !== '') file.lines.push('');
    file.lines.push(tomlHeader(path), line);
    return joinLines(file);
  }
  const index = findKey(file.lines, table, key);
  if (index === undefined) file.lines.splice(endOfContent(file.lines, table.header + 1, table.end), 0, line);
  else file.lines[index] = line;
  return joinLines(file);
}

/**
 * `[registries]` holding `name = { ... }` or `name.index = ...` defines the same table another
 * way; a second definition would make cargo refuse the whole file.
 */
function refuseOtherForms(lines: string[], path: readonly string[]): void {
  if (path.length < 2) return;
  const parent = findTable(lines, path.slice(0, -1));
  const child = path[path.length - 1];
  if (parent) {
    for (let index = parent.header + 1; index < parent.end; index += 1) {
      const match = /^\s*([^=#]+?)\s*=/.exec(lines[index]);
      const parts = match ? keyParts(match[1]) : undefined;
      if (parts && parts[0] === child) throw new ConfigSyntaxError(`defines ${path.join('.')} as a dotted key or inline table, which login does not edit`);
    }
  }
  // Top-level dotted keys before the first header, e.g. `registries.name.index = ...`.
  for (const line of lines) {
    if (/^\s*\[/.test(line)) break;
    const match = /^\s*([^=#]+?)\s*=/.exec(line);
    const parts = match ? keyParts(match[1]) : undefined;
    if (parts && parts.length > 1 && sameParts(parts.slice(0, path.length), path)) {
      throw new ConfigSyntaxError(`defines ${path.join('.')} with top-level dotted keys, which login does not edit`);
    }
  }
}
