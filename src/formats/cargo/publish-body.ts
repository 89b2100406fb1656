/**
 * The body of `PUT api/v1/crates/new` (docs/formats/cargo.md, "Publish"): a little-endian u32
 * length, that many bytes of JSON metadata, another u32 length, then the .crate itself. Both
 * lengths are checked against the body before anything is read, and the body must end exactly
 * where the .crate does; only the JSON part is ever parsed as JSON.
 */
import { ValidationError } from '../../errors.js';
import { requireCrateName } from './crate-name.js';
import { isCrateVersion } from './crate-view.js';
import type { IndexDependency } from './index-line.js';
import { isCargoVersionReq } from './version-req.js';

/** What the metadata JSON says, checked and with nulls for what it left out. */
export interface PublishMetadata {
  name: string;
  vers: string;
  deps: IndexDependency[];
  features: Record<string, string[]>;
  description?: string;
  homepage?: string;
  documentation?: string;
  repository?: string;
  license?: string;
  licenseFile?: string;
  readme?: string;
  keywords: string[];
  categories: string[];
  authors: string[];
  links: string | null;
  rustVersion: string | null;
}

export interface PublishBody {
  metadata: PublishMetadata;
  crate: Buffer;
}

const MAX_METADATA_BYTES = 16 * 1024 * 1024;
const KINDS = new Set(['normal', 'build', 'dev']);

export function parsePublishBody(body: Buffer): PublishBody {
  if (body.length < 4) throw new ValidationError('The publish body is too short to hold the metadata length; it was cut off or is not from cargo.');
  const jsonLength = body.readUInt32LE(0);
  if (jsonLength > MAX_METADATA_BYTES) throw new ValidationError(`The publish metadata says it is ${jsonLength} bytes; the limit is ${MAX_METADATA_BYTES}.`);
  if (4 + jsonLength + 4 > body.length) {
    throw new ValidationError(
      `The publish metadata length (${jsonLength} bytes) runs past the end of the ${body.length}-byte body; the body was cut off or is malformed.`,
    );
  }
  const crateLength = body.readUInt32LE(4 + jsonLength);
  const crateStart = 8 + jsonLength;
  if (crateStart + crateLength > body.length) {
    throw new ValidationError(
      `The .crate length (${crateLength} bytes) runs past the end of the body (${body.length - crateStart} bytes left); the upload was cut off or is malformed.`,
    );
  }
  if (crateStart + crateLength < body.length)
    throw new ValidationError(`The publish body has ${body.length - crateStart - crateLength} bytes after the .crate; it is malformed.`);
  let raw: unknown;
  try {
    raw = JSON.parse(body.subarray(4, 4 + jsonLength).toString('utf8'));
  } catch {
    throw new ValidationError('The publish metadata is not valid JSON.');
  }
  const metadata = checkMetadata(raw);
  if (crateLength === 0) throw new ValidationError('The .crate in the publish body is empty.');
  return { metadata, crate: body.subarray(crateStart, crateStart + crateLength) };
}

function checkMetadata(raw: unknown): PublishMetadata {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new ValidationError('The publish metadata is not a JSON object.');
  const meta = raw as Record<string, unknown>;
  const name = requireCrateName(requiredString(meta, 'name'));
  const vers = requiredString(meta, 'vers');
  if (!isCrateVersion(vers)) throw new ValidationError(`The version ${JSON.stringify(vers.slice(0, 60))} is not a SemVer 2.0 version.`);
  const deps = Array.isArray(meta.deps) ? meta.deps.map(checkDependency) : fail('deps must be a list');
  return {
    name,
    vers,
    deps,
    features: checkFeatures(meta.features),
    description: optionalString(meta, 'description'),
    homepage: optionalString(meta, 'homepage'),
    documentation: optionalString(meta, 'documentation'),
    repository: optionalString(meta, 'repository'),
    license: optionalString(meta, 'license'),
    licenseFile: optionalString(meta, 'license_file'),
    readme: optionalString(meta, 'readme'),
    keywords: stringList(meta.keywords, 'keywords'),
    categories: stringList(meta.categories, 'categories'),
    authors: stringList(meta.authors, 'authors'),
    links: optionalString(meta, 'links') ?? null,
    rustVersion: optionalString(meta, 'rust_version') ?? null,
  };
}

function checkDependency(raw: unknown): IndexDependency {
  if (!raw || typeof raw !== 'object') fail('every entry of deps must be an object');
  const dep = raw as Record<string, unknown>;
  const crateName = requireCrateName(requiredString(dep, 'name'));
  const req = requiredString(dep, 'version_req');
  // cargo reads a line whose requirement it cannot parse as invalid and never resolves that version.
  if (req.length > 256 || !isCargoVersionReq(req)) fail(`the requirement ${JSON.stringify(req.slice(0, 60))} of ${crateName} is not a version requirement`);
  const kind = dep.kind ?? 'normal';
  if (typeof kind !== 'string' || !KINDS.has(kind)) fail(`the dependency kind of ${crateName} must be normal, build or dev`);
  const alias = optionalString(dep, 'explicit_name_in_toml');
  const entry: IndexDependency = {
    name: alias ? requireCrateName(alias) : crateName,
    req,
    features: stringList(dep.features, `features of ${crateName}`),
    optional: dep.optional === true,
    default_features: dep.default_features !== false,
    target: optionalString(dep, 'target') ?? null,
    kind: kind as IndexDependency['kind'],
    registry: optionalString(dep, 'registry') ?? null,
  };
  if (alias) entry.package = crateName;
  return entry;
}

function checkFeatures(raw: unknown): Record<string, string[]> {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) fail('features must be an object');
  const features: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(raw as Record<string, unknown>)) features[name] = stringList(values, `feature ${name}`);
  return features;
}

function requiredString(object: Record<string, unknown>, key: string): string {
  const value = object[key];
  if (typeof value !== 'string' || value === '') fail(`${key} is missing or not a string`);
  return value;
}

function optionalString(object: Record<string, unknown>, key: string): string | undefined {
  const value = object[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') fail(`${key} must be a string`);
  return value === '' ? undefined : value;
}

function stringList(raw: unknown, what: string): string[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw) || !raw.every((item) => typeof item === 'string')) fail(`${what} must be a list of strings`);
  return raw;
}

function fail(problem: string): never {
  throw new ValidationError(`The publish metadata is not valid: ${problem}.`);
}
