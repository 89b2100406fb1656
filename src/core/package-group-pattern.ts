/**
 * Package group patterns (docs/reference/package-groups.md): parsing, matching a package with a STRONG or
 * WEAK match, and ordering patterns by how specific they are. A package path is
 * /<format>/<namespace>/<name>, with an empty namespace written as '//'. A pattern ends in '$'
 * (the whole path), '~' (a prefix ending on a word boundary) or '*' (every value of the next
 * component, right after a '/').
 */
import { ValidationError } from '../errors.js';
import type { FormatRules } from './format-rules.js';
import type { PackageFormat } from './model.js';

/** From the least specific to the most: each kind covers a subset of the one before it. */
export type PatternKind = 'all' | 'format' | 'namespace-prefix' | 'namespace' | 'name-prefix' | 'name';
const KIND_RANK: Record<PatternKind, number> = { all: 0, format: 1, 'namespace-prefix': 2, namespace: 3, 'name-prefix': 4, name: 5 };

export interface PackageGroupPattern {
  text: string;
  kind: PatternKind;
  format?: PackageFormat;
  /** The exact namespace ('' for none), or the prefix of a namespace-prefix pattern. */
  namespace?: string;
  /** The exact name, or the prefix of a name-prefix pattern. */
  name?: string;
}

export type AssociationType = 'STRONG' | 'WEAK';

/** The package a pattern is matched against, with stored (normalised) names. */
export interface PackageCoordinates {
  format: PackageFormat;
  namespace?: string;
  name: string;
}

