/**
 * --query: a JMESPath expression applied to a command's result before it is printed, evaluated
 * as the AWS CLI evaluates it (jmespath-aws.ts; docs/output.md says why and how it is tested).
 */
import type { JSONValue } from '@jmespath-community/jmespath';
import { ValidationError } from '../errors.js';

export async function applyQuery(result: unknown, query: string | undefined): Promise<unknown> {
  if (!query) return result;
  const { searchAsAwsCli } = await import('./jmespath-aws.js');
  // A plain JSON copy: the engine sees exactly what --output json would print.
  const data = JSON.parse(JSON.stringify(result ?? {})) as JSONValue;
  try {
    return searchAsAwsCli(data, query) ?? null;
  } catch (error) {
    const { name, message } = error as Error;
    const what = /^(Parser|Lexer)Error$/.test(name) ? 'is not a valid JMESPath expression' : 'cannot be applied to the result';
    throw new ValidationError(`--query ${JSON.stringify(query)} ${what}: ${message}`);
  }
}
