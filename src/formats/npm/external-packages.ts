/**
 * The public registry as the last source of an npm read: its versions are merged into the
 * packument, and a tarball of one is fetched, checked against the registry's integrity,
 * stored, and retained in the repository asked and in the one holding the connection.
 */
import semver from 'semver';
import { assetRecord } from '../../core/assets.js';
import { NPM_ASSET_NAME, npmTarballAsset } from './tarball-asset.js';
import type { AssetRecord, PackageKey, RepositoryRecord, VersionRecord } from '../../core/model.js';
import { AccessDeniedError, UpstreamError } from '../../errors.js';
import { withSharedBlobLease } from '../../operations/blob-lease.js';
import { retainSideBySide, retainVersion } from '../../operations/ingest.js';
import type { Freshness, ServerDeps } from '../../server/route.js';
import { firstConnection } from '../../upstream/external.js';
import { startEarlyDownload, type EarlyDownload } from '../../upstream/early-download.js';
import { fetchAssetChecked } from '../../upstream/fetch-asset.js';
import type { LiveDelivery } from '../../upstream/live-delivery.js';
import { resolvePackageChain, type PackageResolution, type PackageSource } from '../../upstream/resolve.js';
import { SingleFlight } from '../../upstream/single-flight.js';
import { tarballFileName, type NpmPackageName } from './package-name.js';
import { fetchRemotePackument, remotePackageRecord, remoteSingleVersionRecord, remoteVersionRecord, sha512HexOf } from './remote-packument.js';

/**
 * A download's retention: the holder's asset, and the copy begun beside it in the repository of
 * the request that started it (others sharing the download retain their own copy after it).
 */
interface Retention {
  asset: AssetRecord | undefined;
  asked?: { repository: string; retained: Promise<VersionRecord> };
}

const retentions = new SingleFlight<Retention>();

/** What reading through a repository needs; a server request and `sync` both have it. */
export interface NpmReadContext {
  deps: Pick<ServerDeps, 'store' | 'config' | 'log'>;
  domain: string;
  repository: RepositoryRecord;
  /** Lowered to when the registry's metadata used for the answer goes stale (server requests). */
  freshness?: Freshness;
  /** A download's tarball, asked of the registry while its packument is (see early-download.ts). */
  early?: EarlyDownload;
  /** The request's live delivery, for a tarball that must come from the registry (live-download.ts). */
  live?: LiveDelivery;
}

/**
 * The stored records along the chain, then the public registry's versions, unless origin
 * controls block upstream versions on the way to the connection. When the registry fails and
 * something is stored, the stored versions are served alone.
 */
export async function readableSources(context: NpmReadContext, name: NpmPackageName): Promise<PackageSource[]> {
  return withRegistry(context, name, await resolveStored(context, name));
}

/**
 * What a download of one version needs: when a repository on the chain holds that version,
 * the stored records decide alone (they come before the registry's in every merge), so the
 * registry's metadata is not even looked at; otherwise the same as readableSources.
 */
export async function downloadSources(context: NpmReadContext, name: NpmPackageName, version: string): Promise<PackageSource[]> {
  const resolution = await resolveStored(context, name);
  if (resolution.sources.some((source) => Object.hasOwn(source.record.versions, version))) return resolution.sources;
  return withRegistry(context, name, resolution, version);
}

/** The stored records along the chain alone: the public registry is not asked. */
export async function storedSources(context: NpmReadContext, name: NpmPackageName): Promise<PackageSource[]> {
  return (await resolveStored(context, name)).sources;
}

function resolveStored(context: NpmReadContext, name: NpmPackageName): Promise<PackageResolution> {
  return resolvePackageChain(context.deps.store, context.domain, context.repository, { format: 'npm', namespace: name.namespace, name: name.name });
}

/** `onlyVersion`: a download's, when the registry's other versions are of no interest. */
async function withRegistry(
  context: NpmReadContext,
  name: NpmPackageName,
  { sources: stored, connectable }: PackageResolution,
  onlyVersion?: string,
): Promise<PackageSource[]> {
  const external = await firstConnection(context.deps.config, connectable, 'npm');
  if (!external) return stored;
  if (onlyVersion !== undefined && !context.deps.config.offline && !context.early && semver.valid(onlyVersion)) {
    context.early = startEarlyDownload(context.deps.config, conventionalTarballUrl(external.url, name, onlyVersion));
  }
  try {
    // A download needs the registry's metadata for one version's digest only: it is not written to disk.
    const packument = await fetchRemotePackument(context.deps, context.domain, external, name, context.freshness, { persist: onlyVersion === undefined });
    if (!packument) return stored;
    const record = await (onlyVersion === undefined
      ? remotePackageRecord(name, packument, external)
      : remoteSingleVersionRecord(name, packument, external, onlyVersion));
    return [...stored, { repository: external.repository.name, record, external }];
  } catch (error) {
    if (!(error instanceof UpstreamError) || stored.length === 0) throw error;
    // A fallback for now: the next request tries the registry again.
    if (context.freshness) context.freshness.validUntil = 0;
    context.deps.log(`warning: serving stored versions of ${name.fullName} only: ${error.message}`);
    return stored;
  }
}

