/**
 * The gemspec in metadata.gz is YAML written with Ruby object tags. It is read as data only
 * (docs/formats/ruby.md, "Reading the gemspec safely"): every scalar stays a string (YAML's
 * failsafe schema), the few RubyGems tags become plain maps, any other tag is refused (in Ruby
 * it would instantiate a class), and text size, nesting and what aliases expand to are capped
 * (YAML bombs). js-yaml reads it: about ten times as fast as the `yaml` package here, and a
 * cold gem's gemspec is on the path of its first download.
 */
import { FAILSAFE_SCHEMA, load, Type, YAMLException } from 'js-yaml';
import { ValidationError } from '../../errors.js';

export const MAX_GEMSPEC_BYTES = 2 * 1024 * 1024;
// Values that aliases may add to the document once expanded: RubyGems' own aliases (an old
// gemspec shares each dependency's requirement) add a handful each; a "billion laughs" adds millions.
export const MAX_ALIAS_VALUES = 10_000;
// The parser's memory grows steeply with nesting ('[' x 200k exhausts the heap), and no
// gemspec nests deeper than a few levels, so deep nesting is refused before parsing.
const MAX_FLOW_DEPTH = 64;
const MAX_INDENT = 256;
// Aliases can chain deeper than any one line nests (a1: [*a0], a2: [*a1], ...).
const MAX_DEPTH = 256;

const RUBYGEMS_TAGS = ['Specification', 'Version', 'Requirement', 'Dependency', 'Platform'].map(
  // The map stays a map: the tag only says which RubyGems class Ruby would make of it.
  (name) => new Type(`!ruby/object:Gem::${name}`, { kind: 'mapping', construct: (data) => data ?? {} }),
);
const SCHEMA = FAILSAFE_SCHEMA.extend(RUBYGEMS_TAGS);

/** The gemspec as plain data: maps, lists and strings only (an empty value is ''). */
export function parseGemspecYaml(text: string, what = 'The gemspec'): unknown {
  if (Buffer.byteLength(text) > MAX_GEMSPEC_BYTES) throw new ValidationError(`${what} is larger than ${MAX_GEMSPEC_BYTES} bytes.`);
  checkNesting(text, what);
  let parsed: unknown;
  try {
    // json: a key given twice keeps the last value, as Ruby's YAML does, instead of failing.
    parsed = load(text, { schema: SCHEMA, json: true });
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error;
    const tag = /unknown tag !<([^>]*)>/.exec(error.reason)?.[1];
    if (tag) throw new ValidationError(`${what} uses the YAML tag ${tag.slice(0, 80)}, which is not allowed: only the RubyGems specification tags are read.`);
    throw new ValidationError(`${what} is not valid YAML: ${error.reason.slice(0, 200)}.`);
  }
  checkExpansion(parsed, what);
  return plainCopy(parsed);
}

/** Refuses flow collections nested too deep and lines indented too far (block nesting), cheaply. */
function checkNesting(text: string, what: string): void {
  let depth = 0;
  let quote: string | undefined;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (quote) {
      if (char === '\\' && quote === '"') index += 1;
      else if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '[' || char === '{') {
      depth += 1;
      if (depth > MAX_FLOW_DEPTH) throw new ValidationError(`${what} nests YAML collections more than ${MAX_FLOW_DEPTH} deep.`);
    } else if ((char === ']' || char === '}') && depth > 0) depth -= 1;
    else if (char === '\n') quote = undefined;
  }
  for (const line of text.split('\n')) {
    const indent = /^[ \t-]*/.exec(line)?.[0].length ?? 0;
    if (indent > MAX_INDENT) throw new ValidationError(`${what} nests YAML blocks too deep (a line indented more than ${MAX_INDENT} columns).`);
  }
}

/**
 * js-yaml hands an alias the very object its anchor names, so the parse is a graph as large as
 * the text. Expanded, it may be far larger: refused when aliases add more than MAX_ALIAS_VALUES
 * values, or when an alias names a collection it sits in. Each collection is sized once.
 */
function checkExpansion(root: unknown, what: string): void {
  const sizes = new Map<object, number>();
  let distinct = 0;
  const size = (value: unknown, depth: number): number => {
    if (typeof value !== 'object' || value === null) return 1;
    if (depth > MAX_DEPTH) throw new ValidationError(`${what} nests YAML values more than ${MAX_DEPTH} deep through its aliases.`);
    const known = sizes.get(value);
    if (known !== undefined) return known;
    // Until it is sized, a collection reached again is one that contains itself: endless.
    sizes.set(value, Number.POSITIVE_INFINITY);
    let total = 1;
    distinct += 1;
    for (const child of Object.values(value)) {
      total += size(child, depth + 1);
      if (typeof child !== 'object' || child === null) distinct += 1;
    }
    sizes.set(value, total);
    return total;
  };
  if (size(root, 0) - distinct > MAX_ALIAS_VALUES) {
    throw new ValidationError(`${what}'s YAML aliases expand to more than ${MAX_ALIAS_VALUES} values; it was refused as a possible YAML bomb.`);
  }
}

/** Maps, lists and strings, each alias expanded into a copy of its own; null (an empty value) becomes ''. */
function plainCopy(value: unknown): unknown {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(plainCopy);
  const copy: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) {
    // A key named __proto__ stays a key, never the copy's prototype.
    Object.defineProperty(copy, key, { value: plainCopy(member), enumerable: true, writable: true, configurable: true });
  }
  return copy;
}
