/**
 * `--output table` in the AWS CLI's layout (docs/output.md): a box titled with the operation
 * name; an object's scalar fields as one header row and one value row (a single field as a
 * name/value row), sorted by key; a list of objects as one header and a row per object; every
 * nested list or object as a titled sub-box, indented with `|`, so nothing is printed as JSON.
 * When the widest box does not fit the terminal, one-row boxes turn into name/value rows.
 */
import { byCodePoint, isObject, isScalar, pythonStr, scalarKeysOf, sortedKeys } from './python-str.js';

interface Box {
  title: string;
  indent: number;
  headers: string[];
  rows: string[][];
}

export function renderTable(value: unknown, title: string, terminalWidth: number): string {
  const boxes: Box[] = [];
  if (!collect(value, title, 0, boxes)) return '';
  let width = widestBox(boxes);
  if (width > terminalWidth) {
    for (const box of boxes) {
      if (box.rows.length === 1 && box.headers.length > 0) {
        box.rows = box.headers.map((header, index) => [header, box.rows[0][index] ?? '']);
        box.headers = [];
      }
    }
    width = widestBox(boxes);
  }
  const lines = ['-'.repeat(width)];
  for (const box of boxes) {
    const edge = '|'.repeat(box.indent);
    for (const line of drawBox(box, width - box.indent * 2)) lines.push(edge + line + edge);
  }
  return lines.map((line) => `${line}\n`).join('');
}

/** Python's truthiness: empty lists, objects and strings, 0, false and null print no box. */
function isEmpty(value: unknown): boolean {
  if (Array.isArray(value)) return value.length === 0;
  if (isObject(value)) return Object.keys(value).length === 0;
  return !value;
}

function collect(value: unknown, title: string | undefined, indent: number, boxes: Box[]): boolean {
  if (isEmpty(value)) return false;
  if (title !== undefined || boxes.length === 0) boxes.push({ title: title ?? '', indent, headers: [], rows: [] });
  const box = () => boxes[boxes.length - 1];
  if (Array.isArray(value)) {
    if (isObject(value[0])) {
      collectObjects(value.filter(isObject), title ?? '', indent, boxes);
    } else {
      for (const item of value) {
        if (isScalar(item)) box().rows.push([pythonStr(item)]);
        else if (Array.isArray(item) && item.every(isScalar)) box().rows.push(item.map(pythonStr));
        else collect(item, undefined, indent, boxes);
      }
    }
  } else if (isObject(value)) {
    collectObject(value, indent, boxes);
  }
  return true;
}

function collectObject(object: Record<string, unknown>, indent: number, boxes: Box[]): void {
  const keys = sortedKeys(object);
  const scalars = keys.filter((key) => isScalar(object[key]));
  const box = boxes[boxes.length - 1];
  if (scalars.length === 1) {
    box.rows.push([scalars[0], pythonStr(object[scalars[0]])]);
  } else if (scalars.length > 1) {
    box.headers = scalars;
    box.rows.push(scalars.map((key) => pythonStr(object[key])));
  }
  for (const key of keys.filter((name) => !isScalar(object[name]))) collect(object[key], key, indent + 1, boxes);
}

function collectObjects(objects: Record<string, unknown>[], title: string, indent: number, boxes: Box[]): void {
  const headers = scalarKeysOf(objects);
  const nestedKeys = [...new Set(objects.flatMap((object) => Object.keys(object).filter((key) => !isScalar(object[key]))))].sort(byCodePoint);
  boxes[boxes.length - 1].headers = headers;
  objects.forEach((object, index) => {
    // An object with nested parts gets its own box, so its parts sit under its row.
    if (index > 0 && nestedKeys.length > 0) boxes.push({ title, indent, headers, rows: [] });
    boxes[boxes.length - 1].rows.push(headers.map((key) => (Object.hasOwn(object, key) ? pythonStr(object[key]) : '')));
    for (const key of nestedKeys) if (Object.hasOwn(object, key)) collect(object[key], key, indent + 1, boxes);
  });
}

