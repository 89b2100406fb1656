/**
 * `--output text`, exactly as the AWS CLI writes it (docs/output.md): an object's scalar fields on
 * one tab-separated line in key order, led by the upper-cased name of the field that held it;
 * its lists and objects after it, each under its own name. In a list of objects every line has a
 * column for every scalar key any of them has (empty where missing), so `cut -f` finds the same
 * field in the same column. An empty list prints nothing.
 */
import { isObject, isScalar, pythonStr, scalarKeysOf, sortedKeys } from './python-str.js';

export function renderText(value: unknown): string {
  const lines: string[] = [];
  writeValue(value, lines);
  return lines.map((line) => `${line}\n`).join('');
}

function writeValue(value: unknown, lines: string[], label?: string, columns?: string[]): void {
  if (Array.isArray(value)) writeList(value, lines, label);
  else if (isObject(value)) writeObject(value, lines, label, columns);
  else lines.push(pythonStr(value));
}

function writeList(items: unknown[], lines: string[], label: string | undefined): void {
  if (items.length === 0) return;
  if (items.some(isObject)) {
    const columns = scalarKeysOf(items.filter(isObject));
    for (const item of items) writeValue(item, lines, label, columns);
    return;
  }
  const scalars = items.filter(isScalar);
  const nested = items.filter((item) => !isScalar(item));
  if (scalars.length > 0) {
    // Under a label each value gets its own line; a bare list is one line.
    if (label === undefined) lines.push(scalars.map(pythonStr).join('\t'));
    else for (const item of scalars) lines.push(`${label.toUpperCase()}\t${pythonStr(item)}`);
  }
  for (const item of nested) writeValue(item, lines, label);
}

function writeObject(object: Record<string, unknown>, lines: string[], label: string | undefined, columns: string[] | undefined): void {
  const cells: string[] = [];
  const nested: string[] = [];
  if (columns === undefined) {
    for (const key of sortedKeys(object)) {
      if (isScalar(object[key])) cells.push(pythonStr(object[key]));
      else nested.push(key);
    }
  } else {
    // The list's columns, in order, even where this object lacks the key.
    for (const key of columns) cells.push(Object.hasOwn(object, key) ? pythonStr(object[key]) : '');
    nested.push(...sortedKeys(object).filter((key) => !columns.includes(key)));
  }
  if (cells.length > 0) lines.push((label === undefined ? cells : [label.toUpperCase(), ...cells]).join('\t'));
  for (const key of nested) writeValue(object[key], lines, key);
}
