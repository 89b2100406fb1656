/**
 * `npm dist-tag ls|add|rm`: /-/package/{pkg}/dist-tags[/{tag}]. Listing shows the merged view
 * along the upstream chain; changes are kept in this repository's package record, so they win
 * over upstream tags without touching upstream repositories.
 */
import type { IncomingMessage } from 'node:http';
import { ResourceNotFoundError, ValidationError } from '../../errors.js';
import { readJsonBody, refuseDeclaredLength } from '../../server/body.js';
import { sendJson } from '../../server/respond.js';
import type { RequestContext, Route } from '../../server/route.js';
import { checkTagCount, checkTagName } from './dist-tag-rules.js';
import { PACKAGE_PATH_PATTERN, parsePackagePath, type NpmPackageName } from './package-name.js';
import { ownKey, ownRecordOf, requireSources } from './package-sources.js';
import { buildPackageView, recordDistTags } from './package-view.js';

const MAX_TAG_BODY_BYTES = 4096;
const TAGS_PATH = new RegExp(`^-/package/${PACKAGE_PATH_PATTERN}/dist-tags$`);
const TAG_PATH = new RegExp(`^-/package/${PACKAGE_PATH_PATTERN}/dist-tags/([^/]+)$`);

export function distTagRoutes(): Route[] {
  return [
    { method: 'GET', path: TAGS_PATH, access: 'read', handle: (context, match) => listTags(context, parsePackagePath(match[1])) },
    {
      method: 'PUT',
      path: TAG_PATH,
      access: 'write',
      refuseDeclaredLength: refuseLongTagBody,
      handle: (context, match) => addTag(context, parsePackagePath(match[1]), decodeTag(match[2])),
    },
    {
      method: 'POST',
      path: TAG_PATH,
      access: 'write',
      refuseDeclaredLength: refuseLongTagBody,
      handle: (context, match) => addTag(context, parsePackagePath(match[1]), decodeTag(match[2])),
    },
    { method: 'DELETE', path: TAG_PATH, access: 'write', handle: (context, match) => removeTag(context, parsePackagePath(match[1]), decodeTag(match[2])) },
  ];
}

function refuseLongTagBody(req: IncomingMessage): void {
  refuseDeclaredLength(req, MAX_TAG_BODY_BYTES);
}

async function listTags(context: RequestContext, name: NpmPackageName): Promise<void> {
  const view = buildPackageView(await requireSources(context, name));
  sendJson(context.req, context.res, 200, view.distTags);
}

async function addTag(context: RequestContext, name: NpmPackageName, tag: string): Promise<void> {
  checkTagName(tag);
  const version = await readJsonBody<unknown>(context.req, MAX_TAG_BODY_BYTES);
  if (typeof version !== 'string') throw new ValidationError('The body of a dist-tag change must be the version as a JSON string, e.g. "1.2.0".');
  const sources = await requireSources(context, name);
  if (!buildPackageView(sources).versions.has(version)) {
    throw new ResourceNotFoundError(`${name.fullName}@${version} is not a published version, so no tag can point at it.`, { resourceType: 'package-version' });
  }
  requireOwnRecord(context, name, sources);
  await changeOwnTags(context, name, (tags) => ({ ...tags, [tag]: version }));
  sendJson(context.req, context.res, 201, { ok: true });
}

async function removeTag(context: RequestContext, name: NpmPackageName, tag: string): Promise<void> {
  if (tag === 'latest') throw new ValidationError('The latest tag cannot be removed; point it at another version with `npm dist-tag add`.');
  const sources = await requireSources(context, name);
  requireOwnRecord(context, name, sources);
  let found = false;
  await changeOwnTags(context, name, (tags) => {
    found = Object.hasOwn(tags, tag);
    const next = { ...tags };
    delete next[tag];
    return next;
  });
  if (!found) throw new ResourceNotFoundError(`${name.fullName} has no dist-tag ${JSON.stringify(tag)} in repository ${context.repository.name}.`);
  sendJson(context.req, context.res, 200, { ok: true });
}

/**
 * Tags live on the package record of this repository. One that holds no version of the
 * package gets none: creating a record here would also switch its origin controls.
 */
function requireOwnRecord(context: RequestContext, name: NpmPackageName, sources: Parameters<typeof ownRecordOf>[1]): void {
  if (!ownRecordOf(context, sources)) {
    throw new ResourceNotFoundError(`${name.fullName} has no versions in repository ${context.repository.name}, so its dist-tags cannot be changed here.`, {
      hint: 'Change the tag in the repository that holds the package.',
    });
  }
}

async function changeOwnTags(context: RequestContext, name: NpmPackageName, change: (tags: Record<string, string>) => Record<string, string>): Promise<void> {
  await context.deps.store.index.updatePackage(ownKey(context, name), (current) => {
    if (!current) throw new ResourceNotFoundError(`${name.fullName} is no longer in repository ${context.repository.name}.`);
    const tags = change(recordDistTags(current.formatMetadata));
    checkTagCount(tags);
    return { ...current, formatMetadata: { ...current.formatMetadata, 'dist-tags': tags, modified: new Date().toISOString() } };
  });
}

function decodeTag(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new ValidationError('The dist-tag in the URL is not correctly percent-encoded.');
  }
}
