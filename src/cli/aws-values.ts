/**
 * The AWS CLI's forms for the values of list, map and structure flags, read by their shape in
 * the service model: a list is space-separated values or one JSON list; a structure or map is
 * shorthand (`key=value,key2=value2`) or JSON; a list of structures is shorthand entries or JSON.
 * docs/aws-cli-input.md has the rules with examples.
 */
import { ValidationError } from '../errors.js';
import type { InputShape } from './aws-input-shape-types.js';
import { parseShorthandObject } from './shorthand.js';

/** The value as the API takes it, from what commander collected for the flag. */
export function parseFlagValue(shape: InputShape, raw: unknown, flag: string): unknown {
  if (typeof shape === 'string') {
    if (shape === 'integer' || shape === 'long') return parseInteger(raw, flag);
    return raw;
  }
  if ('list' in shape) {
    const values = Array.isArray(raw) ? (raw as string[]) : [String(raw)];
    if (values.length === 1 && values[0].trim().startsWith('[')) return parseJson(values[0], flag);
    if (isScalar(shape.list)) return values;
    // An empty value is an empty list: `--upstreams ""` removes every upstream.
    return values.filter((value) => value !== '').map((value) => (value.trim().startsWith('{') ? parseJson(value, flag) : parseShorthandObject(value, flag)));
  }
  if ('map' in shape || 'structure' in shape) {
    const values = Array.isArray(raw) ? (raw as string[]) : [String(raw)];
    if (values.length === 1 && values[0].trim().startsWith('{')) return parseJson(values[0], flag);
    return Object.assign({}, ...values.map((value) => parseShorthandObject(value, flag))) as Record<string, string>;
  }
  return raw;
}

/**
 * Refuses a value that does not fit its shape, naming where (`--tags[0].key`, `upstreams`).
 * Enum values are left to the operations, whose messages list the allowed ones.
 */
export function checkShape(value: unknown, shape: InputShape, where: string): void {
  const fail = (expected: string) => {
    throw new ValidationError(`${where} must be ${expected}; got ${JSON.stringify(value)}.`);
  };
  if (typeof shape === 'string') {
    if (shape === 'boolean' && typeof value !== 'boolean') fail('true or false');
    if ((shape === 'integer' || shape === 'long') && !Number.isInteger(value)) fail('an integer');
    if ((shape === 'string' || shape === 'blob') && typeof value !== 'string') fail('a string');
    return;
  }
  if ('enum' in shape) {
    if (typeof value !== 'string') fail('a string');
    return;
  }
  if ('list' in shape) {
    if (!Array.isArray(value)) fail('a list');
    (value as unknown[]).forEach((item, index) => checkShape(item, shape.list, `${where}[${index}]`));
    return;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('an object');
  const entries = Object.entries(value as Record<string, unknown>);
  if ('map' in shape) {
    for (const [key, item] of entries) checkShape(item, shape.map, `${where}.${key}`);
    return;
  }
  const members = Object.keys(shape.structure);
  for (const [key, item] of entries) {
    if (!Object.hasOwn(shape.structure, key)) {
      throw new ValidationError(`${where} has an unknown member ${JSON.stringify(key)}; it takes ${members.join(', ')}.`);
    }
    checkShape(item, shape.structure[key], `${where}.${key}`);
  }
}

/** The value written back as the flag would carry it, so each command reads one form. */
export function toFlagValue(shape: InputShape, value: unknown, variadic: boolean): unknown {
  if (typeof shape === 'string') return shape === 'integer' || shape === 'long' ? String(value) : value;
  if ('enum' in shape) return value;
  if ('list' in shape && isScalar(shape.list)) return (value as unknown[]).map(String);
  const json = JSON.stringify(value);
  return variadic ? [json] : json;
}

export function isScalar(shape: InputShape): boolean {
  return typeof shape === 'string' || 'enum' in shape;
}

function parseInteger(raw: unknown, flag: string): number {
  const text = String(raw).trim();
  if (!/^[+-]?\d+$/.test(text)) throw new ValidationError(`${flag} takes a whole number; got ${JSON.stringify(raw)}.`);
  return Number(text);
}

/** JSON.parse with an error that names the flag and says where the text went wrong. */
export function parseJson(text: string, flag: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ValidationError(`${flag} holds invalid JSON: ${(error as Error).message}.`, {
      hint: 'Put the whole JSON value in single quotes, so the shell passes it as one word.',
    });
  }
}
