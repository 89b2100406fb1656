/**
 * GET api/v1/crates/<crate>/<version>/download, the `dl` address config.json announces. The
 * bytes are the stored ones, unchanged, so their SHA-256 is the index's `cksum`. A crate found
 * in an upstream repository or the external connection is kept in this repository on the way.
 */
import type { AssetRecord, VersionRecord } from '../../core/model.js';
import { streamingMisses } from '../../server/live-download.js';
import { sendBlob } from '../../server/respond.js';
import type { RequestContext } from '../../server/route.js';
import { crateKey, decode, requireCrateName } from './crate-name.js';
import { crateNotFound, loadCrateSources, viewOf, withExternal } from './crate-sources.js';
import { findViewVersion } from './crate-view.js';
import { ensureStoredCrate } from './retain-crate.js';
import { crateAssetName } from './version-record.js';

const CRATE_TYPE = 'application/gzip';

export async function handleDownload(context: RequestContext, match: RegExpExecArray): Promise<void> {
  const name = crateKey(requireCrateName(decode(match[1])));
  const version = decode(match[2]);
  // Stored versions need no word from the external index; only a miss asks it.
  let loaded = await loadCrateSources(context, name, true);
  let entry = findViewVersion(viewOf(loaded), version);
  if (!entry) {
    loaded = await withExternal(context, loaded);
    entry = findViewVersion(viewOf(loaded), version);
  }
  if (!entry || !entry.downloadable) throw crateNotFound(context, name, version);
  const found = entry;
  // A first download from the external index reaches the client as it arrives (live-download.ts).
  const outcome = await streamingMisses(context, { contentType: CRATE_TYPE, fileName: crateAssetName(found.line) }, () =>
    ensureStoredCrate(context, name, found, loaded.external),
  );
  if (outcome.streamed) return;
  const asset = crateAsset(outcome.value);
  if (!asset) throw crateNotFound(context, name, version);
  const blob = { sha256: asset.hashes['SHA-256'], contentType: CRATE_TYPE, fileName: crateAssetName(entry.line) };
  const storedHere = found.stored?.repository === context.repository.name;
  if (storedHere) context.reuse({ blob }, { name });
  await sendBlob(context.req, context.res, context.deps.store.blobs, blob);
  // A first download answered from what was there before it stored the crate here; the next
  // request (a warm fetch) works it out from what is stored now, so that is what is remembered.
  // Worked out after the answer went out, so the cold download does not wait for it.
  if (!storedHere && (await answersAlikeNow(context, name, version, blob.sha256))) context.reuse({ blob }, { name });
}

function crateAsset(record: VersionRecord): AssetRecord | undefined {
  return record.assets.find((candidate) => candidate.name.endsWith('.crate')) ?? record.assets[0];
}

async function answersAlikeNow(context: RequestContext, name: string, version: string, sha256: string): Promise<boolean> {
  context.beginAfresh();
  try {
    const again = findViewVersion(viewOf(await loadCrateSources(context, name, true)), version);
    return (
      again?.downloadable === true && again.stored?.repository === context.repository.name && crateAsset(again.stored.record)?.hashes['SHA-256'] === sha256
    );
  } catch {
    // The download itself succeeded; an index that cannot be read now only means no reuse.
    return false;
  }
}
