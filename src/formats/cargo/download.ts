/**
 * GET api/v1/crates/<crate>/<version>/download, the `dl` address config.json announces. The
 * bytes are the stored ones, unchanged, so their SHA-256 is the index's `cksum`. A crate found
 * in an upstream repository or the external connection is kept in this repository on the way.
 */
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
  const record = outcome.value;
  const asset = record.assets.find((candidate) => candidate.name.endsWith('.crate')) ?? record.assets[0];
  if (!asset) throw crateNotFound(context, name, version);
  await sendBlob(context.req, context.res, context.deps.store.blobs, {
    sha256: asset.hashes['SHA-256'],
    contentType: CRATE_TYPE,
    fileName: crateAssetName(entry.line),
  });
}
