/**
 * Building API requests from the service model and checking answers against it, for the
 * conformance test: members go where the model puts them, and an answer may hold only the
 * output shape's members, of the model's types, with every required one present.
 */
import model from '../../src/api/service-model.json' with { type: 'json' };
import type { OperationSpec, Shape } from '../../src/api/model.js';

export const OPERATIONS = model.operations as unknown as Record<string, OperationSpec>;
const SHAPES = model.shapes as unknown as Record<string, Shape>;

export interface BuiltRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

export function buildRequest(operationName: string, input: Record<string, unknown>): BuiltRequest {
  const operation = OPERATIONS[operationName];
  const shape = SHAPES[operation.input!.shape];
  const query = new URLSearchParams();
  const headers: Record<string, string> = {};
  const json: Record<string, unknown> = {};
  let payload: Buffer | undefined;
  for (const [name, member] of Object.entries(shape.members ?? {})) {
    const value = input[name];
    if (value === undefined) continue;
    if (member.location === 'querystring') {
      for (const item of Array.isArray(value) ? value : [value]) query.append(member.locationName!, String(item));
    } else if (member.location === 'header') headers[member.locationName!] = typeof value === 'string' ? value : JSON.stringify(value);
    else if (shape.payload === name) payload = value as Buffer;
    else json[name] = value;
  }
  const search = query.toString().replace(/\+/g, '%20');
  const path = `${operation.http.requestUri}${search ? `?${search}` : ''}`;
  if (payload !== undefined) return { method: operation.http.method, path, headers, body: payload };
  return { method: operation.http.method, path, headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(json) };
}

/** Every way `value` differs from the shape; empty when it conforms. */
export function shapeProblems(shapeName: string, value: unknown, where = '$'): string[] {
  const shape = SHAPES[shapeName];
  switch (shape.type) {
    case 'structure': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${where} is not an object`];
      const record = value as Record<string, unknown>;
      const problems: string[] = [];
      for (const key of Object.keys(record)) if (!shape.members?.[key]) problems.push(`${where}.${key} is not a member of ${shapeName}`);
      for (const key of shape.required ?? []) if (record[key] === undefined) problems.push(`${where}.${key} is required by ${shapeName}`);
      for (const [key, member] of Object.entries(shape.members ?? {})) {
        if (record[key] !== undefined && member.location === undefined) problems.push(...shapeProblems(member.shape, record[key], `${where}.${key}`));
      }
      return problems;
    }
    case 'list':
      return Array.isArray(value) ? value.flatMap((item, index) => shapeProblems(shape.member!.shape, item, `${where}[${index}]`)) : [`${where} is not a list`];
    case 'map':
      return typeof value === 'object' && value !== null
        ? Object.entries(value).flatMap(([key, item]) => shapeProblems(shape.value!.shape, item, `${where}.${key}`))
        : [`${where} is not a map`];
    case 'string':
      if (typeof value !== 'string') return [`${where} is not a string`];
      return shape.enum && !shape.enum.includes(value) ? [`${where} = ${value} is not one of ${shape.enum.join(', ')}`] : [];
    case 'integer':
    case 'long':
      return Number.isInteger(value) ? [] : [`${where} is not a whole number`];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${where} is not a boolean`];
    case 'timestamp':
      return typeof value === 'number' ? [] : [`${where} is not epoch seconds`];
    case 'blob':
      return [];
  }
}

export function outputShapeOf(operationName: string): Shape & { name: string } {
  const name = OPERATIONS[operationName].output!.shape;
  return { ...SHAPES[name], name };
}
