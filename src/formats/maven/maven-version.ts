/**
 * Maven's version order (the rules of Maven's ComparableVersion, written from its documented
 * behaviour): a version splits at '.', '-' and digit/letter changes into numbers and qualifiers;
 * '-' (and a digit/letter change) opens a nested list; trailing zeros and release qualifiers are
 * dropped; known qualifiers order alpha < beta < milestone < rc < snapshot < release < sp, and
 * unknown ones come after them in text order. `<versions>`, `latest` and `release` follow it.
 */

type Item = bigint | string | Item[];

const QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
const ALIASES: Readonly<Record<string, string>> = { ga: '', final: '', release: '', cr: 'rc' };
const RELEASE_RANK = String(QUALIFIERS.indexOf(''));

export function isSnapshotVersion(version: string): boolean {
  return version.endsWith('-SNAPSHOT');
}

/** Negative when a sorts before b, positive after, zero when Maven holds them equal. */
export function compareMavenVersions(a: string, b: string): number {
  return compareItems(parseVersion(a), parseVersion(b));
}

export function sortMavenVersions(versions: Iterable<string>): string[] {
  const parsed = [...versions].map((text) => ({ text, items: parseVersion(text) }));
  parsed.sort((x, y) => compareItems(x.items, y.items) || (x.text < y.text ? -1 : x.text > y.text ? 1 : 0));
  return parsed.map((entry) => entry.text);
}

function parseVersion(version: string): Item[] {
  const root: Item[] = [];
  let list = root;
  const stack: Item[][] = [root];
  let token = '';
  let tokenIsDigits = false;
  const openList = () => {
    const nested: Item[] = [];
    list.push(nested);
    list = nested;
    stack.push(nested);
  };
  const flush = (followedByDigit: boolean) => {
    list.push(tokenIsDigits ? BigInt(token) : qualifier(token, followedByDigit));
    token = '';
  };
  const text = version.toLowerCase();
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (char === '.' || char === '-') {
      if (token === '') list.push(0n);
      else flush(false);
      if (char === '-') openList();
      tokenIsDigits = false;
      continue;
    }
    const isDigit = char >= '0' && char <= '9';
    // A change between digits and letters without a separator counts as '-' (1a1 = 1-a-1).
    if (token !== '' && isDigit !== tokenIsDigits) {
      flush(isDigit);
      openList();
    }
    tokenIsDigits = isDigit;
    token += char;
  }
  if (token !== '') flush(false);
  for (const nested of stack.reverse()) normalize(nested);
  return root;
}

/** 'a1', 'b2', 'm3' are the short forms of alpha, beta and milestone when a number follows. */
function qualifier(token: string, followedByDigit: boolean): string {
  if (followedByDigit && token.length === 1) {
    const short: Readonly<Record<string, string>> = { a: 'alpha', b: 'beta', m: 'milestone' };
    if (short[token]) return short[token];
  }
  return ALIASES[token] ?? token;
}

/** Drops trailing items that equal "nothing" (0, release, empty lists), up to the last non-list. */
function normalize(list: Item[]): void {
  for (let i = list.length - 1; i >= 0; i -= 1) {
    const item = list[i];
    if (isNothing(item)) list.splice(i, 1);
    else if (!Array.isArray(item)) break;
  }
}

function isNothing(item: Item): boolean {
  if (typeof item === 'bigint') return item === 0n;
  if (typeof item === 'string') return rank(item) === RELEASE_RANK;
  return item.length === 0;
}

/** Known qualifiers rank by their place; unknown ones after all of them, in text order. */
function rank(qualifierText: string): string {
  const index = QUALIFIERS.indexOf(qualifierText);
  return index >= 0 ? String(index) : `${QUALIFIERS.length}-${qualifierText}`;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Compares two items; `undefined` stands for a missing item (as when 1.0 meets 1.0.1). */
function compareItems(a: Item | undefined, b: Item | undefined): number {
  if (a === undefined) return b === undefined ? 0 : -compareItems(b, undefined);
  if (typeof a === 'bigint') {
    if (b === undefined) return a === 0n ? 0 : 1;
    if (typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
    return 1;
  }
  if (typeof a === 'string') {
    if (b === undefined) return compareText(rank(a), RELEASE_RANK);
    if (typeof b === 'string') return compareText(rank(a), rank(b));
    return -1;
  }
  if (b === undefined) return a.length === 0 ? 0 : compareItems(a[0], undefined);
  if (typeof b === 'bigint') return -1;
  if (typeof b === 'string') return 1;
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    const result = compareItems(a[i], b[i]);
    if (result !== 0) return result;
  }
  return 0;
}
