/**
 * How the AWS CLI (Python) turns a JSON value into text: str() for a cell, so true is "True",
 * null is "None" and 1e-7 is "1e-07"; repr() inside the rare object shown in a cell; and keys
 * in Python's order. Shared by the text and table formatters.
 */
export function pythonStr(value: unknown): string {
  if (typeof value === 'string') return value;
  return pythonRepr(value);
}

function pythonRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return pythonNumber(value);
  if (typeof value === 'string') return quoted(value);
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>).map(([key, child]) => `${quoted(key)}: ${pythonRepr(child)}`);
  return `{${entries.join(', ')}}`;
}

/** Floats switch to an exponent below 1e-4 or from 1e16, as Python's do (JavaScript's at 1e-7 and 1e21). */
function pythonNumber(value: number): string {
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : value < 0 ? '-inf' : 'nan';
  // What JSON writes without a point or exponent, Python reads as an int; anything else is a float.
  const written = String(value);
  if (/^-?\d+$/.test(written)) return written;
  const [mantissa, exponentText] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  if (exponent >= -4 && exponent < 16) return String(value);
  return `${mantissa}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
}

/** Python's repr of a string: single quotes unless it holds one and no double quote. */
function quoted(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  const body = text.replace(/[\\\n\r\t]/g, (char) => ({ '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' })[char]!);
  return quote + (quote === "'" ? body.replace(/'/g, "\\'") : body) + quote;
}

/** Python's ordering of str: by code point (JavaScript's < compares UTF-16 units). */
export function byCodePoint(a: string, b: string): number {
  const left = [...a];
  const right = [...b];
  for (let index = 0; index < Math.min(left.length, right.length); index += 1) {
    const difference = left[index].codePointAt(0)! - right[index].codePointAt(0)!;
    if (difference !== 0) return difference;
  }
  return left.length - right.length;
}

export function sortedKeys(object: Record<string, unknown>): string[] {
  return Object.keys(object).sort(byCodePoint);
}

export function isScalar(value: unknown): boolean {
  return typeof value !== 'object' || value === null;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every key that holds a scalar in any of the objects, sorted. */
export function scalarKeysOf(objects: Record<string, unknown>[]): string[] {
  const keys = new Set<string>();
  for (const object of objects) for (const [key, child] of Object.entries(object)) if (isScalar(child)) keys.add(key);
  return [...keys].sort(byCodePoint);
}
