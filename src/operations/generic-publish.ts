/**
 * publish-package-version for generic packages (docs/reference/generic.md): one asset per call, its
 * SHA-256 given by the caller and checked while the bytes stream into the blob store. A version
 * stays Unfinished while callers pass `unfinished`, and becomes Published with the first call
 * that does not; after that no asset can be added. Re-sending an asset with identical bytes
 * succeeds and changes nothing; the same name with other bytes is a Conflict.
 */
import type { Readable } from 'node:stream';
import { assetRecord } from '../core/assets.js';
import type { AssetRecord, PackageKey, PackageRecord, VersionRecord } from '../core/model.js';
import { validatePackagePart } from '../core/names.js';
import { withRevision } from '../core/revision.js';
import { ConflictError, QuotaExceededError, ValidationError } from '../errors.js';
import { normalizePackage } from '../formats/package-names.js';
import type { Store } from '../store/store.js';
import { withBlobLease } from './blob-lease.js';
import { checkGroupAllowsEntry } from './package-groups-enforcement.js';
import { checkPublishAllowed, emptyPackage, packageDisplayName, PUBLISHED_FIRST } from './publish.js';
import { requireRepository } from './repositories.js';
import { getEntry, setEntry } from './version-batch.js';

// docs/reference/names-and-limits.md: assets per package version.
const MAX_ASSETS_PER_VERSION = 150;
const SHA256_HEX = /^[0-9a-f]{64}$/;
// docs/reference/names-and-limits.md: Unicode letters and digits plus ~!@^&()-_+[]{};,. with single spaces between words.
const GENERIC_ASSET_WORD = '[\\p{L}\\p{N}~!@^&()\\-_+\\[\\]{};,.]+';
const GENERIC_ASSET_NAME = new RegExp(`^${GENERIC_ASSET_WORD}(?: ${GENERIC_ASSET_WORD})*$`, 'u');

export function validateGenericAssetName(name: string): string {
  if (name.length < 1 || name.length > 255) throw new ValidationError('A generic asset name must be 1 to 255 characters long.');
  if (name === '.' || name === '..' || !GENERIC_ASSET_NAME.test(name)) {
    throw new ValidationError(`Asset name ${JSON.stringify(name.slice(0, 80))} is not valid for a generic package.`, {
      hint: 'Use letters, digits and ~!@^&()-_+[]{};,. with single spaces between words; "." and ".." are not allowed.',
    });
  }
  return name;
}

export interface GenericPublishInput {
  domain: string;
  repository: string;
  namespace: string;
  package: string;
  version: string;
  assetName: string;
  /** Lowercase hex SHA-256 of the content, computed by the caller. */
  assetSha256: string;
  content: Readable | Buffer;
  unfinished?: boolean;
  maxBytes?: number;
}

export async function publishGenericAsset(store: Store, input: GenericPublishInput) {
  const { namespace, name } = normalizePackage('generic', input.namespace, input.package);
  const key: PackageKey = { domain: input.domain, repository: input.repository, format: 'generic', namespace, name };
  validatePackagePart('version', input.version);
  validateGenericAssetName(input.assetName);
  if (!SHA256_HEX.test(input.assetSha256)) {
    throw new ValidationError('--asset-sha256 must be the 64-character lowercase hex SHA-256 of the content.');
  }
  await requireRepository(store, input.domain, input.repository);
  // Refuse what is sure to fail before reading the bytes; the locked write checks again.
  decide(key, await store.index.getPackage(key), input, undefined);
  await checkGroupAllowsEntry(store, key, 'PUBLISH');

  return withBlobLease(store, async () => {
    const digests = await store.blobs.put(input.content, { sha256: input.assetSha256, maxBytes: input.maxBytes });
    const asset = assetRecord(input.assetName, digests);
    let stored: { version: VersionRecord; asset: AssetRecord } | undefined;
    await store.index.updatePackage(key, (current) => {
      const outcome = decide(key, current, input, asset);
      stored = outcome.stored;
      return outcome.next;
    });
    const { version, asset: storedAsset } = stored as { version: VersionRecord; asset: AssetRecord };
    return {
      format: 'generic' as const,
      namespace,
      package: name,
      version: version.version,
      versionRevision: version.revision,
      status: version.status,
      asset: storedAsset,
    };
  });
}

/**
 * The rules above, applied to the package as it is. Without an asset (before the upload) it
 * only throws for requests that cannot succeed whatever the bytes are.
 */
function decide(key: PackageKey, current: PackageRecord | undefined, input: GenericPublishInput, asset: AssetRecord | undefined) {
  checkPublishAllowed(key, current);
  const label = `${packageDisplayName(key)} version ${input.version}`;
  const existing = current ? getEntry(current.versions, input.version) : undefined;
  const sameName = existing?.assets.find((candidate) => candidate.name === input.assetName);
  if (sameName && sameName.hashes['SHA-256'] !== input.assetSha256) {
    throw new ConflictError(`${label} already has an asset ${input.assetName} with different content.`, {
      resourceType: 'asset',
      resourceId: input.assetName,
      hint: 'Assets never change; publish the new content under another asset name or version.',
    });
  }
  if (existing && existing.status !== 'Unfinished' && !sameName) {
    throw new ConflictError(`${label} is ${existing.status}; assets can be added only while a version is Unfinished.`, {
      resourceType: 'package-version',
      resourceId: `${packageDisplayName(key)}@${input.version}`,
      hint: 'Publish a new version, and pass --unfinished on every call but the last.',
    });
  }
  if (existing && !sameName && existing.assets.length >= MAX_ASSETS_PER_VERSION) {
    throw new QuotaExceededError(`${label} already has the maximum of ${MAX_ASSETS_PER_VERSION} assets.`, { resourceType: 'asset' });
  }
  if (!asset) return { next: current, stored: undefined };

  const status = input.unfinished ? 'Unfinished' : 'Published';
  // Identical bytes again: nothing to add, and a finished version stays as it is.
  if (existing && sameName && (existing.status !== 'Unfinished' || status === 'Unfinished')) {
    return { next: current, stored: { version: existing, asset: sameName } };
  }
  const next = current ? structuredClone(current) : emptyPackage(key, PUBLISHED_FIRST);
  const now = new Date().toISOString();
  const version = withRevision({
    version: input.version,
    status,
    publishedTime: existing && status === 'Unfinished' ? existing.publishedTime : now,
    origin: { domainEntryPoint: { repositoryName: key.repository }, originType: 'INTERNAL' },
    assets: existing ? (sameName ? existing.assets : [...existing.assets, asset]) : [asset],
  });
  setEntry(next.versions, input.version, version);
  return { next, stored: { version, asset: sameName ?? asset } };
}
