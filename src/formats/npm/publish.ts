/**
 * `npm publish` (also pnpm's and Yarn's): PUT /{pkg} with the manifest and the tarball as a
 * base64 attachment. Every check runs before a byte is stored, so a refused publish leaves
 * blobs/ and the index as they were.
 */
import { createHash } from 'node:crypto';
import semver from 'semver';
import { assetRecord } from '../../core/assets.js';
import { NPM_ASSET_NAME } from './tarball-asset.js';
import { AccessDeniedError, ConflictError, ValidationError } from '../../errors.js';
import { withBlobLease } from '../../operations/blob-lease.js';
import { checkGroupAllowsEntry } from '../../operations/package-groups-enforcement.js';
import { checkDependencyCount, checkPublishAllowed, publishPackageVersion } from '../../operations/publish.js';
import { sendJson } from '../../server/respond.js';
import type { RequestContext } from '../../server/route.js';
import { checkTagCount, checkTagName } from './dist-tag-rules.js';
import { keptManifest } from './kept-manifest.js';
import { manifestFields } from './manifest-record.js';
import { checkNewPackageName, checkPublishedName, type NpmPackageName } from './package-name.js';
import { loadSources, ownKey, ownRecordOf } from './package-sources.js';
import { recordDistTags } from './package-view.js';
import { readTarballContents } from './tarball-contents.js';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
// Kept on every version (the packument shows the latest's): a long README, not a book.
const MAX_README_CHARS = 64 * 1024;
/** Fields of the stored manifest that the registry computes itself or keeps elsewhere. */
const DROPPED_MANIFEST_FIELDS = ['readme', 'readmeFilename', 'dist', '_id', '_rev', '_attachments', '_resolved', '_integrity', '_from'];

export function hasAttachments(body: Record<string, unknown>): boolean {
  const attachments = body._attachments;
  return Boolean(attachments && typeof attachments === 'object' && Object.keys(attachments).length > 0);
}

export async function publishFromBody(context: RequestContext, name: NpmPackageName, body: Record<string, unknown>): Promise<void> {
  checkPublishedName(name);
  if (body.name !== name.fullName || (body._id !== undefined && body._id !== name.fullName)) {
    throw new ValidationError(`The package name in the body (${JSON.stringify(body.name)}) does not match ${name.fullName} in the URL.`);
  }
  const { version, manifest: bodyManifest } = onlyVersion(body, name);
  const tarball = decodeAttachment(body._attachments as Record<string, unknown>);
  const digests = { sha512: createHash('sha512').update(tarball).digest(), sha1: createHash('sha1').update(tarball).digest('hex') };
  checkClientDigests(bodyManifest.dist, digests);

  const contents = await readTarballContents(tarball);
  if (
    contents.manifest.name !== name.fullName ||
    semver.clean(typeof contents.manifest.version === 'string' ? contents.manifest.version : '', true) !== version
  ) {
    throw new ValidationError(
      `The package.json inside the tarball is ${JSON.stringify(contents.manifest.name)}@${JSON.stringify(contents.manifest.version)}, not ${name.fullName}@${version}.`,
    );
  }

  const key = ownKey(context, name);
  const sources = await loadSources(context, name);
  if (!sources.some((source) => Object.keys(source.record.versions).length > 0)) checkNewPackageName(name);
  checkPublishAllowed(key, ownRecordOf(context, sources));
  await checkGroupAllowsEntry(context.deps.store, key, 'PUBLISH');
  const fields = manifestFields(contents.manifest);
  checkDependencyCount(key, version, fields.dependencies?.length ?? 0);
  const formatMetadata = storedManifest(contents, bodyManifest, context.identity?.principal);
  const holder = sources.find((source) => Object.hasOwn(source.record.versions, version));
  if (holder) throw versionExists(name, version, holder.repository);

  const tags = requestedTags(body, version);
  checkTagCount({ ...recordDistTags(ownRecordOf(context, sources)?.formatMetadata), ...tags });
  // The lease keeps gc off the new blob until the index that references it is written.
  await withBlobLease(context.deps.store, async () => {
    const stored = await context.deps.store.blobs.put(tarball, {
      sha512: digests.sha512.toString('hex'),
      sha1: digests.sha1,
      size: tarball.length,
      maxBytes: context.deps.config.server.maxUploadBytes,
    });
    const now = new Date();
    try {
      await publishPackageVersion(
        context.deps.store,
        key,
        {
          version,
          assets: [assetRecord(NPM_ASSET_NAME, stored)],
          ...fields,
          readme: readmeOf(body, bodyManifest, contents.readme),
          formatMetadata,
        },
        {
          now,
          updatePackageMetadata: (current) => {
            const merged = { ...recordDistTags(current), ...tags };
            checkTagCount(merged);
            return { ...current, 'dist-tags': merged, modified: now.toISOString() };
          },
        },
      );
    } catch (error) {
      // Another publish of the same version won the race; answer as for any existing version.
      if (error instanceof ConflictError && error.resourceType === 'package-version') throw versionExists(name, version, context.repository.name);
      throw error;
    }
  });
  sendJson(context.req, context.res, 201, { ok: true, id: name.fullName });
}