/**
 * The stored asset of a version found along the chain, fetching it from the public registry
 * first when only the registry has it. Versions from elsewhere are retained here as well.
 */
export async function materializeTarball(
  context: NpmReadContext,
  name: NpmPackageName,
  source: PackageSource,
  record: VersionRecord,
): Promise<AssetRecord | undefined> {
  const keyIn = (repository: string): PackageKey => ({ domain: context.domain, repository, format: 'npm', namespace: name.namespace, name: name.name });
  if (!source.external) {
    const asset = tarballAsset(record);
    if (asset && source.repository !== context.repository.name)
      await quietly(context, retainVersion(context.deps.store, keyIn(context.repository.name), record));
    return asset;
  }
  const external = source.external;
  const holder = keyIn(external.repository.name);
  const asked = keyIn(context.repository.name);
  // One download and retention per version at a time; a request that comes after it finds the
  // version held and downloads nothing.
  const retention = await retentions.run(`${context.domain}\n${holder.repository}\n${name.fullName}\n${record.version}`, async (): Promise<Retention> => {
    const held = (await context.deps.store.index.getPackage(holder))?.versions[record.version];
    const heldAsset = held && tarballAsset(held);
    if (heldAsset?.hashes['SHA-256']) return { asset: heldAsset };
    const packument = await fetchRemotePackument(context.deps, context.domain, external, name, context.freshness, { persist: false });
    const entry = packument?.versions[record.version];
    if (!entry) return { asset: undefined };
    const sha512 = sha512HexOf(entry.tarball.integrity);
    if (!sha512 && !entry.tarball.shasum) {
      throw new UpstreamError(`The upstream registry announced no digest for ${name.fullName}@${record.version}, so it cannot be checked; it was not stored.`);
    }
    // Under a lease from before the blob is stored until the index names it, so gc keeps it.
    return withSharedBlobLease(context.deps.store, async () => {
      const base = remoteVersionRecord(name, record.version, entry, external);
      const early = context.early?.url === entry.tarball.url ? await context.early.bytes : undefined;
      const { checked, durable } = fetchAssetChecked(
        context.deps.store,
        context.deps.config,
        external,
        entry.tarball.url,
        sha512 ? { sha512 } : { sha1: entry.tarball.shasum },
        context.early,
        context.live,
      );
      try {
        const assets = checked.then(({ digests }) => [assetRecord(NPM_ASSET_NAME, digests)]);
        // The holder's and the asked repository's indexes are written and flushed while the
        // tarball is, renamed in place once it is durable (the asked one once the holder's is).
        // With the bytes already in memory, checking them is a moment: the indexes' locks are
        // taken meanwhile. A download still to come could take long, and others wait for the locks.
        const { inHolder, inAsked } = early
          ? retainSideBySide(context.deps.store, holder, asked, base, durable, assets)
          : retainSideBySide(context.deps.store, holder, asked, { ...base, assets: await assets }, durable);
        // Its failure is answered by the request it belongs to, below.
        inAsked?.catch(() => undefined);
        const retained = await inHolder;
        await durable;
        return { asset: tarballAsset(retained), asked: inAsked && { repository: asked.repository, retained: inAsked } };
      } finally {
        // Whatever failed, the blob's write is over before the lease may go.
        await durable.catch(() => undefined);
      }
    });
  });
  const asset = retention.asset;
  if (asset && external.repository.name !== context.repository.name) {
    if (retention.asked?.repository === context.repository.name) await quietly(context, retention.asked.retained);
    else {
      const stored = (await context.deps.store.index.getPackage(holder))?.versions[record.version];
      if (stored) await quietly(context, retainVersion(context.deps.store, asked, stored));
    }
  }
  return asset;
}

/** Where registries that follow npm's layout keep a tarball: <registry>/<name>/-/<name>-<version>.tgz. */
function conventionalTarballUrl(registry: string, name: NpmPackageName, version: string): string {
  const base = registry.endsWith('/') ? registry : `${registry}/`;
  return `${base}${name.fullName}/-/${tarballFileName(name, version)}`;
}

function tarballAsset(record: VersionRecord): AssetRecord | undefined {
  return npmTarballAsset(record.assets);
}

/** Retention in the repository asked is a copy for later; its refusal must not fail the download. */
async function quietly(context: NpmReadContext, retention: Promise<VersionRecord>): Promise<void> {
  try {
    await retention;
  } catch (error) {
    if (!(error instanceof AccessDeniedError)) throw error;
    context.deps.log(`note: ${error.message}`);
  }
}
