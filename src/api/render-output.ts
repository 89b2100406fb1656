/**
 * An operation's result in the wire form the model gives its output shape: only the shape's
 * members, timestamps as epoch seconds (rest-json's default), header members as headers, and
 * a streaming payload left for the caller to send.
 */
import { shapeOf } from './model.js';

export interface RenderedOutput {
  headers: Record<string, string>;
  /** The JSON body, or undefined when the payload streams. */
  body?: Record<string, unknown>;
  /** The value of the streaming payload member, when the shape has one. */
  payload?: unknown;
}

export function renderOutput(shapeName: string | undefined, result: Record<string, unknown> | undefined): RenderedOutput {
  const headers: Record<string, string> = {};
  if (!shapeName) return { headers, body: {} };
  const shape = shapeOf(shapeName);
  const body: Record<string, unknown> = {};
  let payload: unknown;
  for (const [name, member] of Object.entries(shape.members ?? {})) {
    const value = result?.[name];
    if (value === undefined || value === null) continue;
    if (member.location === 'header') headers[member.locationName!] = headerText(name, value);
    else if (shape.payload === name) payload = value;
    else body[name] = toWire(member.shape, value);
  }
  return shape.payload && shapeOf(shape.members![shape.payload].shape).type === 'blob' ? { headers, payload } : { headers, body };
}

/** Header members are scalars in the model; anything else is a handler's mistake. */
function headerText(name: string, value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return headerBytes(String(value));
  throw new Error(`the output member ${name} goes in a header but is not a string, number or boolean`);
}

/**
 * Header text goes out as Latin-1, which is how botocore and Node read it back; a value beyond
 * Latin-1 (an asset named 日本.txt) goes as its UTF-8 bytes rather than failing the answer.
 */
function headerBytes(text: string): string {
  const beyondLatin1 = [...text].some((char) => char.codePointAt(0)! > 0xff);
  return beyondLatin1 ? Buffer.from(text, 'utf8').toString('latin1') : text;
}

function toWire(shapeName: string, value: unknown): unknown {
  const shape = shapeOf(shapeName);
  switch (shape.type) {
    case 'timestamp':
      return epochSeconds(value);
    case 'list':
      return Array.isArray(value) ? value.map((item) => toWire(shape.member!.shape, item)) : value;
    case 'map':
      return typeof value === 'object' && value !== null
        ? Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, toWire(shape.value!.shape, item)]))
        : value;
    case 'structure': {
      if (typeof value !== 'object' || value === null) return value;
      const out: Record<string, unknown> = {};
      for (const [name, member] of Object.entries(shape.members ?? {})) {
        const child = (value as Record<string, unknown>)[name];
        if (child !== undefined && child !== null) out[name] = toWire(member.shape, child);
      }
      return out;
    }
    default:
      return value;
  }
}

function epochSeconds(value: unknown): unknown {
  const ms = value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : Number.NaN;
  return Number.isNaN(ms) ? value : ms / 1000;
}
