/**
 * The per-package URLs: packuments, single versions, tarballs, publish and the writes that
 * send the packument back (deprecate, unpublish).
 */
import { ResourceNotFoundError, ValidationError } from '../../errors.js';
import { refusalAsNotFound } from '../../operations/retention-refusal.js';
import { withJsonBody } from '../../server/body.js';
import { streamingMisses } from '../../server/live-download.js';
import { RenderedBody, sendBlob, sendJson, sendRendered } from '../../server/respond.js';
import type { RequestContext, Route } from '../../server/route.js';
import { applyDocument, removePackage, removeTarball, revisionOf } from './document-update.js';
import { PACKAGE_PATH_PATTERN, parsePackagePath, versionFromTarballName, type NpmPackageName } from './package-name.js';
import { notFound, ownRecordOf, requireReadableSources, requireSources } from './package-sources.js';
import { downloadSources, materializeTarball, storedSources, type NpmReadContext } from './external-packages.js';
import { buildPackageView, findDownloadableVersion } from './package-view.js';
import { renderCachedPackument } from './packument-cache.js';
import { ABBREVIATED_CONTENT_TYPE, fullVersion, renderPackument } from './packument.js';
import { hasAttachments, publishFromBody } from './publish.js';

const PACKAGE = new RegExp(`^${PACKAGE_PATH_PATTERN}$`);
const PACKAGE_REV = new RegExp(`^${PACKAGE_PATH_PATTERN}/-rev/([^/]+)$`);
const TARBALL = new RegExp(`^${PACKAGE_PATH_PATTERN}/-/([^/]+)$`);
const TARBALL_REV = new RegExp(`^${PACKAGE_PATH_PATTERN}/-/([^/]+)/-rev/([^/]+)$`);
const PACKAGE_VERSION = new RegExp(`^${PACKAGE_PATH_PATTERN}/([^/-][^/]*)$`);
// Document writes without attachments are small; only publish bodies need the upload limit.
const MAX_DOCUMENT_BYTES = 64 * 1024 * 1024;

export function packageRoutes(): Route[] {
  return [
    { method: 'GET', path: TARBALL, access: 'read', handle: (context, match) => sendTarball(context, parsePackagePath(match[1]), decodePiece(match[2])) },
    { method: 'GET', path: PACKAGE, access: 'read', handle: (context, match) => sendPackument(context, parsePackagePath(match[1])) },
    {
      method: 'GET',
      path: PACKAGE_VERSION,
      access: 'read',
      handle: (context, match) => sendVersion(context, parsePackagePath(match[1]), decodePiece(match[2])),
    },
    { method: 'PUT', path: PACKAGE, access: 'write', handle: (context, match) => putPackage(context, parsePackagePath(match[1])) },
    {
      method: 'PUT',
      path: PACKAGE_REV,
      access: 'write',
      // npm unpublish of one version sends the packument back without it.
      action: 'codeartifact:DeletePackageVersions',
      handle: async (context, match) => {
        const name = parsePackagePath(match[1]);
        await withObjectBody(context, MAX_DOCUMENT_BYTES, (body) =>
          applyDocument(context, name, body, { rev: decodePiece(match[2]), removeMissingVersions: true, checked: 'codeartifact:DeletePackageVersions' }),
        );
      },
    },
    {
      method: 'DELETE',
      path: PACKAGE_REV,
      access: 'write',
      action: 'codeartifact:DeletePackageVersions',
      handle: (context, match) => removePackage(context, parsePackagePath(match[1]), decodePiece(match[2])),
    },
    {
      method: 'DELETE',
      path: TARBALL_REV,
      access: 'write',
      action: 'codeartifact:DeletePackageVersions',
      handle: (context, match) => removeTarball(context, parsePackagePath(match[1]), decodePiece(match[2]), decodePiece(match[3])),
    },
  ];
}

async function sendPackument(context: RequestContext, name: NpmPackageName): Promise<void> {
  // ?write=true precedes a write that echoes _rev back: always fresh, never cached, stored versions only.
  if (context.query.get('write') === 'true') {
    const sources = await requireSources(context, name);
    const document = renderPackument(name, buildPackageView(sources), {
      abbreviated: false,
      endpoint: context.endpoint,
      rev: revisionOf(ownRecordOf(context, sources)),
    });
    sendRendered(context.req, context.res, RenderedBody.json(document), { cacheControl: 'no-store' });
    return;
  }
  const sources = await requireReadableSources(context, name);
  const accept = context.req.headers.accept ?? '';
  // pnpm checks the Content-Type, so the abbreviated type is claimed only for the abbreviated body.
  const abbreviated = accept.includes(ABBREVIATED_CONTENT_TYPE);
  const rendered = await renderCachedPackument(name, sources, abbreviated, context.endpoint);
  context.reuse({ rendered }, name);
  sendRendered(context.req, context.res, rendered);
}