export const ROOT_PATTERN = '/*';
const MIN_LENGTH = 2;
const MAX_LENGTH = 520;
const FORBIDDEN = /[\p{C}\s]/u;
const COMPONENT = /^[^#/\s]{1,255}$/u;

function invalid(text: string, reason: string): ValidationError {
  return new ValidationError(`${JSON.stringify(text.slice(0, 80))} is not a package group pattern: ${reason}`, {
    hint: 'Patterns look like /*, /npm/*, /maven/com.anycompany~, /npm/space/*, /npm/space/ui~ or /pypi//requests$.',
  });
}

/** How the format component of a pattern is read: checked against the formats, or taken as stored. */
type FormatReader = (text: string, raw: string) => PackageFormat;

/**
 * Parses a pattern someone wrote, held to its format's rules for namespaces and names. `formats`:
 * every format's rules, as formats/registry.ts lists them (core knows no format by name).
 */
export function parsePackageGroupPattern(text: string, formats: readonly FormatRules[]): PackageGroupPattern {
  const rulesOf = (format: string) => formats.find((rules) => rules.format === format);
  const pattern = parsePatternSyntax(text, (patternText, raw) => {
    const rules = rulesOf(raw);
    if (!rules) throw invalid(patternText, `${JSON.stringify(raw)} is not a package format (${formats.map((each) => each.format).join(', ')}).`);
    return rules.format;
  });
  const rules = pattern.format === undefined ? undefined : rulesOf(pattern.format);
  return rules ? checkFormatRules(text, pattern, rules) : pattern;
}

/** Parses a stored pattern: its format and that format's rules were checked when it was written. */
export function readStoredPattern(text: string): PackageGroupPattern {
  return parsePatternSyntax(text, (_text, raw) => raw as PackageFormat);
}

function parsePatternSyntax(text: string, formatOf: FormatReader): PackageGroupPattern {
  if (typeof text !== 'string' || text.length < MIN_LENGTH || text.length > MAX_LENGTH) {
    throw invalid(String(text), `it must be ${MIN_LENGTH} to ${MAX_LENGTH} characters long.`);
  }
  if (FORBIDDEN.test(text)) throw invalid(text, 'it must not contain whitespace or control characters.');
  if (!text.startsWith('/')) throw invalid(text, "it must start with '/'.");
  const suffix = text[text.length - 1];
  const body = text.slice(1, -1);
  if (suffix === '*') {
    if (body === '') return { text, kind: 'all' };
    if (!body.endsWith('/')) throw invalid(text, "'*' must follow a '/'.");
    const parts = body.slice(0, -1).split('/');
    if (parts.length === 1) return { text, kind: 'format', format: formatOf(text, parts[0]) };
    if (parts.length === 2) return checked(text, { text, kind: 'namespace', format: formatOf(text, parts[0]), namespace: parts[1] });
    throw invalid(text, "'*' can follow the format or the namespace, not the name.");
  }
  if (suffix === '~' || suffix === '$') {
    const parts = body.split('/');
    if (suffix === '~' && parts.length === 2) {
      return checked(text, { text, kind: 'namespace-prefix', format: formatOf(text, parts[0]), namespace: parts[1] });
    }
    if (parts.length === 3) {
      return checked(text, { text, kind: suffix === '~' ? 'name-prefix' : 'name', format: formatOf(text, parts[0]), namespace: parts[1], name: parts[2] });
    }
    throw invalid(text, suffix === '$' ? "'$' must end a full path /<format>/<namespace>/<name>$." : "'~' must end a namespace or a name.");
  }
  throw invalid(text, "it must end with '$', '~' or '*'.");
}

/** The components' syntax, whatever the format. */
function checked(text: string, pattern: PackageGroupPattern): PackageGroupPattern {
  const namespace = pattern.namespace as string;
  if (pattern.kind === 'namespace-prefix' && namespace === '') throw invalid(text, "a '~' prefix must not be empty.");
  if (namespace !== '' && !COMPONENT.test(namespace)) throw invalid(text, "a namespace must not contain '#' or whitespace.");
  if (pattern.name !== undefined && !COMPONENT.test(pattern.name)) throw invalid(text, "a name must not be empty or contain '#' or whitespace.");
  return pattern;
}

/** The format's rules: whether its packages have namespaces, and names written as the format stores them. */
function checkFormatRules(text: string, pattern: PackageGroupPattern, rules: FormatRules): PackageGroupPattern {
  const { format } = rules;
  const namespace = pattern.namespace ?? '';
  if (pattern.kind === 'format') return pattern;
  if (namespace !== '') {
    if (rules.namespace === 'forbidden') throw invalid(text, `${format} packages have no namespace; write /${format}//<name>.`);
    const stored = rules.normalizeNamespace(namespace);
    if (stored !== namespace) throw invalid(text, `${format} ${rules.namespaceWord}s are written as stored: ${stored}.`);
  } else if (rules.namespace === 'required') {
    throw invalid(text, `${format} packages always have a namespace.`);
  }
  if (pattern.name !== undefined) {
    const stored = rules.normalizeName(pattern.name);
    if (stored !== pattern.name) throw invalid(text, `${format} names are written normalised: ${stored}.`);
  }
  return pattern;
}

const WORD_END = /[\p{L}\p{N}\p{M}]$/u;
const WORD_CONTINUES = /^[\p{L}\p{N}\p{M}]/u;

/** `value` starts with `prefix`, and the prefix does not stop in the middle of a word. */
function hasWordPrefix(value: string, prefix: string): boolean {
  if (!value.startsWith(prefix)) return false;
  return !(WORD_END.test(prefix) && WORD_CONTINUES.test(value.slice(prefix.length)));
}

// Look-alike characters folded onto one Latin letter. 'i', 'l', 'I', '1' and '|' are one class:
// case variants join 'i' to 'I', and 'I' is confusable with 'l'.
const CONFUSABLES: Record<string, string> = {
  '0': 'o',
  ο: 'o',
  о: 'o',
  ө: 'o',
  '1': 'l',
  i: 'l',
  '|': 'l',
  ı: 'l',
  ɩ: 'l',
  ι: 'l',
  і: 'l',
  ӏ: 'l',
  а: 'a',
  α: 'a',
  е: 'e',
  ѐ: 'e',
  р: 'p',
  ρ: 'p',
  с: 'c',
  ϲ: 'c',
  х: 'x',
  χ: 'x',
  у: 'y',
  ү: 'y',
  ѕ: 's',
  ј: 'j',
  ԁ: 'd',
  һ: 'h',
  к: 'k',
  κ: 'k',
  ν: 'v',
  υ: 'u',
  ɡ: 'g',
  ԛ: 'q',
  ԝ: 'w',
};

/**
 * The form two names share when one is a variant of the other: compatibility-decomposed with
 * marks dropped, lower case, look-alikes folded, and every run of '-', '.' and '_' as one '.'.
 */
export function variantKey(value: string): string {
  const folded = value.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  return Array.from(folded, (char) => CONFUSABLES[char] ?? char)
    .join('')
    .replace(/[-._]+/g, '.');
}

type ComponentMatch = AssociationType | undefined;

function matchExact(value: string, wanted: string): ComponentMatch {
  if (value === wanted) return 'STRONG';
  return wanted !== '' && value !== '' && variantKey(value) === variantKey(wanted) ? 'WEAK' : undefined;
}

function matchPrefix(value: string, prefix: string): ComponentMatch {
  if (hasWordPrefix(value, prefix)) return 'STRONG';
  return value !== '' && hasWordPrefix(variantKey(value), variantKey(prefix)) ? 'WEAK' : undefined;
}

function weakest(...matches: ComponentMatch[]): ComponentMatch {
  if (matches.includes(undefined)) return undefined;
  return matches.includes('WEAK') ? 'WEAK' : 'STRONG';
}

/** How the package matches the pattern: STRONG (as written), WEAK (a variant of it), or not at all. */
export function matchPattern(pattern: PackageGroupPattern, pkg: PackageCoordinates): AssociationType | undefined {
  if (pattern.kind === 'all') return 'STRONG';
  if (pkg.format !== pattern.format) return undefined;
  const namespace = pkg.namespace ?? '';
  const wanted = pattern.namespace as string;
  switch (pattern.kind) {
    case 'format':
      return 'STRONG';
    case 'namespace-prefix':
      return matchPrefix(namespace, wanted);
    case 'namespace':
      return matchExact(namespace, wanted);
    case 'name-prefix':
      return weakest(matchExact(namespace, wanted), matchPrefix(pkg.name, pattern.name as string));
    case 'name':
      return weakest(matchExact(namespace, wanted), matchExact(pkg.name, pattern.name as string));
  }
}

/** Positive when `a` is more specific than `b`: by kind, then by the length of a prefix. */
export function compareSpecificity(a: PackageGroupPattern, b: PackageGroupPattern): number {
  const byKind = KIND_RANK[a.kind] - KIND_RANK[b.kind];
  if (byKind !== 0) return byKind;
  if (a.kind === 'namespace-prefix') return (a.namespace as string).length - (b.namespace as string).length;
  if (a.kind === 'name-prefix') return (a.name as string).length - (b.name as string).length;
  return 0;
}

/** Whether every package `inner` matches (as written) is also matched by `outer`; false for the same pattern. */
export function patternContains(outer: PackageGroupPattern, inner: PackageGroupPattern): boolean {
  if (outer.text === inner.text || KIND_RANK[outer.kind] > KIND_RANK[inner.kind]) return false;
  if (outer.kind === 'all') return true;
  if (inner.format !== outer.format) return false;
  const outerNamespace = outer.namespace as string;
  const innerNamespace = inner.namespace as string;
  switch (outer.kind) {
    case 'format':
      return true;
    case 'namespace-prefix':
      return innerNamespace !== '' && hasWordPrefix(innerNamespace, outerNamespace);
    case 'namespace':
      return KIND_RANK[inner.kind] > KIND_RANK.namespace && innerNamespace === outerNamespace;
    case 'name-prefix':
      return innerNamespace === outerNamespace && hasWordPrefix(inner.name as string, outer.name as string);
    case 'name':
      return false;
  }
}

/** The package's path in pattern syntax, e.g. /npm/space/ui or /pypi//requests. */
export function packagePath(pkg: PackageCoordinates): string {
  return `/${pkg.format}/${pkg.namespace ?? ''}/${pkg.name}`;
}
