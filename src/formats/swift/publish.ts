/**
 * PUT /{scope}/{name}/{version}: `swift package-registry publish`. The body is staged and its
 * parts found, the source archive checked (source-archive.ts) and its manifests read, and only
 * then are the archive and manifests stored and the version published through the shared path
 * (origin controls, package groups, conflicts). The answer is 201 with the release's URL in
 * Location, or, for a large archive from a client that sends `Prefer: respond-async`, 202 with
 * a status URL (submissions.ts) while the work goes on. Publishing the same version again with
 * the same archive answers 201 again, with another archive 409. A refused publish stores nothing.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { assetRecord } from '../../core/assets.js';
import type { AssetRecord, PackageRecord } from '../../core/model.js';
import { ConflictError } from '../../errors.js';
import { withBlobLease } from '../../operations/blob-lease.js';
import { checkGroupAllowsEntry } from '../../operations/package-groups-enforcement.js';
import { checkPublishAllowed, publishPackageVersion } from '../../operations/publish.js';
import type { RequestContext } from '../../server/route.js';
import type { Store } from '../../store/store.js';
import { identifierOf, pathVersion, swiftPackage, type SwiftPackage } from './identity.js';
import { checkAccept, checkContentVersion } from './media-types.js';
import { parsePackageMetadata } from './package-metadata.js';
import { receivePublishBody, type PublishBody } from './publish-body.js';
import { archiveFileName, swiftMetadataOf, type SwiftVersionMetadata } from './releases.js';
import { releaseUrl, sendEmpty } from './responses.js';
import { checkSourceArchive } from './source-archive.js';
import { UnprocessableError } from './problem.js';
import { releaseKeyOf, runningSubmission, startSubmission } from './submissions.js';

// The signature formats SwiftPM knows (PackageSigning's SignatureFormat).
const SIGNATURE_FORMATS = ['cms-1.0.0'];
/** Archives larger than this are published asynchronously when the client prefers it. */
export const ASYNC_ABOVE_BYTES = 16 * 1024 * 1024;

export async function handlePublish(context: RequestContext, match: RegExpExecArray): Promise<void> {
  checkAccept(context.req, 'json');
  checkContentVersion(context.req);
  const pkg = swiftPackage(context, match[1], match[2]);
  const version = pathVersion(match[3]);
  const { store, config } = context.deps;
  // Origin controls and package groups first: a blocked publish need not wait for its upload,
  // and leaves no blob behind (publishPackageVersion checks both again under the lock).
  checkPublishAllowed(pkg.key, await store.index.getPackage(pkg.key));
  await checkGroupAllowsEntry(store, pkg.key, 'PUBLISH');
  const releaseKey = releaseKeyOf(pkg.key, version);
  checkNotRunning(context, pkg, version, releaseKey);
  const body = await receivePublishBody(context.req, store.root, config.server.maxUploadBytes);
  const location = releaseUrl(context, pkg.scope, pkg.name, version);
  if (body.archive.length > ASYNC_ABOVE_BYTES && prefersAsync(context)) {
    try {
      checkNotRunning(context, pkg, version, releaseKey);
    } catch (error) {
      await body.discard();
      throw error;
    }
    // The client said it can wait: checking and storing a large archive goes on behind a 202.
    const statusUrl = startSubmission(context, releaseKey, location, () => storeRelease(context, pkg, version, body).finally(() => body.discard()));
    return sendEmpty(context, 202, { location: statusUrl, 'retry-after': '1' });
  }
  try {
    await storeRelease(context, pkg, version, body);
    sendEmpty(context, 201, { location });
  } finally {
    await body.discard();
  }
}

/** A publish of a release whose asynchronous publish is still running is a 409 naming its status URL. */
function checkNotRunning(context: RequestContext, pkg: SwiftPackage, version: string, releaseKey: string): void {
  const statusUrl = runningSubmission(releaseKey);
  if (statusUrl === undefined) return;
  context.res.setHeader('location', statusUrl);
  throw new ConflictError(`A publish of ${identifierOf(pkg.scope, pkg.name)} ${version} is already being processed; its status is at ${statusUrl}.`, {
    resourceType: 'package-version',
    resourceId: `${identifierOf(pkg.scope, pkg.name)}@${version}`,
  });
}

/** `Prefer: respond-async` (RFC 7240), which SwiftPM's publish sends. */
function prefersAsync(context: RequestContext): boolean {
  const prefer = context.req.headers.prefer;
  return typeof prefer === 'string' && prefer.split(',').some((preference) => preference.trim().toLowerCase().startsWith('respond-async'));
}

