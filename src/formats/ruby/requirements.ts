/**
 * Version requirements as RubyGems keeps them: a list of `[operator, version]` pairs, all of
 * which must hold. Written `>= 1.0&< 2` in the compact index and `>= 1.0, < 2` for people.
 */
export type Requirement = [string, string][];

const OPERATORS = new Set(['=', '!=', '>', '<', '>=', '<=', '~>']);
const VERSION_TEXT = /^[0-9A-Za-z.]+$/;
export const ANY_VERSION: Requirement = [['>=', '0']];

export function isRequirement(value: unknown): value is Requirement {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.length <= 20 &&
    (value as unknown[]).every(
      (pair) =>
        Array.isArray(pair) &&
        pair.length === 2 &&
        typeof pair[0] === 'string' &&
        OPERATORS.has(pair[0]) &&
        typeof pair[1] === 'string' &&
        VERSION_TEXT.test(pair[1]),
    )
  );
}

/** The compact index form: `>= 1.0&< 2`. */
export function compactRequirement(requirement: Requirement): string {
  return requirement.map(([operator, version]) => `${operator} ${version}`).join('&');
}

/** The form people read: `>= 1.0, < 2`. */
export function displayRequirement(requirement: Requirement): string {
  return requirement.map(([operator, version]) => `${operator} ${version}`).join(', ');
}

/** Parses one `op version` constraint; undefined when it is not one. */
export function parseConstraint(text: string): [string, string] | undefined {
  const match = /^\s*(=|!=|>=|<=|~>|>|<)?\s*([0-9A-Za-z.]+)\s*$/.exec(text);
  if (!match) return undefined;
  return [match[1] ?? '=', match[2]];
}
