/**
 * What the metadata cache keeps of an upstream answer must be safe to write back and to
 * render, whatever the registry sent: a well-formed but hostile answer (dependencies nested
 * 100,000 deep, a version key holding half a surrogate pair, a `__proto__` key) would
 * otherwise be cached and make every later read of the package fail. The walk runs on the
 * format's parsed and trimmed document, so its limits are on what is kept, not on the text.
 */

import { Slicer } from './slices.js';

// Kept package metadata is a few levels deep (versions > manifest > peerDependenciesMeta > name > optional).
export const MAX_KEPT_DEPTH = 32;
// Descriptions and READMEs-as-descriptions run long; nothing a client reads needs more.
export const MAX_KEPT_STRING_CHARS = 1024 * 1024;
// Names, versions and URLs used as keys.
export const MAX_KEPT_KEY_CHARS = 4096;

/**
 * Why the kept document is unusable, or undefined when it may be kept. Iterative (no stack to
 * exhaust) and in slices (a 60,000-version packument is a third of a second of walking).
 */
export async function keptDocumentProblem(document: unknown, slicer = new Slicer()): Promise<string | undefined> {
  const pending: Array<{ value: unknown; depth: number }> = [{ value: document, depth: 0 }];
  while (pending.length > 0) {
    if (slicer.due()) await slicer.turn();
    const { value, depth } = pending.pop()!;
    if (typeof value === 'string') {
      if (value.length > MAX_KEPT_STRING_CHARS) return `a value is longer than ${MAX_KEPT_STRING_CHARS} characters`;
      if (hasLoneSurrogate(value)) return 'a value holds an unpaired surrogate';
      continue;
    }
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) return 'a number is not finite';
      continue;
    }
    if (value === null || value === undefined || typeof value === 'boolean') continue;
    if (typeof value !== 'object') return `a value is a ${typeof value}`;
    if (depth >= MAX_KEPT_DEPTH) return `it is nested more than ${MAX_KEPT_DEPTH} levels deep`;
    // A `__proto__` key assigned by a parser replaces the object's prototype: not plain data any more.
    const prototype = Object.getPrototypeOf(value) as object | null;
    if (Array.isArray(value)) {
      if (prototype !== Array.prototype) return 'an array is not plain data';
      for (const item of value) pending.push({ value: item, depth: depth + 1 });
      continue;
    }
    if (prototype !== Object.prototype && prototype !== null) return 'an object is not plain data';
    for (const key of Object.keys(value)) {
      if (key === '__proto__') return 'a key is named __proto__';
      if (key.length > MAX_KEPT_KEY_CHARS) return `a key is longer than ${MAX_KEPT_KEY_CHARS} characters`;
      if (hasLoneSurrogate(key)) return 'a key holds an unpaired surrogate';
      pending.push({ value: (value as Record<string, unknown>)[key], depth: depth + 1 });
    }
  }
  return undefined;
}

// With the u flag a surrogate pair is one code point, so only halves standing alone match.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

export function hasLoneSurrogate(text: string): boolean {
  return LONE_SURROGATE.test(text);
}
