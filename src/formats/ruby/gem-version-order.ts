/**
 * Gem::Version ordering, enough to list versions in order: segments split at '.' and between
 * digits and letters; numbers compare as numbers, a letter segment sorts before any number
 * (1.0.a < 1.0), trailing zeros do not count (1.0 == 1).
 */
function segments(version: string): (number | string)[] {
  const parts = version.match(/[0-9]+|[A-Za-z]+/g) ?? [];
  const result = parts.map((part) => (/^[0-9]/.test(part) ? Number(part) : part));
  while (result.length > 1 && result[result.length - 1] === 0) result.pop();
  return result;
}

export function compareGemVersions(a: string, b: string): number {
  const precedence = comparePrecedence(a, b);
  if (precedence !== 0) return precedence;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Two spellings RubyGems takes for one version (`1.0` and `1.0.0`, `01.0` and `1.0`). */
export function isSameGemVersion(a: string, b: string): boolean {
  return comparePrecedence(a, b) === 0;
}

function comparePrecedence(a: string, b: string): number {
  const left = segments(a);
  const right = segments(b);
  for (let index = 0; index < Math.max(left.length, right.length); index += 1) {
    const x = left[index] ?? 0;
    const y = right[index] ?? 0;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    if (typeof x === 'string' && typeof y === 'string') return x < y ? -1 : 1;
    return typeof x === 'string' ? -1 : 1;
  }
  return 0;
}
