/**
 * API version negotiation (registry specification, "API versioning"): a client asks for
 * `application/vnd.swift.registry.v1+{json,zip,swift}` in Accept and every answer carries
 * `Content-Version: 1`. A request that names the registry media type with another version
 * number, or with the wrong kind for the resource, is refused with 415, one whose version is no
 * number with 400 (as the specification's reference registry reads its rule); one that names
 * none (no Accept, `* / *`, the plain media type, the registry type without `.v<n>`) gets
 * version 1, which the specification allows.
 */
import type { IncomingMessage } from 'node:http';
import { ValidationError } from '../../errors.js';
import { UnsupportedMediaTypeError } from './problem.js';

export type ResourceKind = 'json' | 'zip' | 'swift';

export const API_VERSION = '1';

/** The Content-Type of each kind of answer. */
export const CONTENT_TYPES: Record<ResourceKind, string> = {
  json: 'application/json',
  zip: 'application/zip',
  swift: 'text/x-swift',
};

const REGISTRY_TYPE = /^application\/vnd\.swift\.registry(?:\.v([^+]*))?(?:\+(.*))?$/;

function mediaRanges(accept: string): string[] {
  return accept
    .split(',')
    .map((range) => range.split(';')[0].trim().toLowerCase())
    .filter(Boolean);
}

/** Throws unless the request's Accept lets it have `kind` in API version 1. */
export function checkAccept(req: IncomingMessage, kind: ResourceKind): void {
  const accept = req.headers.accept;
  if (accept === undefined || accept.trim() === '') return;
  const wanted = `application/vnd.swift.registry.v${API_VERSION}+${kind}`;
  const ranges = mediaRanges(accept);
  const registry = ranges.map((range) => ({ range, match: REGISTRY_TYPE.exec(range) })).filter((entry) => entry.match);
  // The specification's grammar makes both parts optional: `application/vnd.swift.registry.v1`
  // leaves the kind open, and `application/vnd.swift.registry+json` the version (so: ours).
  const fits = (match: RegExpExecArray | null) =>
    (match?.[1] === API_VERSION && match[2] === undefined) || (match?.[1] === undefined && (match?.[2] === undefined || match[2] === kind));
  if (registry.some((entry) => entry.range === wanted || fits(entry.match))) return;
  if (registry.length > 0) {
    const versions = registry.map((entry) => entry.match?.[1]);
    const version = versions.find((value) => value !== undefined && value !== API_VERSION);
    if (version !== undefined) {
      if (!/^\d+$/.test(version))
        throw new ValidationError(`The Accept header names registry API version ${JSON.stringify(version.slice(0, 20))}, which is not a version number.`, {
          hint: `Send Accept: ${wanted}.`,
        });
      throw new UnsupportedMediaTypeError(`Registry API version ${version} is not supported; this registry speaks version ${API_VERSION}.`, {
        hint: `Send Accept: ${wanted}.`,
      });
    }
    throw new UnsupportedMediaTypeError(`This resource is served as ${wanted}, not ${registry[0].range}.`, { hint: `Send Accept: ${wanted}.` });
  }
  const plain = CONTENT_TYPES[kind];
  const [major] = plain.split('/');
  if (ranges.some((range) => range === '*/*' || range === `${major}/*` || range === plain || (kind === 'json' && range === 'application/problem+json'))) return;
  throw new UnsupportedMediaTypeError(`This resource is served as ${wanted}; the Accept header ${JSON.stringify(accept.slice(0, 120))} does not allow it.`, {
    hint: `Send Accept: ${wanted}.`,
  });
}

/** A request that states a Content-Version must state the one this registry speaks. */
export function checkContentVersion(req: IncomingMessage): void {
  const header = req.headers['content-version'];
  if (header === undefined) return;
  const stated = Array.isArray(header) ? header.join(', ') : header;
  if (stated.trim() !== API_VERSION) {
    throw new ValidationError(`Content-Version ${JSON.stringify(stated.slice(0, 20))} is not supported; this registry speaks version ${API_VERSION}.`, {
      hint: `Send Content-Version: ${API_VERSION}, or leave the header out.`,
    });
  }
}