/** Checks the parts and the archive, then stores and publishes the release; throws what the client should hear. */
async function storeRelease(context: RequestContext, pkg: SwiftPackage, version: string, body: PublishBody): Promise<void> {
  const { store } = context.deps;
  const signatureFormat = signatureFormatOf(context, body);
  const metadata = parsePackageMetadata(body.metadata);
  const archive = await checkSourceArchive(body.file, body.archive);
  // A version already here is settled before anything is stored: the same bytes again are
  // a retried publish, other bytes a conflict.
  if (await samePublishedArchive(store, pkg, version, () => archiveSha256(body))) return;
  await withBlobLease(store, async () => {
    const archiveDigests = await store.blobs.put(createReadStream(body.file, archiveRange(body)));
    const archiveAsset = assetRecord(archiveFileName(pkg.name, version), archiveDigests);
    const manifestAssets: AssetRecord[] = [];
    for (const manifest of archive.manifests) manifestAssets.push(assetRecord(manifest.fileName, await store.blobs.put(manifest.bytes)));
    const formatMetadata: SwiftVersionMetadata = {
      scope: pkg.scope,
      name: pkg.name,
      metadata: metadata.document,
      repositoryUrls: metadata.repositoryUrls,
      archiveAsset: archiveAsset.name,
      manifests: archive.manifests.map(({ fileName, swiftVersion, toolsVersion }) => ({
        fileName,
        ...(swiftVersion ? { swiftVersion } : {}),
        ...(toolsVersion ? { toolsVersion } : {}),
      })),
      ...signingOf(body, signatureFormat),
    };
    await publishPackageVersion(store, pkg.key, {
      version,
      assets: [archiveAsset, ...manifestAssets],
      summary: metadata.description,
      sourceCodeRepository: metadata.repositoryUrls[0],
      ...(metadata.licenseUrl ? { licenses: [{ url: metadata.licenseUrl }] } : {}),
      dependencies: [],
      formatMetadata: formatMetadata as unknown as Record<string, unknown>,
    }).catch(async (error: unknown) => {
      // A second publish of the same bytes racing this one is no conflict either.
      if (error instanceof ConflictError && (await samePublishedArchive(store, pkg, version, () => Promise.resolve(archiveDigests.sha256)))) return;
      throw error;
    });
  });
}

/**
 * True when this version is already published here with these exact archive bytes (a retried
 * publish); a ConflictError when it is published with other bytes.
 */
async function samePublishedArchive(store: Store, pkg: SwiftPackage, version: string, sha256Of: () => Promise<string>): Promise<boolean> {
  const record: PackageRecord | undefined = await store.index.getPackage(pkg.key);
  const existing = record?.versions[version];
  if (record && !existing) checkNoBuildVariant(record, pkg, version);
  if (!existing) return false;
  const stored = existing.formatMetadata ? existing.assets.find((asset) => asset.name === swiftMetadataOf(existing).archiveAsset) : undefined;
  // Hashed only when there is something to compare with.
  const same = stored !== undefined && stored.hashes['SHA-256'] === (await sha256Of());
  if (same && existing.status !== 'Disposed') return true;
  const why = same
    ? 'was disposed, and its version number cannot be used again'
    : 'already exists with a different source archive; published releases never change';
  throw new ConflictError(`${identifierOf(pkg.scope, pkg.name)} ${version} in repository ${pkg.key.repository} ${why}.`, {
    hint: 'Publish a new version number.',
    resourceType: 'package-version',
    resourceId: `${identifierOf(pkg.scope, pkg.name)}@${version}`,
  });
}

/**
 * SwiftPM compares versions ignoring build metadata (SemVer's rule), so `1.1.0+b` beside `1.1.0`
 * would be two archives for what it takes as one release: refused, as cargo's registry does.
 */
function checkNoBuildVariant(record: PackageRecord, pkg: SwiftPackage, version: string): void {
  const core = version.split('+')[0];
  const variant = Object.keys(record.versions).find((other) => other.split('+')[0] === core);
  if (variant === undefined) return;
  throw new ConflictError(
    `${identifierOf(pkg.scope, pkg.name)} ${variant} is already in repository ${pkg.key.repository}; ${version} differs from it only in build metadata, which SwiftPM ignores when it compares versions.`,
    {
      hint: 'Publish a new version number.',
      resourceType: 'package-version',
      resourceId: `${identifierOf(pkg.scope, pkg.name)}@${variant}`,
    },
  );
}

/** The signature format of a signed publish; 422 for the combinations the specification rules out. */
function signatureFormatOf(context: RequestContext, body: PublishBody): string | undefined {
  const header = context.req.headers['x-swift-package-signature-format'];
  const format = typeof header === 'string' ? header.trim() : undefined;
  if (body.metadataSignature && !body.metadata) throw new UnprocessableError('The publish has a metadata-signature part but no metadata part.');
  if (!body.archiveSignature && !body.metadataSignature) {
    if (format) throw new UnprocessableError('The X-Swift-Package-Signature-Format header names a signature format, but the publish has no signature part.');
    return undefined;
  }
  if (!format) throw new UnprocessableError('A signed publish must name its signature format in the X-Swift-Package-Signature-Format header (cms-1.0.0).');
  if (!SIGNATURE_FORMATS.includes(format)) {
    throw new UnprocessableError(
      `The signature format ${JSON.stringify(format.slice(0, 40))} is not supported; SwiftPM signs with ${SIGNATURE_FORMATS.join(', ')}.`,
    );
  }
  return format;
}

function signingOf(body: PublishBody, signatureFormat: string | undefined): Pick<SwiftVersionMetadata, 'signing' | 'metadataSigning'> {
  if (!signatureFormat) return {};
  return {
    ...(body.archiveSignature ? { signing: { signatureBase64Encoded: body.archiveSignature.toString('base64'), signatureFormat } } : {}),
    ...(body.metadataSignature ? { metadataSigning: { signatureBase64Encoded: body.metadataSignature.toString('base64'), signatureFormat } } : {}),
  };
}

/** The SHA-256 of the archive part, to compare with a release already published. */
async function archiveSha256(body: PublishBody): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(body.file, archiveRange(body)), hash);
  return hash.digest('hex');
}

function archiveRange(body: PublishBody): { start: number; end: number } {
  return { start: body.archive.start, end: body.archive.start + body.archive.length - 1 };
}
