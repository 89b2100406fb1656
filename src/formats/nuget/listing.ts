/**
 * PackagePublish DELETE and POST: `dotnet nuget delete` unlists (status Unlisted: hidden from
 * search, listed:false in registration, still restorable), POST relists. Only the addressed
 * repository's own versions change. Versions in other statuses are not offered to NuGet clients,
 * so for them, as for unknown ones, the answer is 404.
 */
import type { PackageVersionStatus } from '../../core/model.js';
import { withRevision } from '../../core/revision.js';
import { ResourceNotFoundError } from '../../errors.js';
import { sendText } from '../../server/respond.js';
import type { RequestContext } from '../../server/route.js';
import { ownKey, packageNotFound } from './package-loader.js';
import { nameFromSegment, versionFromSegment } from './url-segments.js';

async function setListed(context: RequestContext, match: RegExpExecArray, listed: boolean): Promise<void> {
  const name = nameFromSegment(match[1]);
  const key = versionFromSegment(match[2]);
  if (!name || !key) throw packageNotFound(context, match[1], match[2]);
  const wanted: PackageVersionStatus = listed ? 'Published' : 'Unlisted';
  await context.deps.store.index.updatePackage(ownKey(context, name), (current) => {
    const version = current && Object.hasOwn(current.versions, key) ? current.versions[key] : undefined;
    if (!current || !version || (version.status !== 'Published' && version.status !== 'Unlisted')) throw notStoredHere(context, name, key);
    if (version.status === wanted) return current;
    const next = structuredClone(current);
    next.versions[key] = withRevision({ ...version, status: wanted });
    return next;
  });
}

/**
 * The version may well be offered here, from an upstream repository: the usual "not in repository
 * X or its upstreams" would then be wrong, so this says what delete and relist act on.
 */
function notStoredHere(context: RequestContext, name: string, key: string): ResourceNotFoundError {
  return new ResourceNotFoundError(
    `${name} ${key} is not stored in repository ${context.repository.name}; unlisting and relisting change only the versions a repository holds itself.`,
    { resourceType: 'package-version', resourceId: `${name} ${key}`, hint: 'Run it against the repository that holds the version.' },
  );
}

export async function handleUnlist(context: RequestContext, match: RegExpExecArray): Promise<void> {
  await setListed(context, match, false);
  context.res.writeHead(204, { 'cache-control': 'no-store' }).end();
}

export async function handleRelist(context: RequestContext, match: RegExpExecArray): Promise<void> {
  await setListed(context, match, true);
  sendText(context.req, context.res, 200, 'text/plain; charset=utf-8', '');
}
