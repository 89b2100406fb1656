/**
 * GET of the source root, /versions, /info/<gem> and /names (docs/formats/ruby.md, "Compact
 * index"). ETags are the quoted md5 of the whole body, which Bundler compares with its copy;
 * a Range from Bundler is answered with the bytes from that offset (206), and Bundler checks
 * the md5 of what it then holds and fetches the whole file when they differ.
 */
import { createHash } from 'node:crypto';
import { ResourceNotFoundError, UpstreamError } from '../../errors.js';
import { sendText } from '../../server/respond.js';
import type { RequestContext } from '../../server/route.js';
import { repositoryChain } from '../../upstream/resolve.js';
import { renderNames, renderVersions, type CompactFile, type VersionsLine } from './compact-index.js';
import { isGemName } from './gem-names.js';
import { loadGemSources, type GemSources } from './gem-sources.js';
import { publicGemLines } from './public-gem-lines.js';
import { gemInfo } from './info-cache.js';
import { renderSpecList, sendSpecList, specTuples, type SpecList } from './legacy-specs.js';

const TEXT = 'text/plain; charset=utf-8';

/** The root must answer 200 for `gem` to choose the compact index over the legacy indexes. */
export function handleRoot(context: RequestContext): void {
  sendText(context.req, context.res, 200, TEXT, `RubyGems source for repository ${context.repository.name}: ${context.endpoint}\n`, {
    'cache-control': 'no-cache',
  });
}

export async function handleInfo(context: RequestContext, match: RegExpExecArray): Promise<void> {
  const name = decodeSegment(match[1]);
  if (!isGemName(name)) throw gemNotFound(context, name);
  const { entries, info } = gemInfo(`${context.domain}/${context.repository.name}/${name}`, await loadGemSources(context, name));
  if (!entries.some((entry) => entry.listed)) throw gemNotFound(context, name);
  sendCompact(context, info);
}

// The last /versions body built with each list of public lines (megabytes for the real
// registry), reused while the stored gems' part is the same.
const builtVersions = new WeakMap<readonly string[], { stored: string; file: CompactFile }>();

/** The stored gems' lines, then the public registry's other gems (public-gem-lines.ts). */
export async function handleVersions(context: RequestContext): Promise<void> {
  const { gems, newest } = await storedGems(context);
  const createdAt = newest ?? '1970-01-01T00:00:00Z';
  const more = await publicGemLines(context, new Set(gems.map((gem) => gem.name)));
  if (!more) return sendCompact(context, renderVersions(gems, createdAt));
  const stored = renderVersions(gems, createdAt).body.toString();
  const built = builtVersions.get(more.lines);
  if (built?.stored === stored) return sendCompact(context, built.file);
  const file = renderVersions(gems, createdAt, more.lines);
  builtVersions.set(more.lines, { stored, file });
  sendCompact(context, file);
}

export async function handleSpecList(context: RequestContext, match: RegExpExecArray): Promise<void> {
  const { gems } = await storedGems(context);
  sendSpecList(context, renderSpecList(specTuples(gems, match[1] as SpecList)));
}

export async function handleNames(context: RequestContext): Promise<void> {
  const { gems } = await storedGems(context);
  const more = await publicGemLines(context, new Set(gems.map((gem) => gem.name)));
  const names = gems.filter((gem) => gem.entries.some((entry) => entry.listed)).map((gem) => gem.name);
  sendCompact(context, renderNames(more ? [...names, ...more.names] : names));
}

/**
 * The gems stored along the chain, each with the versions /info/<gem> lists (a gem also on the
 * public registry with the registry's versions too). The spec lists stop here: they are for
 * `gem search -r` and `gem list -r`, which would otherwise page through the whole registry.
 */
async function storedGems(context: RequestContext): Promise<{ gems: VersionsLine[]; newest?: string }> {
  const { store } = context.deps;
  const names = new Set<string>();
  for (const repository of await repositoryChain(store, context.domain, context.repository)) {
    for (const ref of await store.index.listPackages(context.domain, repository.name, 'ruby')) names.add(ref.name);
  }
  const gems: VersionsLine[] = [];
  let newest: string | undefined;
  for (const name of [...names].sort()) {
    // The same view as /info/<gem>, public registry included, so the md5 here is that of the body /info sends.
    const { entries, info } = gemInfo(`${context.domain}/${context.repository.name}/${name}`, await loadListedSources(context, name));
    for (const entry of entries) {
      const time = entry.source.kind === 'stored' ? entry.source.record.publishedTime : undefined;
      if (entry.listed && time && (!newest || time > newest)) newest = time;
    }
    gems.push({ name, entries, infoMd5: info.md5 });
  }
  return { gems, newest: newest?.replace(/\.\d+Z$/, 'Z') };
}

/** One gem's sources for the list: an unreachable registry costs that gem its public versions, not the whole list. */
async function loadListedSources(context: RequestContext, name: string): Promise<GemSources> {
  try {
    return await loadGemSources(context, name);
  } catch (error) {
    if (!(error instanceof UpstreamError)) throw error;
    context.deps.log(`warning: listing ${name} without the public registry's versions: ${error.message}`);
    return loadGemSources(context, name, true);
  }
}

function sendCompact(context: RequestContext, file: CompactFile): void {
  const { req, res } = context;
  const etag = `"${file.md5}"`;
  const headers: Record<string, string | number> = {
    'content-type': TEXT,
    etag,
    'repr-digest': `sha-256=:${createHash('sha256').update(file.body).digest('base64')}:`,
    'accept-ranges': 'bytes',
    'cache-control': 'no-cache',
  };
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) {
    res.writeHead(304, headers).end();
    return;
  }
  const range = /^bytes=(\d+)-$/.exec(String(req.headers.range ?? '').trim());
  const start = range ? Number(range[1]) : undefined;
  if (start !== undefined && start > 0 && start < file.body.length) {
    const part = file.body.subarray(start);
    res.writeHead(206, { ...headers, 'content-range': `bytes ${start}-${file.body.length - 1}/${file.body.length}`, 'content-length': part.length });
    res.end(req.method === 'HEAD' ? undefined : part);
    return;
  }
  res.writeHead(200, { ...headers, 'content-length': file.body.length });
  res.end(req.method === 'HEAD' ? undefined : file.body);
}

export function gemNotFound(context: RequestContext, name: string): ResourceNotFoundError {
  return new ResourceNotFoundError(`Gem ${name.slice(0, 100)} is not in repository ${context.repository.name}, its upstreams or their public registry.`, {
    resourceType: 'package',
    resourceId: name.slice(0, 100),
  });
}

export function decodeSegment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
