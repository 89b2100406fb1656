/**
 * Retaining a version found through an upstream repository or external connection, in the
 * repository that was asked (and in the one holding the connection), as CodeArtifact does.
 */
import type { AssetRecord, PackageKey, VersionRecord } from '../core/model.js';
import { packageFlags } from '../core/command-line.js';
import { withRevision } from '../core/revision.js';
import { AccessDeniedError } from '../errors.js';
import type { Store } from '../store/store.js';
import { checkGroupAllowsEntry, retentionWay } from './package-groups-enforcement.js';
import { checkDependencyCount, emptyPackage, INGESTED_FIRST, packageDisplayName } from './publish.js';

/**
 * Adds the version unless present; refuses when the package, or its group, blocks upstream
 * versions here. `assets`, when given, is still being stored: the checks and the lock are taken
 * meanwhile, and the index is written once the assets are in place (a failure there writes
 * nothing). The caller must know the assets will be ready soon: others wait for this lock.
 * `durable`: the version's assets are named but still being written; the new index is written
 * and flushed meanwhile and takes its place only once they are durable (their failure writes nothing).
 */
export async function retainVersion(
  store: Store,
  key: PackageKey,
  version: VersionRecord,
  assets?: Promise<AssetRecord[]>,
  durable?: Promise<unknown>,
): Promise<VersionRecord> {
  // Failures surface where it is awaited below, or not at all when the version is already there.
  assets?.catch(() => undefined);
  durable?.catch(() => undefined);
  checkDependencyCount(key, version.version, version.dependencies?.length ?? 0, 'upstream');
  const stored = await store.index.getPackage(key);
  // Checked before the lock too, so a refused version does not wait for it (nor for its assets).
  const way = !stored || !Object.hasOwn(stored.versions, version.version) ? await retentionWay(store, key, version.origin) : undefined;
  if (way) await checkGroupAllowsEntry(store, key, way);
  let result: VersionRecord | undefined;
  await store.index.updatePackage(
    key,
    async (current) => {
      const existing = current?.versions[version.version];
      if (existing) {
        result = existing;
        return current;
      }
      if (assets) version = { ...version, assets: await assets };
      // A group's block may have landed while the file was on its way: asked again, as the origin controls are.
      await checkGroupAllowsEntry(store, key, way ?? (await retentionWay(store, key, version.origin)));
      if (current?.originConfiguration.restrictions.upstream === 'BLOCK') {
        throw new AccessDeniedError(
          `Versions of ${packageDisplayName(key)} from upstream are blocked in ${key.repository} by its origin controls (upstream=BLOCK).`,
          {
            resourceType: 'package',
            resourceId: packageDisplayName(key),
            hint: `Allow them with \`artifact-cli put-package-origin-configuration ${packageFlags(key)} --restrictions publish=${current.originConfiguration.restrictions.publish},upstream=ALLOW\` if this is intended.`,
          },
        );
      }
      const next = current ? structuredClone(current) : emptyPackage(key, INGESTED_FIRST);
      // An upstream's Unlisted stays unlisted here; anything else that could be served is Published.
      result = withRevision({ ...structuredClone(version), status: version.status === 'Unlisted' ? 'Unlisted' : 'Published' });
      next.versions[version.version] = result;
      return next;
    },
    durable ? { renameAfter: durable } : undefined,
  );
  return result as VersionRecord;
}

/**
 * Retains a version fetched through the connection of `holder`'s repository there and, when
 * another repository was asked, in `asked` too. Both indexes are written and flushed while the
 * assets become durable; the asked one is named in place only once the holder's is, so a refusal
 * or failure in the holder keeps nothing downstream. Returns the asked repository's record.
 * `assets`: as retainVersion takes them, for both.
 */
export async function retainThroughHolder(
  store: Store,
  holder: PackageKey,
  asked: PackageKey,
  version: VersionRecord,
  durable: Promise<unknown>,
  assets?: Promise<AssetRecord[]>,
): Promise<VersionRecord> {
  const { inHolder, inAsked } = retainSideBySide(store, holder, asked, version, durable, assets);
  if (!inAsked) return inHolder;
  return bothRetained(inHolder, inAsked);
}

/**
 * The asked repository's retention once both have ended: a refusal there is answered only once
 * the holder's copy is in place (or has failed), and the holder's failure is the one told first.
 */
export async function bothRetained<T>(inHolder: Promise<unknown>, inAsked: Promise<T>): Promise<T> {
  const [holder, asked] = await Promise.allSettled([inHolder, inAsked]);
  if (holder.status === 'rejected') throw holder.reason;
  if (asked.status === 'rejected') throw asked.reason;
  return asked.value;
}

/**
 * retainThroughHolder's two retentions, for a caller that answers the asked repository's failure
 * apart from the holder's (npm: the copy asked for is kept for later, and its refusal fails no
 * download). `inAsked` is undefined when the holder was asked; it fails when `inHolder` does.
 */
export function retainSideBySide(
  store: Store,
  holder: PackageKey,
  asked: PackageKey,
  version: VersionRecord,
  durable: Promise<unknown>,
  assets?: Promise<AssetRecord[]>,
): { inHolder: Promise<VersionRecord>; inAsked?: Promise<VersionRecord> } {
  const inHolder = retainVersion(store, holder, version, assets, durable);
  if (holder.repository === asked.repository) return { inHolder };
  return { inHolder, inAsked: retainVersion(store, asked, version, assets, Promise.all([durable, inHolder])) };
}
