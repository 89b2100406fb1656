/**
 * The read side of the registry: the releases list, one release's metadata, its manifests and
 * its source archive, with the Link, Digest and Content-Disposition headers SwiftPM reads.
 */
import { retainVersion } from '../../operations/ingest.js';
import { refusalAsNotFound } from '../../operations/retention-refusal.js';
import { sendBlob } from '../../server/respond.js';
import type { RequestContext } from '../../server/route.js';
import { ValidationError } from '../../errors.js';
import { compareVersionsDescending, identifierOf, isSemVer, pathVersion, swiftPackage, type SwiftPackage } from './identity.js';
import { checkAccept, checkContentVersion, CONTENT_TYPES } from './media-types.js';
import {
  archiveFileName,
  assetNamed,
  goneDetail,
  loadReleases,
  packageNotFound,
  servedRelease,
  swiftMetadataOf,
  type PackageReleases,
  type Release,
} from './releases.js';
import { link, releaseUrl, sendEmpty, sendRegistryJson, setContentVersion } from './responses.js';

const SWIFT_VERSION = /^\d+(?:\.\d+){0,2}$/;
// Repository URLs come from the publisher; only those that fit in a Link header as they are go
// there. SwiftPM splits the header at every comma and each entry at every semicolon.
const LINK_SAFE = /^[\x21-\x7e]+$/;

