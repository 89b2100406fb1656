/**
 * The sparse index behind a `public:crates-io` connection (or the address configured for it):
 * its config.json, for where the crates are (`dl`), and one index file per crate, both kept
 * in the shared MetadataCache. Lines are checked as they are read: a line for another crate, a
 * version that is not SemVer or a checksum that is not a SHA-256 is left out, since every byte
 * fetched later is checked against that checksum.
 */
import type { Freshness, RequestContext } from '../../server/route.js';
import type { ExternalSource } from '../../upstream/external.js';
import { metadataCacheFor, type CachedDocument, type MetadataKey } from '../../upstream/metadata-cache.js';
import { indexPath, isValidCrateName } from './crate-name.js';
import { isCrateVersion } from './crate-view.js';
import type { IndexDependency, IndexLine } from './index-line.js';

const SHA256_HEX = /^[0-9a-f]{64}$/;
const KINDS = new Set(['normal', 'build', 'dev']);

export interface ExternalLine {
  line: IndexLine;
  yanked: boolean;
}

export interface ExternalCrate {
  source: ExternalSource;
  /** The cached document; the same object while the cache entry is unchanged. */
  document: CachedDocument;
  lines: ExternalLine[];
}

/** The index root of a connection: its configured URL, without the `sparse+` cargo writes before it. */
export function indexRoot(source: ExternalSource): string {
  const url = source.url.replace(/^sparse\+/, '');
  return url.endsWith('/') ? url : `${url}/`;
}

function cacheKey(context: RequestContext, source: ExternalSource, namespace: string, name: string): MetadataKey {
  return { domain: context.domain, repository: source.repository.name, format: 'cargo', namespace, name };
}

function lowerFreshness(context: RequestContext, freshness: Freshness, document: CachedDocument): void {
  const until = document.fetchedAt + context.deps.config.upstream.metadataMaxAgeSeconds * 1000;
  freshness.validUntil = Math.min(freshness.validUntil, until);
}

/** The crate's lines in the connection's index, or undefined when the index does not know it. */
export async function loadExternalCrate(context: RequestContext, source: ExternalSource, name: string): Promise<ExternalCrate | undefined> {
  const document = await metadataCacheFor(context.deps).get({
    key: cacheKey(context, source, '_', name),
    url: `${indexRoot(source)}${indexPath(name)}`,
    parse: (text) => parseIndexFile(text, name),
    // cargo asks for index file after index file: the answer need not wait for the cache file.
    writeBehind: true,
  });
  if (!document) {
    // "Not in the index" is as good as the index's word: it holds no longer than a cached file.
    context.freshness.validUntil = Math.min(context.freshness.validUntil, Date.now() + context.deps.config.upstream.metadataMaxAgeSeconds * 1000);
    return undefined;
  }
  lowerFreshness(context, context.freshness, document);
  return { source, document, lines: document.document as ExternalLine[] };
}

/** The download URL template (`dl`) of the connection's config.json. */
export async function loadDownloadTemplate(context: RequestContext, source: ExternalSource): Promise<string | undefined> {
  const document = await metadataCacheFor(context.deps).get({
    key: cacheKey(context, source, 'config', 'config'),
    url: `${indexRoot(source)}config.json`,
    parse: (text) => {
      const config = JSON.parse(text) as { dl?: unknown };
      if (!config || typeof config.dl !== 'string' || config.dl === '') throw new Error('config.json has no dl');
      return config.dl;
    },
  });
  return document?.document as string | undefined;
}

/** The download URL of one version, from the `dl` template (docs/formats/cargo.md, "Downloads"). */
export function expandDownloadUrl(template: string, line: IndexLine): string {
  const markers = ['{crate}', '{version}', '{prefix}', '{lowerprefix}', '{sha256-checksum}'];
  const base = template;
  if (!markers.some((marker) => base.includes(marker)))
    return `${base.replace(/\/$/, '')}/${encodeURIComponent(line.name)}/${encodeURIComponent(line.vers)}/download`;
  const prefix = indexPath(line.name).split('/').slice(0, -1).join('/');
  const casedPrefix = prefixOf(line.name);
  return base
    .replaceAll('{crate}', encodeURIComponent(line.name))
    .replaceAll('{version}', encodeURIComponent(line.vers))
    .replaceAll('{prefix}', casedPrefix)
    .replaceAll('{lowerprefix}', prefix)
    .replaceAll('{sha256-checksum}', line.cksum);
}

/** The index directory of a name in its own casing (`{prefix}`). */
function prefixOf(name: string): string {
  if (name.length <= 2) return String(name.length);
  if (name.length === 3) return `3/${name[0]}`;
  return `${name.slice(0, 2)}/${name.slice(2, 4)}`;
}

export function parseIndexFile(text: string, name: string): ExternalLine[] {
  const lines: ExternalLine[] = [];
  for (const raw of text.split('\n')) {
    if (raw.trim() === '') continue;
    let entry: unknown;
    try {
      entry = JSON.parse(raw);
    } catch {
      continue;
    }
    const checked = readLine(entry, name);
    if (checked) lines.push(checked);
  }
  return lines;
}

function readLine(raw: unknown, name: string): ExternalLine | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const entry = raw as Record<string, unknown>;
  const { vers, cksum } = entry;
  if (typeof entry.name !== 'string' || !isValidCrateName(entry.name) || entry.name.toLowerCase() !== name) return undefined;
  if (typeof vers !== 'string' || !isCrateVersion(vers)) return undefined;
  if (typeof cksum !== 'string' || !SHA256_HEX.test(cksum)) return undefined;
  if (!Array.isArray(entry.deps)) return undefined;
  const deps: IndexDependency[] = [];
  for (const dep of entry.deps) {
    const checked = readDependency(dep);
    if (!checked) return undefined;
    deps.push(checked);
  }
  const line: IndexLine = {
    name: entry.name,
    vers,
    deps,
    cksum,
    features: readFeatures(entry.features),
    links: typeof entry.links === 'string' ? entry.links : null,
  };
  const features2 = readFeatures(entry.features2);
  if (Object.keys(features2).length > 0) line.features2 = features2;
  if (typeof entry.v === 'number' && Number.isInteger(entry.v)) line.v = entry.v;
  if (typeof entry.rust_version === 'string') line.rust_version = entry.rust_version;
  return { line, yanked: entry.yanked === true };
}

function readDependency(raw: unknown): IndexDependency | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const dep = raw as Record<string, unknown>;
  if (typeof dep.name !== 'string' || !isValidCrateName(dep.name) || typeof dep.req !== 'string') return undefined;
  const kind = typeof dep.kind === 'string' && KINDS.has(dep.kind) ? (dep.kind as IndexDependency['kind']) : 'normal';
  const out: IndexDependency = {
    name: dep.name,
    req: dep.req,
    features: Array.isArray(dep.features) ? dep.features.filter((item): item is string => typeof item === 'string') : [],
    optional: dep.optional === true,
    default_features: dep.default_features !== false,
    target: typeof dep.target === 'string' ? dep.target : null,
    kind,
    registry: typeof dep.registry === 'string' ? dep.registry : null,
  };
  if (typeof dep.package === 'string' && isValidCrateName(dep.package)) out.package = dep.package;
  return out;
}

function readFeatures(raw: unknown): Record<string, string[]> {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return {};
  const features: Record<string, string[]> = {};
  for (const [key, values] of Object.entries(raw as Record<string, unknown>)) {
    if (Array.isArray(values)) features[key] = values.filter((item): item is string => typeof item === 'string');
  }
  return features;
}
