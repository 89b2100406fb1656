/**
 * An operation's input, read from the request where the model places each member: the query
 * string, a header, the JSON body, or (for a streaming payload) the request itself. Every value
 * is checked against its shape (type, required, enum, length and range), and a failure is a
 * ValidationException that names the member, as the service words it.
 */
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { ValidationError } from '../errors.js';
import { shapeOf, type MemberRef, type Shape } from './model.js';

export type ApiInput = Record<string, unknown>;

function invalid(path: string, constraint: string): ValidationError {
  return new ValidationError(`1 validation error detected: Value at '${path}' failed to satisfy constraint: ${constraint}`);
}

/** Builds the input structure; `body` is the parsed JSON body (undefined when the payload streams). */
export function readInput(shapeName: string | undefined, req: IncomingMessage, query: URLSearchParams, body: unknown, stream: Readable): ApiInput {
  if (!shapeName) return {};
  const shape = shapeOf(shapeName);
  const input: ApiInput = {};
  if (body !== undefined && (typeof body !== 'object' || body === null || Array.isArray(body))) {
    throw new ValidationError('The request body must be a JSON object.');
  }
  const bodyObject = (body ?? {}) as Record<string, unknown>;
  for (const [name, member] of Object.entries(shape.members ?? {})) {
    if (member.location === 'querystring') {
      const raw = shapeOf(member.shape).type === 'list' ? query.getAll(member.locationName!) : query.get(member.locationName!);
      if (raw !== null && !(Array.isArray(raw) && raw.length === 0)) input[name] = fromText(member, raw, name);
    } else if (member.location === 'header') {
      const raw = req.headers[member.locationName!.toLowerCase()];
      if (typeof raw === 'string') input[name] = fromText(member, raw, name);
    } else if (shape.payload === name && shapeOf(member.shape).type === 'blob') {
      input[name] = stream;
    } else if (bodyObject[name] !== undefined && bodyObject[name] !== null) {
      input[name] = checkValue(member.shape, bodyObject[name], name);
    }
  }
  for (const required of shape.required ?? []) {
    if (input[required] === undefined) throw invalid(required, 'Member must not be null');
  }
  return input;
}

/** A query-string or header value converted to the member's type. */
function fromText(member: MemberRef, raw: string | string[], name: string): unknown {
  const shape = shapeOf(member.shape);
  if (Array.isArray(raw)) return raw.map((item) => fromText(shape.member!, item, name));
  switch (shape.type) {
    case 'integer':
    case 'long': {
      if (!/^-?\d+$/.test(raw)) throw invalid(name, `Member must be a whole number; got ${JSON.stringify(raw.slice(0, 40))}`);
      return checkValue(member.shape, Number(raw), name);
    }
    case 'boolean':
      if (raw !== 'true' && raw !== 'false') throw invalid(name, 'Member must be true or false');
      return raw === 'true';
    default:
      return checkValue(member.shape, raw, name);
  }
}

/** The value itself when it fits the shape; otherwise a ValidationException naming the member. */
export function checkValue(shapeName: string, value: unknown, path: string): unknown {
  const shape = shapeOf(shapeName);
  switch (shape.type) {
    case 'string':
      if (typeof value !== 'string') throw invalid(path, `Member must be a string; got ${describe(value)}`);
      checkLength(shape, value.length, path);
      if (shape.enum && !shape.enum.includes(value)) throw invalid(path, `Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
      return value;
    case 'integer':
    case 'long':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw invalid(path, `Member must be a whole number; got ${describe(value)}`);
      if (shape.min !== undefined && value < shape.min) throw invalid(path, `Member must have value greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && value > shape.max) throw invalid(path, `Member must have value less than or equal to ${shape.max}`);
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw invalid(path, `Member must be a boolean; got ${describe(value)}`);
      return value;
    case 'timestamp':
      if (typeof value !== 'number' && typeof value !== 'string') throw invalid(path, `Member must be a timestamp; got ${describe(value)}`);
      return value;
    case 'blob':
      if (typeof value !== 'string') throw invalid(path, `Member must be base64 text; got ${describe(value)}`);
      return value;
    case 'list': {
      if (!Array.isArray(value)) throw invalid(path, `Member must be a list; got ${describe(value)}`);
      checkLength(shape, value.length, path);
      return value.map((item, index) => checkValue(shape.member!.shape, item, `${path}.${index + 1}.member`));
    }
    case 'map': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(path, `Member must be a map; got ${describe(value)}`);
      const entries = Object.entries(value as Record<string, unknown>);
      checkLength(shape, entries.length, path);
      const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
      for (const [key, item] of entries) {
        checkValue(shape.key!.shape, key, `${path}.key`);
        out[key] = checkValue(shape.value!.shape, item, `${path}.${key}`);
      }
      return out;
    }
    case 'structure': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(path, `Member must be a structure; got ${describe(value)}`);
      const record = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [name, member] of Object.entries(shape.members ?? {})) {
        if (record[name] !== undefined && record[name] !== null) out[name] = checkValue(member.shape, record[name], `${path}.${name}`);
      }
      for (const required of shape.required ?? []) {
        if (out[required] === undefined) throw invalid(`${path}.${required}`, 'Member must not be null');
      }
      return out;
    }
  }
}

function checkLength(shape: Shape, length: number, path: string): void {
  if (shape.min !== undefined && length < shape.min) throw invalid(path, `Member must have length greater than or equal to ${shape.min}`);
  if (shape.max !== undefined && length > shape.max) throw invalid(path, `Member must have length less than or equal to ${shape.max}`);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