function isLinkSafe(url: string): boolean {
  return url.length <= 2000 && LINK_SAFE.test(url) && !/[<>",;]/.test(url);
}

/** The specification lets a client append `.json` to the list and release URLs. */
function withoutJsonSuffix(raw: string, isWhole: (text: string) => boolean): string {
  return raw.endsWith('.json') && !isWhole(raw) ? raw.slice(0, -'.json'.length) : raw;
}

export async function handleReleaseList(context: RequestContext, match: RegExpExecArray): Promise<void> {
  checkAccept(context.req, 'json');
  checkContentVersion(context.req);
  // A name never holds a dot, so `.json` on it is the suffix.
  const pkg = swiftPackage(
    context,
    match[1],
    withoutJsonSuffix(match[2], () => false),
  );
  const releases = await loadReleases(context, pkg);
  if (releases.all.size === 0) throw packageNotFound(pkg);
  const body: Record<string, { url: string; problem?: { status: number; title: string; detail: string } }> = {};
  // Newest first; releases that are gone carry the problem SwiftPM skips them by.
  const shown = [...releases.listed, ...releases.gone].sort(compareVersionsDescending);
  for (const version of shown) {
    const release = releases.all.get(version);
    const url = releaseUrl(context, pkg.scope, pkg.name, version);
    body[version] =
      releases.gone.includes(version) && release
        ? { url, problem: { status: 410, title: 'Gone', detail: goneDetail(`${identifierOf(pkg.scope, pkg.name)} ${version}`, release) } }
        : { url };
  }
  const links: string[] = [];
  const latest = releases.listed[0];
  const latestRelease = latest === undefined ? undefined : releases.all.get(latest);
  if (latest !== undefined && latestRelease) {
    const [canonical, ...alternates] = swiftMetadataOf(latestRelease.version).repositoryUrls.filter(isLinkSafe);
    if (canonical) links.push(link(canonical, 'canonical'), ...alternates.map((url) => link(url, 'alternate')));
    links.push(link(releaseUrl(context, pkg.scope, pkg.name, latest), 'latest-version'));
  }
  sendRegistryJson(context, { releases: body }, links.length ? { link: links.join(', ') } : {});
}

/** latest-version, successor-version and predecessor-version among the listed releases. */
function neighbourLinks(context: RequestContext, pkg: SwiftPackage, releases: PackageReleases, version: string): string[] {
  const links: string[] = [];
  const listed = releases.listed;
  if (listed.length) links.push(link(releaseUrl(context, pkg.scope, pkg.name, listed[0]), 'latest-version'));
  // Newest first: the successor is the last one newer than this, the predecessor the first older.
  const newer = listed.filter((other) => compareVersionsDescending(other, version) < 0);
  const older = listed.filter((other) => compareVersionsDescending(other, version) > 0);
  if (newer.length) links.push(link(releaseUrl(context, pkg.scope, pkg.name, newer[newer.length - 1]), 'successor-version'));
  if (older.length) links.push(link(releaseUrl(context, pkg.scope, pkg.name, older[0]), 'predecessor-version'));
  return links;
}

export async function handleReleaseMetadata(context: RequestContext, match: RegExpExecArray): Promise<void> {
  checkAccept(context.req, 'json');
  checkContentVersion(context.req);
  const pkg = swiftPackage(context, match[1], match[2]);
  // `1.0.0+build.json` is a version with build metadata; `1.0.0.json` is 1.0.0 with the suffix.
  const version = pathVersion(withoutJsonSuffix(match[3], (text) => isSemVer(safeDecode(text))));
  const releases = await loadReleases(context, pkg);
  const release = servedRelease(releases, pkg, version);
  const meta = swiftMetadataOf(release.version);
  const archive = assetNamed(release, meta.archiveAsset);
  const resources = archive
    ? [{ name: 'source-archive', type: CONTENT_TYPES.zip, checksum: archive.hashes['SHA-256'], ...(meta.signing ? { signing: meta.signing } : {}) }]
    : [];
  const body = {
    id: identifierOf(meta.scope, meta.name),
    version,
    resources,
    metadata: meta.metadata,
    publishedAt: withoutFractionalSeconds(release.version.publishedTime),
  };
  const links = neighbourLinks(context, pkg, releases, version);
  sendRegistryJson(context, body, links.length ? { link: links.join(', ') } : {});
}

/**
 * SwiftPM decodes dates with Foundation's plain ISO 8601 strategy, which rejects fractional
 * seconds (and with them the whole document), so they are left out.
 */
function withoutFractionalSeconds(time: string): string {
  return time.replace(/\.\d+(?=Z$)/, '');
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * The `swift-tools-version` of an alternate manifest link: SwiftPM refuses the whole manifest
 * answer when it is not at least MAJOR.MINOR, so `5` goes out as `5.0`; a manifest without a
 * tools-version line is described by its file name's Swift version.
 */
function linkToolsVersion(manifest: { swiftVersion?: string; toolsVersion?: string }): string {
  const version = manifest.toolsVersion ?? manifest.swiftVersion ?? '0';
  return version.includes('.') ? version : `${version}.0`;
}

/** Swift versions compare by their numbers: 5.9 and 5.9.0 are one. */
function sameSwiftVersion(a: string, b: string): boolean {
  const parts = (text: string) => text.split('.').map(Number);
  const [x, y] = [parts(a), parts(b)];
  return [0, 1, 2].every((index) => (x[index] ?? 0) === (y[index] ?? 0));
}

export async function handleManifest(context: RequestContext, match: RegExpExecArray): Promise<void> {
  checkAccept(context.req, 'swift');
  checkContentVersion(context.req);
  const pkg = swiftPackage(context, match[1], match[2]);
  const version = pathVersion(match[3]);
  const release = servedRelease(await loadReleases(context, pkg), pkg, version);
  const manifests = swiftMetadataOf(release.version).manifests;
  const manifestUrl = `${releaseUrl(context, pkg.scope, pkg.name, version)}/Package.swift`;
  const requested = context.query.get('swift-version');
  let chosen = manifests.find((manifest) => manifest.swiftVersion === undefined);
  if (requested !== null) {
    if (!SWIFT_VERSION.test(requested))
      throw new ValidationError(`swift-version ${JSON.stringify(requested.slice(0, 20))} is not a Swift version such as 5.9.`);
    chosen = manifests.find((manifest) => manifest.swiftVersion !== undefined && sameSwiftVersion(manifest.swiftVersion, requested));
    // No manifest for that Swift version: the specification sends the client to the unqualified one.
    if (!chosen) return sendEmpty(context, 303, { location: manifestUrl });
  }
  const asset = chosen ? assetNamed(release, chosen.fileName) : undefined;
  if (!chosen || !asset) throw packageNotFound(pkg);
  const alternates = manifests
    .filter((manifest) => manifest.swiftVersion !== undefined)
    .map((manifest) =>
      link(`${manifestUrl}?swift-version=${manifest.swiftVersion}`, 'alternate', {
        filename: manifest.fileName,
        'swift-tools-version': linkToolsVersion(manifest),
      }),
    );
  setContentVersion(context);
  if (requested === null && alternates.length) context.res.setHeader('link', alternates.join(', '));
  await sendBlob(context.req, context.res, context.deps.store.blobs, {
    sha256: asset.hashes['SHA-256'],
    contentType: CONTENT_TYPES.swift,
    fileName: chosen.fileName,
  });
}

export async function handleSourceArchive(context: RequestContext, match: RegExpExecArray): Promise<void> {
  checkAccept(context.req, 'zip');
  checkContentVersion(context.req);
  const pkg = swiftPackage(context, match[1], match[2]);
  const version = pathVersion(match[3]);
  const release = servedRelease(await loadReleases(context, pkg), pkg, version);
  const meta = swiftMetadataOf(release.version);
  const asset = assetNamed(release, meta.archiveAsset);
  if (!asset) throw packageNotFound(pkg);
  await retainFromUpstream(context, pkg, release);
  setContentVersion(context);
  context.res.setHeader('digest', `sha-256=${Buffer.from(asset.hashes['SHA-256'], 'hex').toString('base64')}`);
  if (meta.signing) {
    context.res.setHeader('x-swift-package-signature-format', meta.signing.signatureFormat);
    context.res.setHeader('x-swift-package-signature', meta.signing.signatureBase64Encoded);
  }
  await sendBlob(context.req, context.res, context.deps.store.blobs, {
    sha256: asset.hashes['SHA-256'],
    contentType: CONTENT_TYPES.zip,
    fileName: archiveFileName(meta.name, version),
  });
}

/**
 * A release downloaded through an upstream is kept in the repository asked, as CodeArtifact does.
 * A block that lands meanwhile is the same 404 as one set before (docs/formats/swift.md says why).
 */
async function retainFromUpstream(context: RequestContext, pkg: SwiftPackage, release: Release): Promise<void> {
  if (release.repository === context.repository.name || context.method === 'HEAD') return;
  await retainVersion(context.deps.store, pkg.key, release.version).catch(refusalAsNotFound);
}