/** GET /{pkg}/{version-or-tag}: one version's manifest. */
async function sendVersion(context: RequestContext, name: NpmPackageName, versionOrTag: string): Promise<void> {
  const view = buildPackageView(await requireReadableSources(context, name));
  const version = Object.hasOwn(view.distTags, versionOrTag) ? view.distTags[versionOrTag] : versionOrTag;
  const entry = view.versions.get(version);
  if (!entry) throw notFound(context, name, versionOrTag);
  sendJson(context.req, context.res, 200, fullVersion(name, entry.record, context.endpoint), { 'cache-control': 'no-cache' });
}

async function sendTarball(context: RequestContext, name: NpmPackageName, fileName: string): Promise<void> {
  const version = versionFromTarballName(name, fileName);
  const reading: NpmReadContext = context;
  // A first download from the registry reaches the client as it arrives (live-download.ts).
  const outcome = await streamingMisses(context, { contentType: 'application/octet-stream' }, async () => {
    try {
      const sources = await downloadSources(reading, name, version);
      if (sources.length === 0) throw notFound(context, name);
      const found = findDownloadableVersion(sources, version);
      // The holder refusing the version meanwhile is the same 404 as a block set before (docs/formats/npm.md).
      const asset = found ? await materializeTarball(reading, name, found.source, found.record).catch(refusalAsNotFound) : undefined;
      const storedHere = found !== undefined && found.source.external === undefined && found.source.repository === context.repository.name;
      return { asset, storedHere };
    } finally {
      // Used by now, or not wanted: the registry named another URL, or the version is stored.
      reading.early?.release();
    }
  });
  if (outcome.streamed) return;
  const { asset, storedHere } = outcome.value;
  if (!asset) throw notFound(context, name, version);
  // No Content-Disposition: the URL already ends in the tarball's name, and installs download
  // the same tarballs over and over (every header costs on each answer).
  const blob = { sha256: asset.hashes['SHA-256'], contentType: 'application/octet-stream' };
  if (storedHere || (await answersAlikeNow(context, name, version, blob.sha256))) context.reuse({ blob }, name);
  await sendBlob(context.req, context.res, context.deps.store.blobs, blob);
}

/**
 * A first download through an upstream or the public registry has just stored the version in
 * this repository, so the answer came from what was there before. It may be remembered only as
 * an answer worked out from what is stored now: this works it out again (from this
 * repository's index alone, as every later request will) and says whether it is the same.
 * Then the installs that come next find it remembered, without a lookup of their own.
 */
async function answersAlikeNow(context: RequestContext, name: NpmPackageName, version: string, sha256: string | undefined): Promise<boolean> {
  context.beginAfresh();
  try {
    const again = findDownloadableVersion(await storedSources(context, name), version);
    if (!again || again.source.external !== undefined || again.source.repository !== context.repository.name) return false;
    return again.record.assets.some((candidate) => candidate.hashes['SHA-256'] === sha256);
  } catch {
    // The download itself succeeded; an index that cannot be read now only means no reuse.
    return false;
  }
}

/** PUT /{pkg}: a publish when it carries a tarball, otherwise a packument update (deprecate). */
async function putPackage(context: RequestContext, name: NpmPackageName): Promise<void> {
  // The body stays counted against the budget until it is stored: its tarball lives until then.
  await withObjectBody(context, context.deps.config.server.maxUploadBytes, async (body) => {
    if (hasAttachments(body)) await publishFromBody(context, name, body);
    else await applyDocument(context, name, body, { removeMissingVersions: false, checked: 'codeartifact:PublishPackageVersion' });
  });
}

function withObjectBody(context: RequestContext, maxBytes: number, use: (body: Record<string, unknown>) => Promise<void>): Promise<void> {
  return withJsonBody<unknown, void>(context.req, maxBytes, (body) => {
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new ValidationError('The request body must be a JSON object.');
    return use(body as Record<string, unknown>);
  });
}

function decodePiece(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new ResourceNotFoundError('Not found.');
  }
}
