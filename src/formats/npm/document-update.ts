/**
 * Writes that send the whole packument back: `npm deprecate` (PUT /{pkg}), the version half of
 * `npm unpublish pkg@v` (PUT /{pkg}/-rev/{rev}), and the deletes that follow. Only this
 * repository's record changes; versions are never created here, since they would have no bytes.
 * None of them removes the package record, which holds the origin controls: removing versions
 * leaves it (as delete-package-versions does), and only a caller who may DeletePackage removes
 * it, with `npm unpublish pkg` (docs/npm-writes.md).
 */
import { createHash } from 'node:crypto';
import type { PackageRecord } from '../../core/model.js';
import type { RepositoryAction } from '../../core/policy-actions.js';
import { withRevision } from '../../core/revision.js';
import { ConflictError, ResourceNotFoundError, ValidationError } from '../../errors.js';
import { sendJson } from '../../server/respond.js';
import type { RequestContext } from '../../server/route.js';
import { checkTagCount, checkTagName } from './dist-tag-rules.js';
import { versionFromTarballName, type NpmPackageName } from './package-name.js';
import { loadSources, ownKey, ownRecordOf } from './package-sources.js';
import { buildPackageView, recordDistTags, type DistTags } from './package-view.js';

/** An opaque `_rev` for this repository's record: clients only echo it back. */
export function revisionOf(record: PackageRecord | undefined): string {
  if (!record) return '0-0';
  const digest = createHash('sha256').update(JSON.stringify(record)).digest('hex').slice(0, 32);
  return `${Object.keys(record.versions).length}-${digest}`;
}

export interface DocumentUpdate {
  /** The `_rev` from the URL, checked against the current record when given. */
  rev?: string;
  /** Versions missing from the body are unpublished (PUT /-rev/ only). */
  removeMissingVersions: boolean;
  /** The action the route was let in for; whatever else the body does is checked here. */
  checked: RepositoryAction;
}

export async function applyDocument(context: RequestContext, name: NpmPackageName, body: Record<string, unknown>, update: DocumentUpdate): Promise<void> {
  if (body.name !== undefined && body.name !== name.fullName) {
    throw new ValidationError(`The package name in the body (${JSON.stringify(body.name)}) does not match ${name.fullName} in the URL.`);
  }
  const versions = body.versions;
  if (versions !== undefined && (!versions || typeof versions !== 'object' || Array.isArray(versions)))
    throw new ValidationError('`versions` must be an object.');
  if (update.removeMissingVersions && versions === undefined) throw new ValidationError('An unpublish must send the remaining `versions`.');
  const bodyVersions = (versions ?? {}) as Record<string, unknown>;
  const sources = await loadSources(context, name);
  const own = ownRecordOf(context, sources);
  // A version the registry has never seen can only come with its bytes: this is a publish
  // that lost its tarball, and saying so beats a 404 or a silently ignored version.
  const unknown = Object.keys(bodyVersions).filter((version) => !sources.some((source) => Object.hasOwn(source.record.versions, version)));
  if (unknown.length) {
    throw new ValidationError(
      `${name.fullName}@${unknown[0]} is new but the request carries no tarball in _attachments; versions are only created by a publish.`,
    );
  }
  if (!own) throw nothingHere(context, name);
  const before = buildPackageView(sources);

  await context.deps.store.index.updatePackage(ownKey(context, name), async (current) => {
    if (!current) throw nothingHere(context, name);
    checkRevision(current, update.rev);
    const next = structuredClone(current);
    const deprecated = applyDeprecations(next, bodyVersions);
    const removed = new Set<string>();
    if (update.removeMissingVersions) {
      // Only versions the client was shown can be missing on purpose: Unlisted ones never
      // appear in the packument, so their absence says nothing.
      for (const version of Object.keys(next.versions)) {
        if (before.versions.has(version) && !Object.hasOwn(bodyVersions, version)) {
          delete next.versions[version];
          removed.add(version);
        }
      }
    }
    const available = new Set([...before.versions.keys()].filter((version) => !removed.has(version)));
    const ownTags = recordDistTags(next.formatMetadata);
    const tags = applyTagChanges(ownTags, before.distTags, body['dist-tags'], available);
    checkTagCount(tags);
    // Moving or dropping a tag that pointed at a removed version is part of the removal (npm
    // unpublish sends exactly that); any other change is a publisher's, as is a deprecation.
    const retagged = Object.keys({ ...ownTags, ...tags }).some((tag) => ownTags[tag] !== tags[tag] && !removed.has(ownTags[tag] ?? before.distTags[tag]));
    const needed = new Set<RepositoryAction>();
    if (removed.size) needed.add('codeartifact:DeletePackageVersions');
    if (deprecated || retagged) needed.add('codeartifact:PublishPackageVersion');
    needed.delete(update.checked);
    for (const action of needed) await context.authorize(action);
    // The record stays even with no version left: it holds the origin controls.
    next.formatMetadata = { ...next.formatMetadata, 'dist-tags': tags, modified: new Date().toISOString() };
    return next;
  });
  sendJson(context.req, context.res, 200, { ok: true });
}

