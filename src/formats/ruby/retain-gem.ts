/**
 * Keeping a gem served from elsewhere, as CodeArtifact does: a file from an upstream repository
 * is retained in the repository asked; one from the public registry is first fetched (checked
 * against the checksum its compact index announced) and retained in the repository holding the
 * connection and in the one asked. Another platform's file joins the version already kept.
 */
import { assetRecord } from '../../core/assets.js';
import type { AssetRecord, PackageKey, VersionRecord } from '../../core/model.js';
import { ValidationError } from '../../errors.js';
import { addAssetsToVersion } from '../../operations/add-version-assets.js';
import { withSharedBlobLease } from '../../operations/blob-lease.js';
import { bothRetained, retainVersion } from '../../operations/ingest.js';
import type { RequestContext } from '../../server/route.js';
import { existingSmallBlobCacheOf } from '../../store/small-blob-cache.js';
import type { Store } from '../../store/store.js';
import { fetchAssetChecked } from '../../upstream/fetch-asset.js';
import { externalGemUrl, type ExternalGem, type ExternalGemIndex } from './external-index.js';
import { readVouchedGemSpec } from './gem-file.js';
import type { GemSpec } from './gem-spec.js';
import { gemKey } from './gem-sources.js';
import type { StoredGemSource } from './gem-view.js';
import { factsFromSpec, versionFromSpec, withGemFacts, type StoredGemFacts } from './version-record.js';

export async function retainUpstreamGem(context: RequestContext, name: string, found: StoredGemSource): Promise<void> {
  await keepGem(context.deps.store, gemKey(context, name), found.record, found.asset, found.facts);
}

/** Fetches a gem of the public registry into the blob store and retains it; returns its facts. */
export async function fetchExternalGem(
  context: RequestContext,
  name: string,
  external: ExternalGemIndex,
  gem: ExternalGem,
): Promise<{ sha256: string; facts: StoredGemFacts }> {
  const { store, config, log } = context.deps;
  return withSharedBlobLease(store, async () => {
    const download = fetchAssetChecked(store, config, external.source, externalGemUrl(external.source, gem.fileName), { sha256: gem.sha256 });
    try {
      const { digests, bytes } = await download.checked;
      const now = new Date().toISOString();
      // A small gem is read from memory while it is flushed (or from the store's memory when
      // another request stored it: small-blob-cache.ts); a larger one once it is in place.
      const inMemory = bytes ?? existingSmallBlobCacheOf(store.blobs)?.get(digests.sha256);
      if (!inMemory) await download.durable;
      let spec: GemSpec;
      try {
        spec = await readVouchedGemSpec(inMemory ?? store.blobs.pathOf(digests.sha256));
        if (spec.name !== name || spec.version !== gem.version || spec.platform !== gem.platform)
          throw new ValidationError(`it names itself ${spec.name} ${spec.version} ${spec.platform}`);
      } catch (error) {
        // The registry vouched for these bytes; what its index says stands in for what we cannot read.
        if (!(error instanceof ValidationError)) throw error;
        log(`warning: could not read the gemspec of ${gem.fileName} from the public registry: ${error.message}`);
        spec = specFromIndex(name, gem);
      }
      const asset = assetRecord(gem.fileName, digests);
      const version: VersionRecord = {
        ...versionFromSpec(spec, [asset], now),
        status: 'Published',
        revision: '',
        publishedTime: now,
        origin: { domainEntryPoint: { externalConnectionName: external.source.connectionName }, originType: 'EXTERNAL' },
      };
      const facts = factsFromSpec(spec, now);
      const connectionRepository = external.source.repository.name;
      // The indexes are written and flushed while the gem is, and renamed in place once the gem
      // is durable (the asked repository's once the holder's is).
      const inHolder = keepGem(store, gemKey(context, name, connectionRepository), version, asset, facts, download.durable);
      const inAsked =
        connectionRepository === context.repository.name
          ? inHolder
          : keepGem(store, gemKey(context, name), version, asset, facts, Promise.all([download.durable, inHolder]));
      await bothRetained(inHolder, inAsked);
      await download.durable;
      return { sha256: digests.sha256, facts };
    } finally {
      // Whatever failed, the blob's write is over before the lease may go.
      await download.durable.catch(() => undefined);
    }
  });
}

function specFromIndex(name: string, gem: ExternalGem): GemSpec {
  return {
    name,
    version: gem.version,
    platform: gem.platform,
    dependencies: gem.dependencies.map((dependency) => ({ ...dependency, type: 'runtime' as const })),
    requiredRuby: gem.ruby,
    requiredRubygems: gem.rubygems,
    licenses: [],
    authors: [],
    email: [],
    metadata: {},
    specificationVersion: 4,
  };
}

/** `durable`: the gem's blob is still being written; the index names it only once it is durable. */
async function keepGem(
  store: Store,
  key: PackageKey,
  version: VersionRecord,
  asset: AssetRecord,
  facts: StoredGemFacts,
  durable?: Promise<unknown>,
): Promise<void> {
  // Its failure surfaces where it is awaited below, or not at all when the gem is already there.
  durable?.catch(() => undefined);
  const stored = await store.index.getPackage(key);
  if (!stored || !Object.hasOwn(stored.versions, version.version)) {
    const kept = await retainVersion(
      store,
      key,
      { ...version, assets: [asset], formatMetadata: withGemFacts(undefined, asset.name, facts) },
      undefined,
      durable,
    );
    if (kept.assets.some((candidate) => candidate.name === asset.name)) return;
  }
  await addAssetsToVersion(
    store,
    key,
    { version: version.version, assets: [asset], updateFormatMetadata: (current) => withGemFacts(current, asset.name, facts) },
    { mode: 'retain', durable },
  );
}
