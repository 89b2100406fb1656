/**
 * PackageBaseAddress/3.0.0, the flat container restore reads: the versions index of an id and
 * each version's .nupkg and .nuspec. Unlisted versions are listed and downloadable here (lock
 * files keep working); only search and registration say they are unlisted.
 */
import type { AssetRecord, VersionRecord } from '../../core/model.js';
import { ResourceNotFoundError } from '../../errors.js';
import { streamingMisses } from '../../server/live-download.js';
import { RenderedBody, sendBlob, sendRendered } from '../../server/respond.js';
import type { RequestContext } from '../../server/route.js';
import { readNupkgFile } from './nupkg.js';
import { ensureStoredVersion } from './package-content.js';
import { loadPackage, packageNotFound } from './package-loader.js';
import { findVersion } from './package-view.js';
import { renderCachedJson } from './render-cache.js';
import { nameFromSegment, versionFromSegment } from './url-segments.js';

const NUSPEC_CACHE_ENTRIES = 128;
// Nuspecs by nupkg SHA-256: blobs never change, so an entry is never stale.
const nuspecs = new Map<string, RenderedBody>();

export async function handleVersionsIndex(context: RequestContext, match: RegExpExecArray): Promise<void> {
  const name = nameFromSegment(match[1]);
  if (!name) throw new ResourceNotFoundError('Not a valid NuGet package id.');
  const body = await versionsIndexOf(context, name);
  if (!body) throw packageNotFound(context, name);
  // Depends on the package's records and the source's documents alone (freshness set by loadPackage).
  context.reuse({ rendered: body }, { name });
  sendRendered(context.req, context.res, body);
}

/** The versions index of a package as it is now; undefined when neither the chain nor the source has it. */
async function versionsIndexOf(context: RequestContext, name: string): Promise<RenderedBody | undefined> {
  const loaded = await loadPackage(context, name, 'versions');
  const view = loaded.view;
  return view && renderCachedJson(loaded.parts, 'versions', () => ({ versions: view.versions.map((entry) => entry.key) }));
}

/**
 * After a first download stored a version here: the versions index remembered before it, which
 * that write ended, is worked out again now, so the next restore is answered from memory
 * instead of working out every package's list again.
 */
async function renewVersionsIndex(context: RequestContext, match: RegExpExecArray, name: string): Promise<void> {
  // This request's path up to the id segment, as the client wrote it, then the index.
  const fileSegments = `${match[2]}/${match[3]}.nupkg`;
  if (!context.rawPath.endsWith(fileSegments)) return;
  const path = `${context.rawPath.slice(0, context.rawPath.length - fileSegments.length)}index.json`;
  await context.renewAnswers(path, { name }, async (now) => {
    const body = await versionsIndexOf(now, name);
    return body && { rendered: body };
  });
}

/**
 * The stored version behind a flat container URL, fetched or retained into this repository if
 * need be. `storedHere`: it was in this repository before the request came.
 */
async function requireStoredVersion(
  context: RequestContext,
  match: RegExpExecArray,
  fileOf: (name: string, key: string) => string,
): Promise<{ name: string; key: string; record: VersionRecord; storedHere: boolean }> {
  const name = nameFromSegment(match[1]);
  const key = versionFromSegment(match[2]);
  if (!name || !key || match[3].toLowerCase() !== fileOf(name, key)) throw new ResourceNotFoundError('Not a package file URL of this feed.');
  // Stored versions need no upstream listing; only a miss asks the external connection.
  let loaded = await loadPackage(context, name, 'none');
  let entry = findVersion(loaded.view, key);
  if (!entry) {
    loaded = await loadPackage(context, name, 'versions');
    entry = findVersion(loaded.view, key);
  }
  if (!entry) throw packageNotFound(context, name, key);
  const storedHere = entry.stored?.repository === context.repository.name;
  return { name, key, record: await ensureStoredVersion(context, name, entry, loaded.upstream), storedHere };
}

function nupkgAsset(record: VersionRecord): AssetRecord {
  const asset = record.assets.find((candidate) => candidate.name.endsWith('.nupkg'));
  if (!asset) throw new ResourceNotFoundError(`Version ${record.version} has no .nupkg asset.`);
  return asset;
}

export async function handleNupkg(context: RequestContext, match: RegExpExecArray): Promise<void> {
  // A first download from the upstream feed reaches the client as it arrives (live-download.ts).
  const outcome = await streamingMisses(context, { contentType: 'application/octet-stream', fileName: match[3] }, () =>
    requireStoredVersion(context, match, (id, version) => `${id}.${version}`),
  );
  if (outcome.streamed) {
    // Only a first download is streamed; by now it is stored (or failed, and nothing changed).
    const name = nameFromSegment(match[1]);
    if (name) await renewVersionsIndex(context, match, name);
    return;
  }
  const { name, key, record, storedHere } = outcome.value;
  const blob = { sha256: nupkgAsset(record).hashes['SHA-256'], contentType: 'application/octet-stream', fileName: `${name}.${key}.nupkg` };
  if (!storedHere) {
    if (await answersAlikeNow(context, name, key, blob.sha256)) context.reuse({ blob }, { name });
    await renewVersionsIndex(context, match, name);
  } else context.reuse({ blob }, { name });
  await sendBlob(context.req, context.res, context.deps.store.blobs, blob);
}

/**
 * A first download has just stored the version in this repository, so the answer came from
 * what was there before: it is remembered only when working it out again from what is stored
 * now (as every later request will) gives the same blob.
 */
async function answersAlikeNow(context: RequestContext, name: string, key: string, sha256: string): Promise<boolean> {
  context.beginAfresh();
  try {
    const again = findVersion((await loadPackage(context, name, 'none')).view, key);
    return (
      again?.stored?.repository === context.repository.name &&
      again.stored.record.assets.some((asset) => asset.name.endsWith('.nupkg') && asset.hashes['SHA-256'] === sha256)
    );
  } catch {
    // The download itself succeeded; an index that cannot be read now only means no reuse.
    return false;
  }
}

export async function handleNuspec(context: RequestContext, match: RegExpExecArray): Promise<void> {
  const { record } = await requireStoredVersion(context, match, (id) => id);
  const sha256 = nupkgAsset(record).hashes['SHA-256'];
  let body = nuspecs.get(sha256);
  if (!body) {
    const { nuspecBytes } = readNupkgFile(context.deps.store.blobs.pathOf(sha256));
    body = new RenderedBody('application/xml', nuspecBytes);
    if (nuspecs.size >= NUSPEC_CACHE_ENTRIES) nuspecs.delete(nuspecs.keys().next().value as string);
    nuspecs.set(sha256, body);
  }
  sendRendered(context.req, context.res, body);
}
