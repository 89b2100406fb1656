/**
 * GET /simple/<project>/<version>/<file name>, and `<file name>.metadata` (PEP 658), as the
 * project page links them. Only files the page lists are served: those of Published and
 * Unlisted versions. A file found upstream or on the public index is retained on the way.
 */
import { ResourceNotFoundError } from '../../errors.js';
import { refusalAsNotFound } from '../../operations/retention-refusal.js';
import { streamingMisses } from '../../server/live-download.js';
import { sendBlob } from '../../server/respond.js';
import type { RequestContext } from '../../server/route.js';
import { fetchAssetToStore } from '../../upstream/fetch-asset.js';
import { canonicalVersion } from './pep440.js';
import { requireProjectName } from './project-name.js';
import { loadProjectSources, viewOf, withExternal, type ProjectSources } from './project-sources.js';
import type { ViewFile } from './project-view.js';
import { fetchExternalFile, retainUpstreamFile } from './retain-file.js';
import { decodeSegment } from './simple-routes.js';
import { METADATA_SUFFIX } from './version-files.js';

const FILE_TYPE = 'application/octet-stream';
const METADATA_TYPE = 'text/plain; charset=utf-8';

export async function handleDownload(context: RequestContext, match: RegExpExecArray): Promise<void> {
  const project = requireProjectName(decodeSegment(match[1]));
  const requested = decodeSegment(match[3]);
  const isMetadata = requested.endsWith(METADATA_SUFFIX);
  const fileName = isMetadata ? requested.slice(0, -METADATA_SUFFIX.length) : requested;
  const version = canonicalVersion(decodeSegment(match[2]));
  const find = (loaded: ProjectSources) =>
    viewOf(loaded).files.find((candidate) => candidate.fileName === fileName && canonicalVersion(candidate.version) === version);
  // A file stored along the chain needs no word from the public index; only a miss asks it.
  let loaded = await loadProjectSources(context, project, true);
  let file = find(loaded);
  if (!file) {
    loaded = await withExternal(context, loaded);
    file = find(loaded);
  }
  if (!file) throw notFound(context, requested);
  if (isMetadata) return sendMetadata(context, loaded, file, requested);
  const found = file;
  // A first download from the index reaches the client as it arrives (live-download.ts).
  const outcome = await streamingMisses(context, { contentType: FILE_TYPE, fileName }, () => storedSha256(context, loaded, found));
  if (outcome.streamed) return;
  const sha256 = outcome.value;
  await sendBlob(context.req, context.res, context.deps.store.blobs, { sha256, contentType: FILE_TYPE, fileName });
}

/**
 * The file's blob, retained or fetched first when it comes from elsewhere. A block that lands
 * meanwhile is the same 404 as one set before (docs/formats/pypi.md says why).
 */
function storedSha256(context: RequestContext, loaded: ProjectSources, file: ViewFile): Promise<string> {
  return keptSha256(context, loaded, file).catch(refusalAsNotFound);
}

async function keptSha256(context: RequestContext, loaded: ProjectSources, file: ViewFile): Promise<string> {
  const { source } = file;
  if (source.kind === 'stored') {
    if (source.repository !== context.repository.name) await retainUpstreamFile(context, loaded.project, source);
    return source.asset.hashes['SHA-256'];
  }
  return fetchExternalFile(context, loaded.project, loaded.external!, source.file);
}

async function sendMetadata(context: RequestContext, loaded: ProjectSources, file: ViewFile, requested: string): Promise<void> {
  const { store, config } = context.deps;
  const sha256 = file.coreMetadataSha256;
  if (!sha256) throw notFound(context, requested);
  // A public file not fetched yet: its METADATA comes from the index, checked against the
  // digest the index announced, and is kept by digest (no record needs it until the file comes).
  if (file.source.kind === 'external' && loaded.external && (await store.blobs.size(sha256)) === undefined) {
    await fetchAssetToStore(store, config, loaded.external.source, `${file.source.file.url}${METADATA_SUFFIX}`, { sha256 });
  }
  await sendBlob(context.req, context.res, store.blobs, { sha256, contentType: METADATA_TYPE });
}

function notFound(context: RequestContext, fileName: string): ResourceNotFoundError {
  return new ResourceNotFoundError(`${fileName} is not a file of a listed version in repository ${context.repository.name} or its upstreams.`, {
    resourceType: 'asset',
    resourceId: fileName,
  });
}
