/**
 * Orders strings as people read versions: runs of digits compare as numbers (1.9.0 before
 * 1.10.0), letters without regard to case, punctuation before digits and digits before
 * letters, as a numeric collation does. Written out because creating an Intl.Collator loads
 * ICU's collation data (15 ms of a CLI command) and each of its comparisons is slow too.
 * Strings equal in that order are ordered lowercase first, then by their code units, so a
 * sort is always the same.
 */
const ZERO = 48;
const NINE = 57;
// ASCII punctuation and symbols in the order of Unicode's default collation.
const SYMBOL_ORDER = ` _-,;:!?.'"()[]{}@*/\\&#%\`^+<=>|~$`;
const SYMBOL_WEIGHT = new Map([...SYMBOL_ORDER].map((char, index) => [char.charCodeAt(0), index + 1]));

export function compareNatural(a: string, b: string): number {
  // Neighbours in a sorted list share most of their text (1.4.2, 1.4.3): step over what is the
  // same, back to the start of a run of digits, since a run compares as one number.
  let i = 0;
  const shorter = Math.min(a.length, b.length);
  while (i < shorter && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  while (i > 0 && isDigit(a.charCodeAt(i - 1))) i--;
  let j = i;
  while (i < a.length && j < b.length) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(j);
    if (isDigit(ca) && isDigit(cb)) {
      // Whole runs of digits, leading zeros aside: the longer number is the larger.
      while (i < a.length - 1 && a.charCodeAt(i) === ZERO && isDigit(a.charCodeAt(i + 1))) i++;
      while (j < b.length - 1 && b.charCodeAt(j) === ZERO && isDigit(b.charCodeAt(j + 1))) j++;
      let endA = i;
      let endB = j;
      while (endA < a.length && isDigit(a.charCodeAt(endA))) endA++;
      while (endB < b.length && isDigit(b.charCodeAt(endB))) endB++;
      if (endA - i !== endB - j) return endA - i - (endB - j);
      for (; i < endA; i++, j++) {
        const difference = a.charCodeAt(i) - b.charCodeAt(j);
        if (difference !== 0) return difference;
      }
      continue;
    }
    const difference = weight(ca) - weight(cb);
    if (difference !== 0) return difference;
    i++;
    j++;
  }
  if (i < a.length || j < b.length) return i < a.length ? 1 : -1;
  // Equal but for case or leading zeros: lowercase first (as a collation's last level has it).
  return a === b ? 0 : a > b ? -1 : 1;
}

function isDigit(code: number): boolean {
  return code >= ZERO && code <= NINE;
}

/** Punctuation and symbols first ('_' before '-' before '.' before '+'), then digits, then letters in any case. */
function weight(code: number): number {
  if (code >= 65 && code <= 90) return 0x20000 + code + 32;
  if (code >= 97 && code <= 122) return 0x20000 + code;
  if (code > 127) return 0x30000 + code;
  if (isDigit(code)) return 0x10000 + code;
  return SYMBOL_WEIGHT.get(code) ?? 0x100 + code;
}
