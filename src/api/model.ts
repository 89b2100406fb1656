/**
 * CodeArtifact's service model (rest-json, 2018-09-22) as the API layer reads it: every
 * operation's HTTP binding and its input and output shapes. The JSON is generated from the
 * model the AWS CLI ships by scripts/generate-service-model.mjs, which also derives the CLI's
 * view of it (src/cli/aws-input-shapes.ts, docs/api.md); nothing here is written by hand.
 */
import model from './service-model.json' with { type: 'json' };

export type ShapeType = 'structure' | 'list' | 'map' | 'string' | 'integer' | 'long' | 'boolean' | 'timestamp' | 'blob';

export interface MemberRef {
  shape: string;
  location?: 'querystring' | 'header';
  locationName?: string;
}

export interface Shape {
  type: ShapeType;
  members?: Record<string, MemberRef>;
  required?: string[];
  member?: MemberRef;
  key?: MemberRef;
  value?: MemberRef;
  enum?: string[];
  min?: number;
  max?: number;
  pattern?: string;
  payload?: string;
  streaming?: boolean;
  error?: { httpStatusCode: number };
  exception?: boolean;
}

export interface OperationSpec {
  name: string;
  http: { method: string; requestUri: string; responseCode?: number };
  input?: { shape: string };
  output?: { shape: string };
  errors?: { shape: string }[];
}

export const SERVICE = model.metadata as { signingName: string; apiVersion: string; protocol: string };
export const OPERATIONS = model.operations as unknown as Record<string, OperationSpec>;
const SHAPES = model.shapes as unknown as Record<string, Shape>;

export function shapeOf(name: string): Shape {
  const shape = SHAPES[name];
  if (!shape) throw new Error(`The service model has no shape ${name}.`);
  return shape;
}

/** "POST /v1/domain" -> operation; the model's paths carry no path parameters. */
const byRoute = new Map<string, OperationSpec>(
  Object.values(OPERATIONS).map((operation) => [`${operation.http.method} ${operation.http.requestUri}`, operation]),
);

export function findOperation(method: string, path: string): OperationSpec | undefined {
  return byRoute.get(`${method} ${path}`);
}
