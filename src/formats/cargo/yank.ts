/**
 * `cargo yank` and `cargo yank --undo`: DELETE api/v1/crates/<crate>/<version>/yank and PUT
 * .../unyank. A yank makes the version Unlisted, which the index shows as yanked; an unyank
 * makes it Published again (an Archived version too). Only this repository's own versions
 * change, as with update-package-versions-status.
 */
import type { PackageVersionStatus } from '../../core/model.js';
import { withRevision } from '../../core/revision.js';
import { sendJson } from '../../server/respond.js';
import type { RequestContext } from '../../server/route.js';
import { crateKey, decode, requireCrateName } from './crate-name.js';
import { crateKeyIn, crateNotFound } from './crate-sources.js';
import { versionIdentity } from './crate-view.js';

const CHANGEABLE: readonly PackageVersionStatus[] = ['Published', 'Unlisted', 'Archived'];

export async function handleYank(context: RequestContext, match: RegExpExecArray, yanked: boolean): Promise<void> {
  const name = crateKey(requireCrateName(decode(match[1])));
  const asked = decode(match[2]);
  const wanted: PackageVersionStatus = yanked ? 'Unlisted' : 'Published';
  await context.deps.store.index.updatePackage(crateKeyIn(context, name), (current) => {
    const version = current && Object.values(current.versions).find((candidate) => versionIdentity(candidate.version) === versionIdentity(asked));
    if (!current || !version || !CHANGEABLE.includes(version.status)) throw crateNotFound(context, name, asked);
    if (version.status === wanted) return current;
    const next = structuredClone(current);
    next.versions[version.version] = withRevision({ ...version, status: wanted });
    return next;
  });
  sendJson(context.req, context.res, 200, { ok: true });
}
