/**
 * Editing INI files the way Python's configparser reads them (pip.conf, .pypirc), changing only
 * the lines of the keys being set. Keys are case-insensitive; a value continues on following
 * lines indented deeper than its key; '#' and ';' start comment lines.
 */
import { endOfContent, joinLines, splitLines, type Lines } from './text-lines.js';

interface IniEntry {
  key: string;
  /** Lines [start, end) hold the key and its continuation lines. */
  start: number;
  end: number;
  indent: number;
}

interface IniSection {
  name: string;
  header: number;
  /** Index of the next section's header, or the line count. */
  end: number;
  entries: IniEntry[];
}

export type KeyMatcher = (key: string) => boolean;

/** Sets one key of a section: replaces its first occurrence, drops repeats, or adds it; adds the section when missing. */
export function setIniValue(text: string | undefined, sectionName: string, key: string, value: string, isSameKey: KeyMatcher = (k) => k === key): string {
  const file = splitLines(text);
  const section = findSection(file.lines, sectionName);
  const newLines = formatEntry(key, value);
  if (!section) return appendSection(file, sectionName, [newLines]);
  const matches = section.entries.filter((entry) => isSameKey(entry.key));
  if (matches.length === 0) {
    file.lines.splice(endOfContent(file.lines, section.header + 1, section.end), 0, ...newLines);
    return joinLines(file);
  }
  for (const entry of matches.slice(1).reverse()) file.lines.splice(entry.start, entry.end - entry.start);
  file.lines.splice(matches[0].start, matches[0].end - matches[0].start, ...newLines);
  return joinLines(file);
}

/** The value of a key (continuation lines joined with '\n'), or undefined. */
export function getIniValue(text: string | undefined, sectionName: string, isSameKey: KeyMatcher): string | undefined {
  const { lines } = splitLines(text);
  const entry = findSection(lines, sectionName)?.entries.find((candidate) => isSameKey(candidate.key));
  if (!entry) return undefined;
  const first = lines[entry.start];
  const separator = first.search(/[=:]/);
  const parts = [separator === -1 ? '' : first.slice(separator + 1).trim()];
  for (const line of lines.slice(entry.start + 1, entry.end)) {
    const trimmed = line.trim();
    if (trimmed !== '' && !isComment(trimmed)) parts.push(trimmed);
  }
  return parts.join('\n');
}

/** Replaces everything in a section (keeping the blank lines after it), or appends the section. */
export function replaceIniSection(text: string | undefined, sectionName: string, entries: [string, string][]): string {
  const file = splitLines(text);
  const section = findSection(file.lines, sectionName);
  const body = entries.map(([key, value]) => formatEntry(key, value));
  if (!section) return appendSection(file, sectionName, body);
  const bodyEnd = endOfContent(file.lines, section.header + 1, section.end);
  file.lines.splice(section.header + 1, bodyEnd - section.header - 1, ...body.flat());
  return joinLines(file);
}

function formatEntry(key: string, value: string): string[] {
  const [first, ...rest] = value.split('\n');
  return [first === '' ? `${key} =` : `${key} = ${first}`, ...rest.map((line) => `    ${line}`)];
}

function appendSection(file: Lines, name: string, body: string[][]): string {
  if (file.lines.length > 0 && file.lines[file.lines.length - 1].trim() !== '') file.lines.push('');
  file.lines.push(`[${name}]`, ...body.flat());
  return joinLines(file);
}

function findSection(lines: string[], name: string): IniSection | undefined {
  // configparser refuses a file that repeats a section, so the first one is the one that counts.
  return parseSections(lines).find((section) => section.name === name);
}

function parseSections(lines: string[]): IniSection[] {
  const sections: IniSection[] = [];
  let section: IniSection | undefined;
  let entry: IniEntry | undefined;
  lines.forEach((line, index) => {
    const trimmed = line.trim();
    if (trimmed === '' || isComment(trimmed)) return;
    const indent = line.length - line.trimStart().length;
    if (entry && indent > entry.indent) {
      // A continuation line; the blank or comment lines before it belong to the value too.
      entry.end = index + 1;
      return;
    }
    const header = /^\[(.+)\]/.exec(trimmed);
    if (header) {
      if (section) section.end = index;
      section = { name: header[1], header: index, end: lines.length, entries: [] };
      sections.push(section);
      entry = undefined;
      return;
    }
    const separator = trimmed.search(/[=:]/);
    const key = (separator === -1 ? trimmed : trimmed.slice(0, separator)).trim().toLowerCase();
    entry = { key, start: index, end: index + 1, indent };
    section?.entries.push(entry);
  });
  return sections;
}

function isComment(trimmed: string): boolean {
  return trimmed.startsWith('#') || trimmed.startsWith(';');
}
