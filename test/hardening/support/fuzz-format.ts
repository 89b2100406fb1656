/**
 * What the hostile-input test needs from each format (fuzz-npm.ts, fuzz-pypi.ts, fuzz-nuget.ts,
 * fuzz-maven.ts, fuzz-generic.ts, fuzz-ruby.ts): valid template requests (reads and writes) for the generic
 * mutations to work on, and hostile bodies only that format's parsers see: archives with
 * escaping paths, links and bombs, deep or entity-laden XML and JSON, broken multipart forms,
 * and real packages damaged at random with their digests recomputed, so the damage reaches the
 * archive readers instead of stopping at a checksum.
 */
import { createHash } from 'node:crypto';
import type { FuzzCase, FuzzContext, Template } from './fuzz-mutations.js';
import { requestBytes, type RawRequest } from './raw-client.js';
import type { PlannedRequest } from './publish-requests.js';

export interface FormatFuzz {
  format: string;
  /** Valid publishes sent first, so that reads find something. */
  seed(token: string): PlannedRequest[];
  templates(context: FuzzContext): Template[];
  /** The write templates whose bodies get cut, oversized and damaged. */
  writeTemplates(context: FuzzContext): Template[];
  structured(context: FuzzContext, damaged: number): FuzzCase[] | Promise<FuzzCase[]>;
}

let counter = 0;
/** A number no other case of this run uses, for versions that must not collide. */
export const nextNumber = () => ++counter;
export const unique = () => `${Date.now() % 100000}.${nextNumber()}`;
// npm versions must be semver, or a publish is refused before its tarball is read.
export const semverUnique = () => `${Date.now() % 100000}.${nextNumber()}.0`;
export const sha = (algorithm: string, bytes: Buffer | string, encoding: 'hex' | 'base64' = 'hex') => createHash(algorithm).update(bytes).digest(encoding);

export function fromPlanned(context: FuzzContext, label: string, planned: PlannedRequest): Template {
  return {
    label,
    request: { method: planned.method, target: `${context.prefix}${planned.path}`, headers: Object.entries(planned.headers), body: planned.body },
  };
}

export function rawCase(context: FuzzContext, category: string, label: string, request: RawRequest, mustAnswer = true): FuzzCase {
  return { category, label, chunks: [requestBytes(context.port, request)], mustAnswer };
}
