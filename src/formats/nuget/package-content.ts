/**
 * Getting a version's .nupkg into the asked repository before it is served. A version held by
 * an upstream repository is retained here; one offered by the external connection is
 * downloaded, checked, and retained both here and in the repository holding the connection
 * (docs/reference/upstreams.md).
 *
 * What a download is checked against: the SHA-512 the upstream announces (the registration
 * entry's packageHash, or the catalog entry it links to, which is where nuget.org keeps it).
 * A source that announces no digest cannot be checked byte for byte; then the package must at
 * least be a valid nupkg whose nuspec names the requested id and version, and its SHA-512 is
 * recorded on first fetch, so every later restore gets exactly those bytes (trust on first use).
 */
import { assetRecord } from '../../core/assets.js';
import type { VersionRecord } from '../../core/model.js';
import { withRevision } from '../../core/revision.js';
import { ResourceNotFoundError, UpstreamError, ValidationError } from '../../errors.js';
import { withSharedBlobLease } from '../../operations/blob-lease.js';
import { retainThroughHolder, retainVersion } from '../../operations/ingest.js';
import { refusalAsNotFound } from '../../operations/retention-refusal.js';
import type { ExpectedBlob } from '../../store/blob-store.js';
import type { CheckedBlob } from '../../store/two-step-put.js';
import { existingSmallBlobCacheOf } from '../../store/small-blob-cache.js';
import type { RequestContext } from '../../server/route.js';
import { isAllowedAssetUrl } from '../../upstream/asset-origins.js';
import { startEarlyDownload, type EarlyDownload } from '../../upstream/early-download.js';
import { fetchAssetChecked, LIVE_MIN_BYTES } from '../../upstream/fetch-asset.js';
import { SingleFlight } from '../../upstream/single-flight.js';
import { readNupkg, readNupkgFile } from './nupkg.js';
import { ownKey } from './package-loader.js';
import type { ExternalVersion, OfferedVersion } from './package-view.js';
import type { NuGetUpstream } from './upstream-source.js';
import { checkIdentity, identityOf, newVersionOf, nupkgAssetName } from './version-metadata.js';

/**
 * The stored record of the version in the asked repository, fetching or retaining it first. A
 * block that lands meanwhile is the same 404 as one set before (docs/formats/nuget.md says why).
 */
export function ensureStoredVersion(context: RequestContext, name: string, entry: OfferedVersion, upstream: NuGetUpstream | undefined): Promise<VersionRecord> {
  return storedVersion(context, name, entry, upstream).catch(refusalAsNotFound);
}

async function storedVersion(context: RequestContext, name: string, entry: OfferedVersion, upstream: NuGetUpstream | undefined): Promise<VersionRecord> {
  const { store } = context.deps;
  if (entry.stored) {
    if (entry.stored.repository === context.repository.name) return entry.stored.record;
    return retainVersion(store, ownKey(context, name), entry.stored.record);
  }
  if (!upstream) throw new UpstreamError(`${name} ${entry.key} is offered by an external connection that is no longer reachable from this repository.`);
  // Concurrent first downloads of one version share one fetch of its catalog entry and nupkg.
  return ingestions.run(`${context.domain}\n${context.repository.name}\n${name}\n${entry.key}`, () =>
    ingestExternalVersion(context, name, entry.key, upstream),
  );
}

const ingestions = new SingleFlight<VersionRecord>();

async function ingestExternalVersion(context: RequestContext, name: string, key: string, upstream: NuGetUpstream): Promise<VersionRecord> {
  const { config } = context.deps;
  const resources = await upstream.resources();
  if (!resources) throw new ResourceNotFoundError(`${name} ${key} is not stored here and the server is offline.`, { hint: 'Fetch it once while online.' });
  // The nupkg is asked for while the registration (and catalog entry) that announce its digest
  // are: its bytes wait in memory until that digest vouches for them (early-download.ts). The
  // answer for a larger one waits unread, then reaches the client live as it arrives.
  const url = upstream.nupkgUrl(resources, name, key);
  const early = config.offline || !isAllowedAssetUrl(config, upstream.source, url) ? undefined : startEarlyDownload(config, url, LIVE_MIN_BYTES);
  try {
    const { entry, packageHash } = await upstream.describe(name, key);
    return await storeVersion(context, name, key, upstream, { url, early, entry, expected: expectedOf(upstream, name, key, packageHash) });
  } finally {
    early?.release();
  }
}

function expectedOf(upstream: NuGetUpstream, name: string, key: string, packageHash: string | undefined): ExpectedBlob {
  if (!packageHash) return {};
  const sha512 = Buffer.from(packageHash, 'base64').toString('hex');
  if (sha512.length !== 128)
    throw new UpstreamError(`${upstream.source.connectionName} announces a malformed SHA-512 for ${name} ${key}; the package was not fetched.`);
  return { sha512 };
}

interface Download {
  url: string;
  early: EarlyDownload | undefined;
  entry: ExternalVersion | undefined;
  expected: ExpectedBlob;
}

async function storeVersion(
  context: RequestContext,
  name: string,
  key: string,
  upstream: NuGetUpstream,
  { url, early, entry, expected }: Download,
): Promise<VersionRecord> {
  const { store, config } = context.deps;
  // The lease keeps `gc` off the new blob until an index references it; concurrent downloads share one.
  return withSharedBlobLease(store, async () => {
    const { checked, durable } = fetchAssetChecked(store, config, upstream.source, url, expected, early, context.live);
    try {
      const record = await versionRecordOf(context, name, key, upstream, entry, await checked, durable);
      // The indexes are written and flushed while the nupkg is: one flush's wait on a cold package's path instead of two or three in a row.
      const asked = ownKey(context, name);
      const retained = await retainThroughHolder(store, { ...asked, repository: upstream.source.repository.name }, asked, record, durable);
      await durable;
      return retained;
    } finally {
      // Whatever failed, the blob's write is over before the lease may go.
      await durable.catch(() => undefined);
    }
  });
}

/** The version's record from the checked nupkg: its bytes when small (in memory), else the stored file once durable. */
async function versionRecordOf(
  context: RequestContext,
  name: string,
  key: string,
  upstream: NuGetUpstream,
  entry: ExternalVersion | undefined,
  { digests, bytes }: CheckedBlob,
  durable: Promise<unknown>,
): Promise<VersionRecord> {
  const { store } = context.deps;
  let version;
  try {
    // A package another request stored was just kept in memory by the store (small-blob-cache.ts).
    const kept = bytes ?? existingSmallBlobCacheOf(store.blobs)?.get(digests.sha256);
    if (!kept) await durable;
    const contents = kept ? readNupkg(kept) : readNupkgFile(store.blobs.pathOf(digests.sha256));
    const identity = identityOf(contents);
    checkIdentity(identity, name, key);
    version = { ...newVersionOf(contents, identity), assets: [assetRecord(nupkgAssetName(name, key), digests)] };
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    // The bytes stay unreferenced in the blob store until `gc`; no index points at them.
    throw new UpstreamError(`${upstream.source.connectionName} served an unusable package for ${name} ${key}: ${error.message}`, { cause: error });
  }
  const published = entry?.published && !entry.published.startsWith('1900') ? entry.published : new Date().toISOString();
  return withRevision({
    ...version,
    status: 'Published',
    publishedTime: published,
    origin: { domainEntryPoint: { externalConnectionName: upstream.source.connectionName }, originType: 'EXTERNAL' },
  });
}