/** Cells as wide as their widest text, plus 4. */
function naturalWidths(box: Box): number[] {
  const widths: number[] = [];
  for (const row of [box.headers, ...box.rows]) row.forEach((cell, index) => (widths[index] = Math.max(widths[index] ?? 0, displayWidth(cell))));
  return widths.map((width) => width + 4);
}

function widestBox(boxes: Box[]): number {
  return Math.max(...boxes.map((box) => Math.max(naturalWidths(box).reduce((sum, width) => sum + width, 0) + 2, displayWidth(box.title) + 2) + box.indent * 2));
}

/** The natural widths stretched to fill `total`, rounded as Python rounds, the remainder spread from the left (or taken from the right). */
function fitWidths(box: Box, total: number): number[] {
  const natural = naturalWidths(box);
  if (natural.length === 0) return natural;
  const scale = total / natural.reduce((sum, width) => sum + width, 0);
  const widths = natural.map((width) => roundHalfEven(scale * width));
  let excess = widths.reduce((sum, width) => sum + width, 0) - total;
  while (excess !== 0) {
    const order = widths.map((_, index) => index);
    if (excess < 0) order.reverse();
    for (const index of order) {
      widths[index] += excess > 0 ? -1 : 1;
      excess += excess > 0 ? -1 : 1;
      if (excess === 0) break;
    }
  }
  return widths;
}

function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const fraction = value - floor;
  if (fraction !== 0.5) return Math.round(value);
  return floor % 2 === 0 ? floor : floor + 1;
}

function drawBox(box: Box, width: number): string[] {
  const lines: string[] = [];
  if (box.title) {
    lines.push(centered(box.title, width, '|', '|'));
    if (box.headers.length === 0 && box.rows.length === 0) lines.push(`+${'-'.repeat(width - 2)}+`);
  }
  const widths = fitWidths(box, width);
  const rule = widths.map((cell, index) => (index === 0 ? `+${'-'.repeat(cell - 2)}+` : `${'-'.repeat(cell - 1)}+`)).join('');
  if (box.headers.length > 0) {
    lines.push(rule);
    lines.push(box.headers.map((header, index) => centered(header, widths[index] ?? 0, index === 0 ? '|' : '', '|')).join(''));
  }
  if (box.rows.length > 0 && widths.length > 0) {
    lines.push(rule);
    for (const row of box.rows)
      lines.push(
        row
          .slice(0, widths.length)
          .map((cell, index) => leftAligned(cell, widths[index], index === 0 ? '|' : '', '|'))
          .join(''),
      );
    lines.push(rule);
  }
  return lines;
}

function centered(text: string, width: number, left: string, right: string): string {
  const textWidth = displayWidth(text);
  const before = Math.max(0, Math.floor(width / 2) - Math.floor(textWidth / 2) - 1);
  const after = Math.max(0, width - right.length - (left.length + before + textWidth));
  return `${left}${' '.repeat(before)}${text}${' '.repeat(after)}${right}`;
}

function leftAligned(text: string, width: number, left: string, right: string): string {
  const textWidth = displayWidth(text);
  const padding = width - (textWidth + 2 + left.length + right.length) >= 0 ? 2 : 0;
  const after = Math.max(0, width - (left.length + padding + textWidth) - right.length);
  return `${left}${' '.repeat(padding)}${text}${' '.repeat(after)}${right}`;
}

// East Asian wide and fullwidth characters take two terminal columns.
const WIDE_RANGES: readonly [number, number][] = [
  [0x1100, 0x115f],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe30, 0xfe4f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x1f300, 0x1f64f],
  [0x1f900, 0x1f9ff],
  [0x20000, 0x3fffd],
];

export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    width += WIDE_RANGES.some(([low, high]) => code >= low && code <= high) ? 2 : 1;
  }
  return width;
}
