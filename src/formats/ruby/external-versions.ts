/**
 * The public registry's `versions` file behind the chain's `public:ruby-gems-org` connection,
 * so that /versions can name gems never fetched here (docs/formats/ruby.md, "Gems of the public
 * registry in versions"). Bundler skips any gem missing from /versions, so without this a
 * Gemfile could not name a public gem until `gem install` or a download had retained it.
 *
 * The file is fetched through MetadataCache (whole, revalidated with its ETag once per freshness
 * period, the stale copy served while the registry is down) and kept as one line per gem: its
 * versions with the registry's later "-version" removals applied, and the md5 of its last line.
 */
import type { RequestContext } from '../../server/route.js';
import { findExternalSource, type ExternalSource } from '../../upstream/external.js';
import { metadataCacheFor } from '../../upstream/metadata-cache.js';
import { Slicer } from '../../upstream/slices.js';
import { isGemName, isGemPlatform, isGemVersion } from './gem-names.js';

const MD5_HEX = /^[0-9a-f]{32}$/;

/** One gem of the registry: name, its versions as /versions writes them (comma-joined), md5 of the registry's /info. */
export type ExternalVersionsLine = readonly [name: string, versions: string, md5: string];

export interface ExternalVersions {
  source: ExternalSource;
  /** The kept document; the same object until the registry's file changes. */
  document: { gems: ExternalVersionsLine[] };
}

export async function loadExternalVersions(context: RequestContext): Promise<ExternalVersions | undefined> {
  const { store, config } = context.deps;
  const source = await findExternalSource(store, config, context.domain, context.repository, 'ruby');
  if (!source) return undefined;
  const cached = await metadataCacheFor(context.deps).get({
    // Gem files sit in namespace '_' of the same folder; this one cannot meet a gem's name.
    key: { domain: context.domain, repository: source.repository.name, format: 'ruby', namespace: 'compact-index', name: 'versions' },
    url: `${source.url}versions`,
    accept: 'text/plain',
    parse: parseVersionsFile,
  });
  return cached ? { source, document: cached.document as ExternalVersions['document'] } : undefined;
}

/**
 * Reads a compact index versions file. Lines before `---` are ignored; a gem may have several
 * lines (the file is appended to), whose versions add up, a leading '-' taking one away, and
 * the last line's md5 counts. Malformed lines and versions are left out.
 */
export async function parseVersionsFile(text: string): Promise<{ gems: ExternalVersionsLine[] }> {
  const slicer = new Slicer();
  const gems = new Map<string, { versions: Set<string>; md5: string }>();
  const marker = text.startsWith('---\n') ? -1 : text.indexOf('\n---\n');
  if (marker < 0 && !text.startsWith('---\n')) return { gems: [] };
  const start = marker + 5;
  for (let at = start; at < text.length;) {
    if (slicer.due()) await slicer.turn();
    const end = text.indexOf('\n', at);
    const line = text.slice(at, end < 0 ? text.length : end);
    at = end < 0 ? text.length : end + 1;
    const [name, list, md5, extra] = line.split(' ');
    if (extra !== undefined || !md5 || !MD5_HEX.test(md5) || !isGemName(name)) continue;
    let gem = gems.get(name);
    if (!gem) gems.set(name, (gem = { versions: new Set(), md5 }));
    gem.md5 = md5;
    for (const item of list.split(',')) {
      if (item.startsWith('-')) gem.versions.delete(item.slice(1));
      else if (isVersionAndPlatform(item)) gem.versions.add(item);
    }
  }
  const lines: ExternalVersionsLine[] = [];
  for (const [name, gem] of gems) if (gem.versions.size) lines.push([name, [...gem.versions].join(','), gem.md5]);
  return { gems: lines };
}

function isVersionAndPlatform(item: string): boolean {
  const dash = item.indexOf('-');
  return dash < 0 ? isGemVersion(item) : isGemVersion(item.slice(0, dash)) && isGemPlatform(item.slice(dash + 1));
}