/**
 * DELETE /{pkg}/-rev/{rev}: `npm unpublish pkg` (and of a last version). The route lets in
 * callers who may DeletePackageVersions, and their unpublish removes every version here; the
 * record itself, with its origin controls, goes only for a caller who may also DeletePackage.
 */
export async function removePackage(context: RequestContext, name: NpmPackageName, rev: string): Promise<void> {
  let existed = false;
  const mayDeletePackage = await context.may('codeartifact:DeletePackage');
  await context.deps.store.index.updatePackage(ownKey(context, name), async (current) => {
    if (!current) return undefined;
    existed = true;
    checkRevision(current, rev);
    if (mayDeletePackage) return undefined;
    // Nothing to unpublish: what is asked is removing the record alone, which needs DeletePackage.
    if (Object.keys(current.versions).length === 0) await context.authorize('codeartifact:DeletePackage');
    return { ...current, versions: {}, formatMetadata: { ...current.formatMetadata, 'dist-tags': {}, modified: new Date().toISOString() } };
  });
  if (!existed) throw nothingHere(context, name);
  sendJson(context.req, context.res, 200, { ok: true });
}

/**
 * DELETE /{pkg}/-/{file}.tgz/-rev/{rev}: the last step of `npm unpublish pkg@v`, after the
 * PUT already dropped the version. The bytes stay in blobs/ (other versions or repositories
 * may share them) until `gc`; a version still listed here is removed now.
 */
export async function removeTarball(context: RequestContext, name: NpmPackageName, fileName: string, rev: string): Promise<void> {
  const version = versionFromTarballName(name, fileName);
  let existed = false;
  await context.deps.store.index.updatePackage(ownKey(context, name), (current) => {
    if (!current) return undefined;
    existed = true;
    checkRevision(current, rev);
    if (!Object.hasOwn(current.versions, version)) return current;
    const next = structuredClone(current);
    delete next.versions[version];
    // The record stays even with no version left: it holds the origin controls.
    const tags = recordDistTags(next.formatMetadata);
    for (const [tag, target] of Object.entries(tags)) if (target === version) delete tags[tag];
    next.formatMetadata = { ...next.formatMetadata, 'dist-tags': tags, modified: new Date().toISOString() };
    return next;
  });
  if (!existed) throw nothingHere(context, name);
  sendJson(context.req, context.res, 200, { ok: true });
}

/** `deprecated` as a string sets the message; "" clears it (`npm deprecate pkg@v ""`). Returns whether any changed. */
function applyDeprecations(record: PackageRecord, bodyVersions: Record<string, unknown>): boolean {
  let changed = false;
  for (const [version, sent] of Object.entries(bodyVersions)) {
    if (!Object.hasOwn(record.versions, version) || !sent || typeof sent !== 'object') continue;
    const message = (sent as Record<string, unknown>).deprecated;
    if (typeof message !== 'string') continue;
    const stored = record.versions[version];
    const metadata = { ...stored.formatMetadata };
    if ((metadata.deprecated ?? '') === message) continue;
    if (message === '') delete metadata.deprecated;
    else metadata.deprecated = message.slice(0, 1024);
    record.versions[version] = withRevision({ ...stored, formatMetadata: metadata });
    changed = true;
  }
  return changed;
}

/**
 * The client sends back the whole dist-tags map with its changes. Tags it changed or added
 * are set here; tags it dropped are removed here; tags it left alone stay where they live.
 */
function applyTagChanges(own: DistTags, seen: DistTags, sent: unknown, available: Set<string>): DistTags {
  const tags = { ...own };
  if (sent && typeof sent === 'object' && !Array.isArray(sent)) {
    const wanted = sent as Record<string, unknown>;
    for (const [tag, version] of Object.entries(wanted)) {
      if (typeof version !== 'string' || seen[tag] === version) continue;
      checkTagName(tag);
      if (!available.has(version)) throw new ValidationError(`The dist-tag ${tag} points at ${version}, which is not a published version.`);
      tags[tag] = version;
    }
    for (const tag of Object.keys(seen)) if (!Object.hasOwn(wanted, tag)) delete tags[tag];
  }
  // Whatever the client sent, no tag may be left pointing at a version that is gone.
  for (const [tag, version] of Object.entries(tags)) if (!available.has(version)) delete tags[tag];
  return tags;
}

function checkRevision(record: PackageRecord, rev: string | undefined): void {
  if (rev === undefined || rev === revisionOf(record)) return;
  throw new ConflictError('The package changed since it was read (its _rev is different); run the command again.', { resourceType: 'package' });
}

function nothingHere(context: RequestContext, name: NpmPackageName): ResourceNotFoundError {
  return new ResourceNotFoundError(`${name.fullName} has no versions in repository ${context.repository.name}.`, {
    resourceType: 'package',
    resourceId: name.fullName,
  });
}
