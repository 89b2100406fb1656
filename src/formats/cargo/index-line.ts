/**
 * One version's line of a sparse index file (docs/formats/cargo.md, "Index lines"). The line is
 * kept in the version record as published, except `yanked`, which the version's status decides
 * when the file is rendered; lines never change otherwise, so a lockfile's checksum stays right.
 */
import type { VersionRecord } from '../../core/model.js';

export interface IndexDependency {
  name: string;
  req: string;
  features: string[];
  optional: boolean;
  default_features: boolean;
  target: string | null;
  kind: 'normal' | 'build' | 'dev';
  registry: string | null;
  /** The real crate name when the dependency is renamed in Cargo.toml; `name` is then the alias. */
  package?: string;
}

export interface IndexLine {
  name: string;
  vers: string;
  deps: IndexDependency[];
  cksum: string;
  features: Record<string, string[]>;
  /** Features using `dep:` or `?` syntax, kept apart for cargo older than 1.60 (schema v2). */
  features2?: Record<string, string[]>;
  links: string | null;
  rust_version?: string | null;
  v?: number;
}

/** The line kept in a version record, or undefined when the record has none (not a cargo upload). */
export function storedLineOf(record: Pick<VersionRecord, 'formatMetadata'>): IndexLine | undefined {
  const line = record.formatMetadata?.index;
  return line && typeof line === 'object' ? (line as IndexLine) : undefined;
}

/** The line's JSON with the keys in the usual order and `yanked` as given, ending in a newline. */
export function renderIndexLine(line: IndexLine, yanked: boolean): string {
  const out: Record<string, unknown> = {
    name: line.name,
    vers: line.vers,
    deps: line.deps.map(renderDependency),
    cksum: line.cksum,
    features: line.features,
  };
  if (line.features2 && Object.keys(line.features2).length > 0) out.features2 = line.features2;
  out.yanked = yanked;
  out.links = line.links ?? null;
  if (line.v !== undefined && line.v !== 1) out.v = line.v;
  if (line.rust_version) out.rust_version = line.rust_version;
  return `${JSON.stringify(out)}\n`;
}

function renderDependency(dep: IndexDependency): Record<string, unknown> {
  const out: Record<string, unknown> = {
    name: dep.name,
    req: dep.req,
    features: dep.features,
    optional: dep.optional,
    default_features: dep.default_features,
    target: dep.target,
    kind: dep.kind,
    registry: dep.registry,
  };
  if (dep.package) out.package = dep.package;
  return out;
}

/**
 * Splits features the way the public crates registry does: those that use `dep:` or `?/` go to `features2` with
 * schema v2, so cargo before 1.60 (which cannot read them) still reads the rest of the line.
 */
export function splitFeatures(all: Record<string, string[]>): Pick<IndexLine, 'features' | 'features2' | 'v'> {
  const features: Record<string, string[]> = {};
  const features2: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(all)) {
    if (values.some((value) => value.startsWith('dep:') || value.includes('?/'))) features2[name] = values;
    else features[name] = values;
  }
  return Object.keys(features2).length > 0 ? { features, features2, v: 2 } : { features };
}
