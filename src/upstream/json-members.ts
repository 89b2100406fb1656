/**
 * Reading a big JSON object member by member, in slices: a 13 MB packument parsed with one
 * JSON.parse holds the event loop for most of a second, while its members (one per version)
 * parse in microseconds each. The scanner finds where each member's value starts and ends,
 * skipping strings and nesting without building anything; a value wanted is then parsed on its
 * own with JSON.parse, which also checks it. Values not wanted are skipped unchecked.
 */
import type { Slicer } from './slices.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;

/**
 * Visits the members of the object at `start` in order. `visit` returns where the value it
 * read itself ends (for a value it descends into), or undefined to have it skipped. Resolves
 * to the index just past the object; throws SyntaxError when the text is not one.
 */
export async function forEachMember(
  text: string,
  start: number,
  slicer: Slicer,
  visit: (key: string, valueStart: number) => Promise<number | undefined> | number | undefined,
): Promise<number> {
  let index = skipSpace(text, start);
  if (text.charCodeAt(index) !== OPEN_BRACE) throw new SyntaxError(`expected an object at position ${index}`);
  index = skipSpace(text, index + 1);
  if (text.charCodeAt(index) === CLOSE_BRACE) return index + 1;
  for (;;) {
    if (text.charCodeAt(index) !== QUOTE) throw new SyntaxError(`expected a member name at position ${index}`);
    const keyEnd = skipString(text, index);
    const key = JSON.parse(text.slice(index, keyEnd)) as string;
    index = skipSpace(text, keyEnd);
    if (text.charCodeAt(index) !== COLON) throw new SyntaxError(`expected ':' at position ${index}`);
    const valueStart = skipSpace(text, index + 1);
    const valueEnd = (await visit(key, valueStart)) ?? skipValue(text, valueStart);
    index = skipSpace(text, valueEnd);
    const next = text.charCodeAt(index);
    if (next === CLOSE_BRACE) return index + 1;
    if (next !== COMMA) throw new SyntaxError(`expected ',' or '}' at position ${index}`);
    index = skipSpace(text, index + 1);
    if (slicer.due()) await slicer.turn();
  }
}

/** JSON.parse of the value starting at `start`; resolves to the value and where it ends. */
export function parseValueAt(text: string, start: number): { value: unknown; end: number } {
  const end = skipValue(text, start);
  return { value: JSON.parse(text.slice(start, end)), end };
}

/** The index just past the value at `start` (strings and nesting skipped, not checked). */
export function skipValue(text: string, start: number): number {
  const first = text.charCodeAt(start);
  if (first === QUOTE) return skipString(text, start);
  if (first === OPEN_BRACE || first === OPEN_BRACKET) {
    let depth = 0;
    for (let index = start; index < text.length; index++) {
      const char = text.charCodeAt(index);
      if (char === QUOTE) index = skipString(text, index) - 1;
      else if (char === OPEN_BRACE || char === OPEN_BRACKET) depth++;
      else if ((char === CLOSE_BRACE || char === CLOSE_BRACKET) && --depth === 0) return index + 1;
    }
    throw new SyntaxError('unexpected end of the document');
  }
  // A number, true, false or null: up to the next delimiter.
  let index = start;
  while (index < text.length && !isDelimiter(text.charCodeAt(index))) index++;
  if (index === start) throw new SyntaxError(`expected a value at position ${start}`);
  return index;
}

function skipString(text: string, start: number): number {
  for (let index = start + 1; index < text.length; index++) {
    const char = text.charCodeAt(index);
    if (char === BACKSLASH) index++;
    else if (char === QUOTE) return index + 1;
  }
  throw new SyntaxError('unterminated string');
}

function skipSpace(text: string, start: number): number {
  let index = start;
  while (index < text.length && isSpace(text.charCodeAt(index))) index++;
  return index;
}

function isSpace(char: number): boolean {
  return char === 0x20 || char === 0x0a || char === 0x0d || char === 0x09;
}

function isDelimiter(char: number): boolean {
  return char === COMMA || char === CLOSE_BRACE || char === CLOSE_BRACKET || isSpace(char);
}
