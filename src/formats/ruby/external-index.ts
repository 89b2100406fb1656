/**
 * The public registry behind a `public:ruby-gems-org` connection, read through its compact
 * index (`info/<gem>`) and cached with MetadataCache. Only lines with a valid version, platform
 * and sha256 checksum are kept: every byte fetched later is checked against that checksum.
 */
import type { PackageRecord, RepositoryRecord } from '../../core/model.js';
import type { RequestContext } from '../../server/route.js';
import { findExternalSource, type ExternalSource } from '../../upstream/external.js';
import { metadataCacheFor, type CachedDocument } from '../../upstream/metadata-cache.js';
import { gemFileName, isGemName, isGemPlatform, isGemVersion, RUBY_PLATFORM } from './gem-names.js';
import { ANY_VERSION, parseConstraint, type Requirement } from './requirements.js';

const SHA256_HEX = /^[0-9a-f]{64}$/;

export interface ExternalGem {
  fileName: string;
  version: string;
  platform: string;
  sha256: string;
  dependencies: { name: string; requirement: Requirement }[];
  ruby: Requirement;
  rubygems: Requirement;
}

export interface ExternalGemIndex {
  source: ExternalSource;
  document: CachedDocument;
  gems: ExternalGem[];
}

/** The registry's URL of a file, relative to the connection's address. */
export function externalGemUrl(source: ExternalSource, fileName: string): string {
  return `${source.url}gems/${encodeURIComponent(fileName)}`;
}

export async function loadExternalGem(
  context: RequestContext,
  name: string,
  connectionRecord: (repository: RepositoryRecord) => Promise<PackageRecord | undefined>,
): Promise<ExternalGemIndex | undefined> {
  const { store, config } = context.deps;
  const source = await findExternalSource(store, config, context.domain, context.repository, 'ruby', { name });
  if (!source) return undefined;
  const held = await connectionRecord(source.repository);
  if (held?.originConfiguration.restrictions.upstream === 'BLOCK') return undefined;
  const document = await metadataCacheFor(context.deps).get({
    key: { domain: context.domain, repository: source.repository.name, format: 'ruby', name },
    url: `${source.url}info/${encodeURIComponent(name)}`,
    accept: 'text/plain',
    parse: (text) => parseInfoFile(text, name),
  });
  if (!document) return undefined;
  return { source, document, gems: document.document as ExternalGem[] };
}

/** Parses a compact index info file (docs/formats/ruby.md, "Compact index"). */
export function parseInfoFile(text: string, name: string): ExternalGem[] {
  if (!isGemName(name)) return [];
  const lines = text.split('\n');
  const start = lines.indexOf('---');
  const gems: ExternalGem[] = [];
  for (const line of start >= 0 ? lines.slice(start + 1) : lines) {
    const gem = parseInfoLine(line, name);
    if (gem) gems.push(gem);
  }
  return gems;
}

function parseInfoLine(line: string, name: string): ExternalGem | undefined {
  const space = line.indexOf(' ');
  if (space < 0) return undefined;
  const head = line.slice(0, space);
  const dash = head.indexOf('-');
  const version = dash < 0 ? head : head.slice(0, dash);
  const platform = dash < 0 ? RUBY_PLATFORM : head.slice(dash + 1);
  if (!isGemVersion(version) || !isGemPlatform(platform)) return undefined;
  const [depsText, reqsText = ''] = line.slice(space + 1).split('|', 2);
  const dependencies: ExternalGem['dependencies'] = [];
  for (const part of depsText.split(',').filter(Boolean)) {
    const [depName, constraints = ''] = part.split(':', 2);
    const requirement = readConstraints(constraints);
    if (!isGemName(depName) || !requirement) return undefined;
    dependencies.push({ name: depName, requirement });
  }
  let sha256: string | undefined;
  let ruby = ANY_VERSION;
  let rubygems = ANY_VERSION;
  for (const part of reqsText.split(',')) {
    const colon = part.indexOf(':');
    const key = part.slice(0, colon);
    const value = part.slice(colon + 1);
    if (key === 'checksum') sha256 = value.toLowerCase();
    if (key === 'ruby') ruby = readConstraints(value) ?? ANY_VERSION;
    if (key === 'rubygems') rubygems = readConstraints(value) ?? ANY_VERSION;
  }
  if (!sha256 || !SHA256_HEX.test(sha256)) return undefined;
  return { fileName: gemFileName(name, version, platform), version, platform, sha256, dependencies, ruby, rubygems };
}

function readConstraints(text: string): Requirement | undefined {
  const pairs = text.split('&').map(parseConstraint);
  return pairs.every((pair) => pair !== undefined) && pairs.length ? pairs : undefined;
}
