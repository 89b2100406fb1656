/**
 * Reads an option's value by its entry in the option table: numbers and enums are checked here
 * once, with an error that names the flag and echoes what was typed (never "NaN").
 */
import { ValidationError } from '../errors.js';
import { longFlag, type OptionSpec } from './option-table.js';

/** The value as the command receives it: a number for integer options, else what was given. */
export function readOptionValue(spec: OptionSpec, raw: unknown): unknown {
  if (raw === undefined) return undefined;
  if (spec.integer) return readInteger(spec, spec.integer, raw);
  if (spec.choices) return readChoice(spec, spec.choices, raw);
  return raw;
}

function readInteger(spec: OptionSpec, { min, max }: { min: number; max: number }, raw: unknown): number {
  const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
  const value = /^[+-]?\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ValidationError(`${longFlag(spec)} must be an integer from ${min} to ${max}; got ${JSON.stringify(raw)}.`);
  }
  return value;
}

function readChoice(spec: OptionSpec, choices: readonly string[], raw: unknown): string {
  if (typeof raw === 'string' && choices.includes(raw)) return raw;
  const allowed = choices.length <= 2 ? choices.join(' or ') : `one of ${choices.join(', ')}`;
  throw new ValidationError(`${longFlag(spec)} must be ${allowed}; got ${JSON.stringify(raw)}.`);
}
