/**
 * POST /api/v1/gems: `gem push` sends the raw .gem with the key in Authorization. The body is
 * staged to a file (capped at server.maxUploadBytes) and the gem read from there in full
 * (gem-file.ts) before anything is stored, so a refused push leaves nothing behind.
 * The first file of a version publishes it; another platform's file joins it; the same file
 * again with identical bytes succeeds without change, with other bytes it is refused (409).
 */
import type { IncomingMessage } from 'node:http';
import { createReadStream } from 'node:fs';
import { assetRecord } from '../../core/assets.js';
import type { PackageKey, PackageRecord } from '../../core/model.js';
import { ConflictError, PayloadTooLargeError } from '../../errors.js';
import { addAssetsToVersion, checkVersionTakesAssets } from '../../operations/add-version-assets.js';
import { withBlobLease } from '../../operations/blob-lease.js';
import { checkGroupAllowsEntry } from '../../operations/package-groups-enforcement.js';
import { checkDependencyCount, checkPublishAllowed, publishPackageVersion } from '../../operations/publish.js';
import type { RequestContext } from '../../server/route.js';
import { refuseDeclaredOver } from '../../server/body.js';
import { stageRequestBody, type StagedBody } from '../../server/staged-body.js';
import { sendWriteError, sendWriteOk } from './error-response.js';
import { readGemFile } from './gem-file.js';
import { versionAndPlatform } from './gem-names.js';
import type { GemSpec } from './gem-spec.js';
import { gemKey } from './gem-sources.js';
import { isSameGemVersion } from './gem-version-order.js';
import { factsFromSpec, specFileName, versionFromSpec, withGemFacts } from './version-record.js';

export async function handlePush(context: RequestContext): Promise<void> {
  try {
    const { spec, outcome } = await receiveGem(context);
    const label = `${spec.name} (${versionAndPlatform(spec.version, spec.platform)})`;
    sendWriteOk(context, outcome === 'unchanged' ? `Gem ${label} was already pushed with these bytes.` : `Successfully registered gem: ${label}`);
  } catch (error) {
    sendWriteError(context, error);
  }
}

/** Stages, reads and stores the gem; the staged file is gone before the client hears back. */
async function receiveGem(context: RequestContext): Promise<{ spec: GemSpec; outcome: 'published' | 'added' | 'unchanged' }> {
  const { store, config } = context.deps;
  const maxBytes = config.server.maxUploadBytes;
  const staged = await stageRequestBody(context.req, store.root, 'gem-push', maxBytes, () => tooLarge(maxBytes));
  try {
    const spec = await readGemFile(staged.file);
    return { spec, outcome: await storeGem(context, spec, staged) };
  } finally {
    await staged.discard();
  }
}

/** `gem push` prints this body as it is. */
/** The push's 413 for a declared length over `maxBytes`, as staging the gem would refuse it. */
export function refuseOversizeGem(req: IncomingMessage, maxBytes: number): void {
  refuseDeclaredOver(req, maxBytes, () => tooLarge(maxBytes));
}

function tooLarge(maxBytes: number): PayloadTooLargeError {
  return new PayloadTooLargeError(`The gem is larger than this server's limit of ${maxBytes} bytes; nothing was stored.`, {
    hint: 'Raise server.maxUploadBytes in the artifact-cli config file if gems this large are expected.',
  });
}

async function storeGem(context: RequestContext, spec: GemSpec, staged: StagedBody): Promise<'published' | 'added' | 'unchanged'> {
  const { sha256 } = staged;
  const { store } = context.deps;
  const key: PackageKey = gemKey(context, spec.name);
  const fileName = specFileName(spec);
  const record = await store.index.getPackage(key);
  checkPublishAllowed(key, record);
  checkDependencyCount(key, spec.version, spec.dependencies.length);
  const existing = record && Object.hasOwn(record.versions, spec.version) ? record.versions[spec.version] : undefined;
  if (existing) checkVersionTakesAssets(key, existing);
  else if (record) checkNoOtherSpelling(key, record, spec);
  const sameName = existing?.assets.find((asset) => asset.name === fileName);
  if (sameName?.hashes['SHA-256'] === sha256) return 'unchanged';
  if (sameName) throw repushed(key, fileName);
  // The package group's publish rule too, before any bytes reach the blob store.
  await checkGroupAllowsEntry(store, key, 'PUBLISH');
  const now = new Date().toISOString();
  return withBlobLease(store, async () => {
    const asset = assetRecord(fileName, await store.blobs.put(createReadStream(staged.file), { sha256 }));
    if (!existing) {
      try {
        await publishPackageVersion(store, key, versionFromSpec(spec, [asset], now));
        return 'published';
      } catch (error) {
        // Another push created this version a moment ago (two platforms in parallel).
        if (!(error instanceof ConflictError)) throw error;
      }
    }
    const result = await addAssetsToVersion(
      store,
      key,
      { version: spec.version, assets: [asset], updateFormatMetadata: (current) => withGemFacts(current, fileName, factsFromSpec(spec, now)) },
      { mode: 'publish' },
    );
    if (!result.added.length && result.version.assets.find((candidate) => candidate.name === fileName)?.hashes['SHA-256'] !== sha256)
      throw repushed(key, fileName);
    return result.added.length ? 'added' : 'unchanged';
  });
}

/**
 * RubyGems and Bundler take `1.0` and `1.0.0` (or `01.0`) for one version, and each client
 * would pick another of the files: the second spelling for a platform is refused, as the public
 * registry does (its "canonical number" rule).
 */
function checkNoOtherSpelling(key: PackageKey, record: PackageRecord, spec: GemSpec): void {
  const other = Object.values(record.versions).find(
    (stored) =>
      isSameGemVersion(stored.version, spec.version) && stored.assets.some((asset) => asset.name === specFileName({ ...spec, version: stored.version })),
  )?.version;
  if (other === undefined) return;
  throw new ConflictError(`Version ${spec.version} of ${key.name} is the same version to RubyGems as ${other}, already in repository ${key.repository}.`, {
    hint: 'Push a new version number.',
    resourceType: 'package-version',
    resourceId: `${key.name}@${other}`,
  });
}

function repushed(key: PackageKey, fileName: string): ConflictError {
  return new ConflictError(`Repushing of gem versions is not allowed: ${fileName} already exists in repository ${key.repository} with other bytes.`, {
    hint: 'Push a new version number.',
    resourceType: 'package-version',
    resourceId: fileName,
  });
}