/** A publish carries exactly one new version; more would create versions without their bytes. */
function onlyVersion(body: Record<string, unknown>, name: NpmPackageName): { version: string; manifest: Record<string, unknown> } {
  const versions = body.versions;
  const keys = versions && typeof versions === 'object' && !Array.isArray(versions) ? Object.keys(versions) : [];
  if (keys.length !== 1) throw new ValidationError(`A publish must carry exactly one version; this one has ${keys.length}.`);
  const version = keys[0];
  if (semver.valid(version) !== version) throw new ValidationError(`${JSON.stringify(version)} is not a valid semver version.`);
  const manifest = (versions as Record<string, unknown>)[version];
  if (!manifest || typeof manifest !== 'object' || Array.isArray(manifest))
    throw new ValidationError(`versions[${JSON.stringify(version)}] must be an object.`);
  const fields = manifest as Record<string, unknown>;
  if (fields.name !== name.fullName || fields.version !== version) {
    throw new ValidationError(
      `versions[${JSON.stringify(version)}] names ${JSON.stringify(fields.name)}@${JSON.stringify(fields.version)}, not ${name.fullName}@${version}.`,
    );
  }
  return { version, manifest: fields };
}

function decodeAttachment(attachments: Record<string, unknown>): Buffer {
  const entries = Object.values(attachments);
  if (entries.length !== 1) throw new ValidationError(`A publish must carry exactly one tarball attachment; this one has ${entries.length}.`);
  const attachment = entries[0] as Record<string, unknown> | null;
  const data = attachment && typeof attachment === 'object' ? attachment.data : undefined;
  if (typeof data !== 'string' || data.length === 0 || !BASE64.test(data)) throw new ValidationError('The tarball attachment must have base64 `data`.');
  const bytes = Buffer.from(data, 'base64');
  const length = attachment?.length;
  if (length !== undefined && length !== bytes.length) {
    throw new ValidationError(`The tarball attachment is ${bytes.length} bytes but its \`length\` says ${JSON.stringify(length)}.`);
  }
  return bytes;
}

/** The client's dist.integrity (SRI, may list several) and dist.shasum must describe these bytes. */
function checkClientDigests(dist: unknown, actual: { sha512: Buffer; sha1: string }): void {
  if (!dist || typeof dist !== 'object') return;
  const { integrity, shasum } = dist as Record<string, unknown>;
  if (typeof integrity === 'string') {
    const claimed = integrity
      .split(/\s+/)
      .map((token) => /^sha512-([A-Za-z0-9+/=]+)(?:\?.*)?$/.exec(token)?.[1])
      .filter((value): value is string => value !== undefined);
    if (claimed.length && !claimed.includes(actual.sha512.toString('base64'))) {
      throw new ValidationError('The tarball does not match dist.integrity (sha512) sent with it: it was changed or cut off on the way.');
    }
  }
  if (typeof shasum === 'string' && shasum.toLowerCase() !== actual.sha1) {
    throw new ValidationError('The tarball does not match dist.shasum (sha1) sent with it: it was changed or cut off on the way.');
  }
}

/** Tags the client asked for that point at the new version; `latest` when it named none. */
function requestedTags(body: Record<string, unknown>, version: string): Record<string, string> {
  const asked = body['dist-tags'];
  const tags: Record<string, string> = {};
  if (asked && typeof asked === 'object') {
    for (const [tag, target] of Object.entries(asked)) {
      if (target !== version) continue;
      checkTagName(tag);
      tags[tag] = version;
    }
  }
  if (Object.keys(tags).length === 0) tags.latest = version;
  checkTagCount(tags);
  return tags;
}

function readmeOf(body: Record<string, unknown>, bodyManifest: Record<string, unknown>, fromTarball: string | undefined): string | undefined {
  const candidates = [body.readme, bodyManifest.readme, fromTarball];
  const readme = candidates.find((value): value is string => typeof value === 'string' && value.trim() !== '' && value !== 'ERROR: No README data found!');
  return readme?.slice(0, MAX_README_CHARS);
}

/**
 * The manifest kept for rendering: what clients read of the tarball's package.json
 * (kept-manifest.ts), plus what npm itself adds. Throws ValidationError for an install field
 * too large to keep.
 */
function storedManifest(
  contents: Awaited<ReturnType<typeof readTarballContents>>,
  bodyManifest: Record<string, unknown>,
  principal: string | undefined,
): Record<string, unknown> {
  const manifest: Record<string, unknown> = { ...contents.manifest };
  for (const field of DROPPED_MANIFEST_FIELDS) delete manifest[field];
  const scripts = manifest.scripts as Record<string, unknown> | undefined;
  // Computed here from the scripts, never taken from the package.json as written.
  delete manifest.hasInstallScript;
  if (scripts && typeof scripts === 'object' && ['preinstall', 'install', 'postinstall'].some((hook) => typeof scripts[hook] === 'string')) {
    manifest.hasInstallScript = true;
  }
  for (const field of ['_nodeVersion', '_npmVersion'] as const) if (typeof bodyManifest[field] === 'string') manifest[field] = bodyManifest[field];
  // npm view prints "<email>" after the name; an empty one keeps it from printing "<undefined>".
  if (principal) manifest._npmUser = { name: principal, email: '' };
  if (contents.hasShrinkwrap) manifest._hasShrinkwrap = true;
  // Counted from the tarball itself; rendering adds the URL and digests of the stored bytes.
  manifest.dist = { fileCount: contents.fileCount, unpackedSize: contents.unpackedSize };
  return keptManifest(manifest);
}

// The public registry answers 403 here. npm and pnpm show the `error` text as is; a 409 would
// send libnpmpublish into its merge-and-retry path, which can only fail again.
function versionExists(name: NpmPackageName, version: string, repository: string): AccessDeniedError {
  return new AccessDeniedError(`You cannot publish over the previously published version ${name.fullName}@${version} (it is in repository ${repository}).`, {
    hint: 'Bump the version in package.json and publish again; published versions never change.',
    resourceType: 'package-version',
    resourceId: `${name.fullName}@${version}`,
  });
}
