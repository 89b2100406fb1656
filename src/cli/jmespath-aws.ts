/**
 * JMESPath as the AWS CLI evaluates it: @jmespath-community/jmespath (which passes the JMESPath
 * compliance suite) with the three places where the AWS CLI's Python `jmespath` answers otherwise
 * brought in line (docs/output.md lists them):
 * - a backtick literal that is not JSON is a string (`Published`), as JMESPath 1.0 allowed;
 * - a raw string literal 'x' keeps every backslash but the one before a quote;
 * - max, min, max_by and min_by order strings by code point, not by locale.
 */
import {
  TreeInterpreter,
  TYPE_ARRAY,
  TYPE_ARRAY_NUMBER,
  TYPE_ARRAY_STRING,
  TYPE_EXPREF,
  compile,
  registerFunction,
  search,
  type JSONValue,
} from '@jmespath-community/jmespath';

/** Named as the engine names its own syntax errors, so callers tell them from evaluation errors. */
class UnterminatedLiteral extends Error {
  override name = 'LexerError';
  constructor(quote: string, column: number) {
    super(`Syntax error: ${quote} at column ${column} is never closed`);
  }
}

/** Rewrites raw string and backtick literals as JSON backtick literals holding the AWS CLI's value. */
export function normalizeLiterals(expression: string): string {
  let out = '';
  let index = 0;
  // Reads up to the closing `end`, stepping over any backslash pair (so `\'` and `\`` do not close it).
  const readUntil = (end: string): string | undefined => {
    const start = index;
    while (index < expression.length && expression[index] !== end) index += expression[index] === '\\' ? 2 : 1;
    if (index >= expression.length) return undefined;
    const body = expression.slice(start, index);
    index += 1;
    return body;
  };
  const asLiteral = (value: JSONValue) => `\`${JSON.stringify(value).replace(/`/g, '\\`')}\``;
  while (index < expression.length) {
    const char = expression[index];
    if (char === '"' || char === "'" || char === '`') {
      const start = index;
      index += 1;
      const body = readUntil(char);
      if (body === undefined) throw new UnterminatedLiteral(char, start);
      if (char === '"') {
        out += expression.slice(start, index);
      } else if (char === "'") {
        out += asLiteral(body.replace(/\\'/g, "'"));
      } else {
        // Not JSON, not even as a string: left as written, for the engine to refuse.
        const value = backtickValue(body.replace(/\\`/g, '`'));
        out += value === undefined ? expression.slice(start, index) : asLiteral(value);
      }
    } else {
      out += char;
      index += 1;
    }
  }
  return out;
}

/** JSON if it parses; else the text (leading blanks dropped) as a JSON string body; else nothing. */
function backtickValue(text: string): JSONValue | undefined {
  try {
    return JSON.parse(text) as JSONValue;
  } catch {
    try {
      return JSON.parse(`"${text.trimStart()}"`) as JSONValue;
    } catch {
      return undefined;
    }
  }
}

const byCodePoint = (a: unknown, b: unknown): number => {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  throw new Error(`Invalid type: cannot compare ${typeof a} with ${typeof b}`);
};

/** The first element whose key wins (as Python's max and min keep the first of equals). */
function pick(items: JSONValue[], key: (item: JSONValue) => unknown, wins: (order: number) => boolean): JSONValue {
  if (items.length === 0) return null;
  let best = items[0];
  let bestKey = key(best);
  for (const item of items.slice(1)) {
    const itemKey = key(item);
    if (wins(byCodePoint(itemKey, bestKey))) {
      best = item;
      bestKey = itemKey;
    }
  }
  return best;
}

function sortKey(expref: unknown, name: string): (item: JSONValue) => unknown {
  return (item) => {
    const value = TreeInterpreter.visit(expref as Parameters<typeof TreeInterpreter.visit>[0], item);
    if (typeof value !== 'number' && typeof value !== 'string') throw new Error(`Invalid type: ${name}() expression must give a number or a string`);
    return value;
  };
}

let registered = false;

function registerAwsOrdering(): void {
  if (registered) return;
  registered = true;
  const override = { override: true };
  const scalars = [{ types: [TYPE_ARRAY_NUMBER, TYPE_ARRAY_STRING] }];
  const byExpression = [{ types: [TYPE_ARRAY] }, { types: [TYPE_EXPREF] }];
  registerFunction(
    'max',
    ([items]) =>
      pick(
        items as JSONValue[],
        (item) => item,
        (order) => order > 0,
      ),
    scalars,
    override,
  );
  registerFunction(
    'min',
    ([items]) =>
      pick(
        items as JSONValue[],
        (item) => item,
        (order) => order < 0,
      ),
    scalars,
    override,
  );
  registerFunction('max_by', ([items, expref]) => pick(items as JSONValue[], sortKey(expref, 'max_by'), (order) => order > 0), byExpression, override);
  registerFunction('min_by', ([items, expref]) => pick(items as JSONValue[], sortKey(expref, 'min_by'), (order) => order < 0), byExpression, override);
}

export function searchAsAwsCli(data: JSONValue, expression: string): JSONValue {
  registerAwsOrdering();
  return search(data, normalizeLiterals(expression));
}

/** Parses the expression only, throwing the engine's LexerError or ParserError for bad syntax. */
export function parseAsAwsCli(expression: string): void {
  compile(normalizeLiterals(expression));
}
