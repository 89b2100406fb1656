/**
 * --query: a JMESPath expression applied to a command's result before it is printed, evaluated
 * as the AWS CLI evaluates it (jmespath-aws.ts; docs/output.md says why and how it is tested).
 */
import type { JSONValue } from '@jmespath-community/jmespath';
import { ValidationError } from '../errors.js';

/**
 * Refuses a --query the AWS CLI would refuse before calling anything: an empty one or one that
 * does not parse. Checked before the command runs, so a typo never follows a change made.
 */
export async function checkQuery(query: string | undefined): Promise<void> {
  if (query === undefined) return;
  if (query.trim() === '') throw new ValidationError('--query "" is not a valid JMESPath expression: it is empty.');
  const { parseAsAwsCli } = await import('./jmespath-aws.js');
  try {
    parseAsAwsCli(query);
  } catch (error) {
    throw queryError(query, error);
  }
}

export async function applyQuery(result: unknown, query: string | undefined): Promise<unknown> {
  if (query === undefined) return result;
  await checkQuery(query);
  const { searchAsAwsCli } = await import('./jmespath-aws.js');
  // A plain JSON copy: the engine sees exactly what --output json would print.
  const data = JSON.parse(JSON.stringify(result ?? {})) as JSONValue;
  try {
    return searchAsAwsCli(data, query) ?? null;
  } catch (error) {
    throw queryError(query, error);
  }
}

function queryError(query: string, error: unknown): ValidationError {
  const { name, message } = error as Error;
  const what = /^(Parser|Lexer)Error$/.test(name) ? 'is not a valid JMESPath expression' : 'cannot be applied to the result';
  return new ValidationError(`--query ${JSON.stringify(query)} ${what}: ${message}`);
}
