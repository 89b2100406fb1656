/**
 * The shape of a cargo version requirement (the semver crate's `VersionReq`): `*`, or
 * comparators joined by commas, each an optional operator and a partial version, whitespace
 * allowed around both. This accepts everything cargo does and a little more (leading zeros):
 * it is here to keep out lines cargo would call "invalid" and so never resolve, not to judge
 * every detail.
 */
const PART = '(?:\\d+|[*xX])';
const IDENTIFIERS = '[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*';
const COMPARATOR = new RegExp(`^\\s*(?:=|>=|<=|>|<|~|\\^)?\\s*${PART}(?:\\.${PART}){0,2}(?:-${IDENTIFIERS})?(?:\\+${IDENTIFIERS})?\\s*$`);

export function isCargoVersionReq(req: string): boolean {
  if (req.trim() === '*') return true;
  return req.split(',').every((comparator) => COMPARATOR.test(comparator));
}
