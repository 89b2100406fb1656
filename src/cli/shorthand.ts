/** The AWS CLI's shorthand and JSON forms for list arguments (--upstreams, --tags). */
import { ValidationError } from '../errors.js';
import type { Tag } from '../core/model.js';

/** Parses `key=value,key2=value2` into an object. */
export function parseShorthandObject(text: string, flag: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new ValidationError(`${flag} expects key=value pairs; ${JSON.stringify(text)} is not one.`);
    result[part.slice(0, eq).trim()] = part.slice(eq + 1);
  }
  return result;
}

function parseJsonList(values: string[], flag: string): unknown[] | undefined {
  if (values.length !== 1 || !/^\s*[[{]/.test(values[0])) return undefined;
  try {
    const parsed = JSON.parse(values[0]) as unknown;
    return Array.isArray(parsed) ? (parsed as unknown[]) : [parsed];
  } catch {
    throw new ValidationError(`${flag} holds JSON that does not parse.`);
  }
}

/** `--upstreams repositoryName=a repositoryName=b`, or the JSON list the AWS CLI also takes. */
export function parseUpstreams(values: string[] | undefined): string[] | undefined {
  if (values === undefined) return undefined;
  const json = parseJsonList(values, '--upstreams');
  const entries = json ?? values.filter((value) => value !== '').map((value) => parseShorthandObject(value, '--upstreams'));
  return entries.map((entry) => {
    const name = (entry as { repositoryName?: unknown }).repositoryName;
    if (typeof name !== 'string') throw new ValidationError('Each --upstreams entry needs repositoryName=NAME.');
    return name;
  });
}

/** `--tags key=k,value=v key=k2,value=v2`, or JSON. */
export function parseTags(values: string[] | undefined): Tag[] | undefined {
  if (values === undefined) return undefined;
  const json = parseJsonList(values, '--tags');
  const entries = json ?? values.map((value) => parseShorthandObject(value, '--tags'));
  return entries.map((entry) => {
    const { key, value } = entry as { key?: unknown; value?: unknown };
    if (typeof key !== 'string' || typeof value !== 'string') throw new ValidationError('Each --tags entry needs key=KEY,value=VALUE.');
    return { key, value };
  });
}
