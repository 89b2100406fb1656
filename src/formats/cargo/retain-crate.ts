/**
 * Keeping a crate that was served from elsewhere, as CodeArtifact does: one held by an upstream
 * repository is retained in the repository asked; one from the external connection's index is
 * fetched first, checked against the index's `cksum` (a mismatch stores nothing), then retained
 * in the repository holding the connection and in the one asked. A version the index marks as
 * yanked is kept as Unlisted, which renders as yanked here too.
 */
import { assetRecord } from '../../core/assets.js';
import type { VersionRecord } from '../../core/model.js';
import { withRevision } from '../../core/revision.js';
import { UpstreamError } from '../../errors.js';
import { withSharedBlobLease } from '../../operations/blob-lease.js';
import { retainThroughHolder, retainVersion } from '../../operations/ingest.js';
import { refusalAsNotFound } from '../../operations/retention-refusal.js';
import type { RequestContext } from '../../server/route.js';
import { fetchAssetChecked } from '../../upstream/fetch-asset.js';
import { crateKeyIn } from './crate-sources.js';
import type { ViewVersion } from './crate-view.js';
import { expandDownloadUrl, loadDownloadTemplate, type ExternalCrate } from './external-index.js';
import { crateAssetName, versionFromLine } from './version-record.js';

/**
 * The version's record in the repository asked, retained or fetched into it first. A block that
 * lands meanwhile is the same 404 as one set before (docs/formats/cargo.md says why).
 */
export function ensureStoredCrate(context: RequestContext, name: string, entry: ViewVersion, external: ExternalCrate | undefined): Promise<VersionRecord> {
  return storedCrate(context, name, entry, external).catch(refusalAsNotFound);
}

async function storedCrate(context: RequestContext, name: string, entry: ViewVersion, external: ExternalCrate | undefined): Promise<VersionRecord> {
  const { store } = context.deps;
  if (entry.stored) {
    if (entry.stored.repository === context.repository.name) return entry.stored.record;
    return retainVersion(store, crateKeyIn(context, name), entry.stored.record);
  }
  if (!external) throw new UpstreamError(`Crate ${name} ${entry.line.vers} comes from an external connection that this repository no longer reaches.`);
  return fetchExternalCrate(context, name, entry, external);
}

async function fetchExternalCrate(context: RequestContext, name: string, entry: ViewVersion, external: ExternalCrate): Promise<VersionRecord> {
  const { store, config } = context.deps;
  const template = await loadDownloadTemplate(context, external.source);
  if (!template) throw new UpstreamError(`The index behind ${external.source.connectionName} has no config.json, so there is no download address for ${name}.`);
  const url = expandDownloadUrl(template, entry.line);
  // `cargo fetch` downloads crate after crate: one lease shared by the overlapping ones spares
  // each a lease file of its own (blob-lease.ts), as npm's cold tarballs do.
  return withSharedBlobLease(store, async () => {
    const { checked, durable } = fetchAssetChecked(store, config, external.source, url, { sha256: entry.line.cksum }, undefined, context.live);
    try {
      const { digests } = await checked;
      const record = withRevision({
        ...versionFromLine(entry.line, assetRecord(crateAssetName(entry.line), digests)),
        status: entry.yanked ? 'Unlisted' : 'Published',
        publishedTime: new Date().toISOString(),
        origin: { domainEntryPoint: { externalConnectionName: external.source.connectionName }, originType: 'EXTERNAL' },
      });
      // The indexes are written and flushed while the blob is: one flush's wait on a cold crate's path instead of two or three in a row.
      const retained = await retainThroughHolder(store, crateKeyIn(context, name, external.source.repository.name), crateKeyIn(context, name), record, durable);
      await durable;
      return retained;
    } finally {
      // Whatever failed, the blob's write is over before the lease may go.
      await durable.catch(() => undefined);
    }
  });
}
