/**
 * GET /gems/<file>.gem and /quick/Marshal.4.8/<file>.gemspec.rz. Files of Published and
 * Unlisted (yanked) versions are served; one found upstream or on the public registry is
 * retained on the way. The Marshal gemspec is built from the kept gemspec facts.
 */
import { ResourceNotFoundError } from '../../errors.js';
import { refusalAsNotFound } from '../../operations/retention-refusal.js';
import { sendBlob, sendText } from '../../server/respond.js';
import type { RequestContext } from '../../server/route.js';
import { decodeSegment } from './compact-routes.js';
import { splitFullName } from './gem-names.js';
import { entriesOf, loadGemSources, withExternal, type GemSources } from './gem-sources.js';
import type { GemEntry } from './gem-view.js';
import { marshalGemspec } from './marshal-spec.js';
import { fetchExternalGem, retainUpstreamGem } from './retain-gem.js';
import type { StoredGemFacts } from './version-record.js';

interface FoundGem {
  name: string;
  loaded: GemSources;
  entry: GemEntry;
}

export async function handleGemDownload(context: RequestContext, match: RegExpExecArray): Promise<void> {
  const found = await findGemFile(context, decodeSegment(match[1]));
  const { sha256 } = await keepFound(context, found);
  const blob = { sha256, contentType: 'application/octet-stream', fileName: found.entry.fileName };
  // A gem stored in the repository asked is the answer until that gem's files change: repeats
  // are answered from memory, the door still checked each time. A first download that stores
  // the gem here is not worked out again to be remembered: that cost every cold gem 0.5-2 ms
  // of CPU (docs/performance.md, "RubyGems and PyPI"); the next download remembers it.
  const { source } = found.entry;
  if (source.kind === 'stored' && source.repository === context.repository.name) context.reuse({ blob }, { name: found.name });
  await sendBlob(context.req, context.res, context.deps.store.blobs, blob);
}

export async function handleMarshalSpec(context: RequestContext, match: RegExpExecArray): Promise<void> {
  const found = await findGemFile(context, decodeSegment(match[1]));
  const { facts } = await keepFound(context, found);
  const body = marshalGemspec(found.name, found.entry.version, facts);
  context.res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length, 'cache-control': 'no-cache' });
  context.res.end(context.req.method === 'HEAD' ? undefined : body);
}

/** Old clients' dependency API: 404 sends them to the compact index. */
export function handleDependencyApi(context: RequestContext): void {
  sendText(context.req, context.res, 404, 'text/plain; charset=utf-8', 'The dependency API is not offered; use the compact index.\n');
}

/** The gem kept here first. A block that lands meanwhile is the same 404 as one set before (docs/formats/ruby.md says why). */
function keepFound(context: RequestContext, found: FoundGem): Promise<{ sha256: string; facts: StoredGemFacts }> {
  return keptGem(context, found).catch(refusalAsNotFound);
}

async function keptGem(context: RequestContext, found: FoundGem): Promise<{ sha256: string; facts: StoredGemFacts }> {
  const { source } = found.entry;
  if (source.kind === 'stored') {
    if (source.repository !== context.repository.name) await retainUpstreamGem(context, found.name, source);
    return { sha256: source.asset.hashes['SHA-256'], facts: source.facts };
  }
  return fetchExternalGem(context, found.name, found.loaded.external!, source.gem);
}

/** The gem file whatever way its name splits; what the chain stores is found without the public registry. */
async function findGemFile(context: RequestContext, fullName: string): Promise<FoundGem> {
  const fileName = `${fullName}.gem`;
  const names = [...new Set(splitFullName(fullName).map((split) => split.name))];
  for (const storedOnly of [true, false]) {
    for (const name of names) {
      let loaded = await loadGemSources(context, name, true);
      if (!storedOnly) loaded = await withExternal(context, loaded);
      const entry = entriesOf(loaded).find((candidate) => candidate.fileName === fileName);
      if (entry) return { name, loaded, entry };
    }
  }
  throw new ResourceNotFoundError(
    `${fileName.slice(0, 200)} is not a gem of a listed or yanked version in repository ${context.repository.name} or its upstreams.`,
    {
      resourceType: 'asset',
      resourceId: fileName.slice(0, 200),
    },
  );
}
