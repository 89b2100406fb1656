/**
 * GET of the source root, /versions, /info/<gem> and /names (docs/formats/ruby.md, "Compact
 * index"). ETags are the quoted md5 of the whole body, which Bundler compares with its copy;
 * a Range from Bundler is answered with the bytes from that offset (206), and Bundler checks
 * the md5 of what it then holds and fetches the whole file when they differ.
 */
import { ResourceNotFoundError } from '../../errors.js';
import { sendText } from '../../server/respond.js';
import type { RequestContext } from '../../server/route.js';
import { renderNames, renderVersions, reprDigest, type CompactFile } from './compact-index.js';
import { isGemName } from './gem-names.js';
import { loadGemSources } from './gem-sources.js';
import { publicGemLines } from './public-gem-lines.js';
import { gemInfo } from './info-cache.js';
import { renderSpecList, sendSpecList, specTuples, type SpecList } from './legacy-specs.js';
import { storedGems, type StoredGems } from './stored-gems.js';

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

// The /versions and /names bodies last built from each list of stored gems (the same object
// while none of them changed, stored-gems.ts), with the public lines or names they were built
// with (megabytes for the real registry); an empty list for none.
type Built = WeakMap<StoredGems, { more: readonly string[]; file: CompactFile }>;
const builtVersions: Built = new WeakMap();
const builtNames: Built = new WeakMap();
const NO_LINES: readonly string[] = [];

/** The stored gems' lines, then the public registry's other gems (public-gem-lines.ts). */
export async function handleVersions(context: RequestContext): Promise<void> {
  const stored = await storedGems(context);
  const more = (await publicGemLines(context, stored.names))?.lines ?? NO_LINES;
  sendCompact(
    context,
    builtOnce(builtVersions, stored, more, () => renderVersions(stored.gems, stored.newest ?? '1970-01-01T00:00:00Z', more)),
  );
}

export async function handleSpecList(context: RequestContext, match: RegExpExecArray): Promise<void> {
  const { gems } = await storedGems(context);
  sendSpecList(context, renderSpecList(specTuples(gems, match[1] as SpecList)));
}

export async function handleNames(context: RequestContext): Promise<void> {
  const stored = await storedGems(context);
  const more = (await publicGemLines(context, stored.names))?.names ?? NO_LINES;
  sendCompact(
    context,
    builtOnce(builtNames, stored, more, () =>
      renderNames([...stored.gems.filter((gem) => gem.entries.some((entry) => entry.listed)).map((gem) => gem.name), ...more]),
    ),
  );
}

/** The body built from `stored` and `more` last time, or `build`'s, kept for next time. */
function builtOnce(built: Built, stored: StoredGems, more: readonly string[], build: () => CompactFile): CompactFile {
  const last = built.get(stored);
  if (last?.more === more) return last.file;
  const file = build();
  built.set(stored, { more, file });
  return file;
}

function sendCompact(context: RequestContext, file: CompactFile): void {
  const { req, res } = context;
  const etag = `"${file.md5}"`;
  const headers: Record<string, string | number> = {
    'content-type': TEXT,
    etag,
    'repr-digest': reprDigest(file),
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
