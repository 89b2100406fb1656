/**
 * The gemspec in metadata.gz is YAML written with Ruby object tags. It is read as data only
 * (docs/formats/ruby.md, "Reading the gemspec safely"): every scalar stays a string (YAML's
 * failsafe schema), the few RubyGems tags become plain maps, any other tag is refused (in Ruby
 * it would instantiate a class), and text size and alias expansions are capped (YAML bombs).
 */
import { parseDocument, type CollectionTag } from 'yaml';
import { ValidationError } from '../../errors.js';

export const MAX_GEMSPEC_BYTES = 2 * 1024 * 1024;
const MAX_ALIASES = 200;
// The yaml parser's memory grows steeply with nesting ('[' x 200k exhausts the heap), and no
// gemspec nests deeper than a few levels, so deep nesting is refused before parsing.
const MAX_FLOW_DEPTH = 64;
const MAX_INDENT = 256;

const ALLOWED_TAGS: CollectionTag[] = ['Specification', 'Version', 'Requirement', 'Dependency', 'Platform'].map((name) => ({
  tag: `!ruby/object:Gem::${name}`,
  collection: 'map',
  identify: () => false,
  // The map stays a map: the tag only says which RubyGems class Ruby would make of it.
  resolve: (map) => map,
}));

/** The gemspec as plain data: maps, lists and strings only. */
export function parseGemspecYaml(text: string, what = 'The gemspec'): unknown {
  if (Buffer.byteLength(text) > MAX_GEMSPEC_BYTES) throw new ValidationError(`${what} is larger than ${MAX_GEMSPEC_BYTES} bytes.`);
  checkNesting(text, what);
  const document = parseDocument(text, { schema: 'failsafe', customTags: ALLOWED_TAGS, uniqueKeys: false, prettyErrors: false });
  const problem = document.errors[0] ?? document.warnings[0];
  if (problem) {
    const tag = /Unresolved tag: (\S+)/.exec(problem.message)?.[1];
    if (tag) throw new ValidationError(`${what} uses the YAML tag ${tag.slice(0, 80)}, which is not allowed: only the RubyGems specification tags are read.`);
    throw new ValidationError(`${what} is not valid YAML: ${problem.message.split('\n')[0].slice(0, 200)}.`);
  }
  try {
    return document.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (error) {
    // yaml throws a ReferenceError when aliases expand past the cap.
    throw new ValidationError(`${what} expands too many YAML aliases (more than ${MAX_ALIASES}); it was refused as a possible YAML bomb.`, { cause: error });
  }
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
