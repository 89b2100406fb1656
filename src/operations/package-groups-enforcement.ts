/**
 * Package groups at the doors where versions enter a repository: a direct publish (PUBLISH), a
 * version fetched through an external connection (EXTERNAL_UPSTREAM) and one retained from an
 * upstream repository (INTERNAL_UPSTREAM). Each door also checks the package's own origin
 * controls; a version enters only when both allow it. A refusal names the group, the setting
 * and where an inherited setting comes from, and how to change it.
 */
import { shellWord } from '../core/command-line.js';
import type { PackageKey, VersionOrigin } from '../core/model.js';
import { checkGroupEntry, PackageGroupSet, type GroupRefusal, type OriginRestrictionType, type PackageGroupsFile } from '../core/package-group-origin.js';
import { packagePath, type PackageCoordinates } from '../core/package-group-pattern.js';
import { AccessDeniedError } from '../errors.js';
import type { Store } from '../store/store.js';

// The index hands out one frozen file object until the file changes, so one set per object.
const sets = new WeakMap<PackageGroupsFile, PackageGroupSet>();
const ROOT_ONLY = new PackageGroupSet(undefined, new Date(0).toISOString());

async function loadGroupSet(store: Store, domain: string): Promise<PackageGroupSet> {
  const file = await store.index.getPackageGroups(domain);
  if (!file) return ROOT_ONLY;
  let set = sets.get(file);
  if (!set) {
    set = new PackageGroupSet(file, new Date(0).toISOString());
    if (Object.isFrozen(file)) sets.set(file, set);
  }
  return set;
}

/** What one package's group allows, loaded once for a walk over several repositories. */
export interface GroupGate {
  allows(type: OriginRestrictionType, repository: string): boolean;
}

export async function loadGroupGate(store: Store, domain: string, pkg: PackageCoordinates): Promise<GroupGate> {
  const groups = await loadGroupSet(store, domain);
  return { allows: (type, repository) => checkGroupEntry(groups, pkg, type, repository) === undefined };
}

/**
 * Gates for many packages of one domain from one load of its groups (a list of a public
 * registry's packages); `groups` is the same object until the groups change.
 */
export async function loadGroupGates(store: Store, domain: string): Promise<{ groups: object; gateOf: (pkg: PackageCoordinates) => GroupGate }> {
  const groups = await loadGroupSet(store, domain);
  return { groups, gateOf: (pkg) => ({ allows: (type, repository) => checkGroupEntry(groups, pkg, type, repository) === undefined }) };
}

/** Throws AccessDeniedError when the package's group keeps versions that come this way out of key.repository. */
export async function checkGroupAllowsEntry(store: Store, key: PackageKey, type: OriginRestrictionType): Promise<void> {
  const refusal = checkGroupEntry(await loadGroupSet(store, key.domain), key, type, key.repository);
  if (refusal) throw refusalError(key, refusal);
}

/**
 * How a version being retained enters the repository: from the public registry when it came
 * through an external connection and this repository holds that connection; otherwise it was
 * found in an upstream repository (a public version too, once kept there).
 */
export async function retentionWay(store: Store, key: PackageKey, origin: VersionOrigin): Promise<OriginRestrictionType> {
  const connection = origin.domainEntryPoint.externalConnectionName;
  if (origin.originType !== 'EXTERNAL' || connection === undefined) return 'INTERNAL_UPSTREAM';
  const repository = await store.index.getRepository(key.domain, key.repository);
  return repository?.externalConnections.some((entry) => entry.externalConnectionName === connection) ? 'EXTERNAL_UPSTREAM' : 'INTERNAL_UPSTREAM';
}

// A function rather than a table of functions: mutation testing can only change code that runs
// per call, not values built once when the module loads (docs/testing.md).
function doorOf(type: OriginRestrictionType, what: string, repository: string): string {
  switch (type) {
    case 'PUBLISH':
      return `Publishing ${what} into repository ${repository}`;
    case 'EXTERNAL_UPSTREAM':
      return `Taking versions of ${what} from external connections into repository ${repository}`;
    case 'INTERNAL_UPSTREAM':
      return `Taking versions of ${what} from upstream repositories into repository ${repository}`;
  }
}

function refusalError(key: PackageKey, refusal: GroupRefusal): AccessDeniedError {
  const what = packagePath(key);
  const pattern = refusal.group.record.pattern;
  const details = { resourceType: 'package' as const, resourceId: what };
  if (!refusal.restriction) {
    return new AccessDeniedError(
      `${what} is blocked in every repository: it only resembles package group ${pattern} (a WEAK match, differing in case, in '-', '.' or '_', or in look-alike characters), which guards against typosquatting.`,
      {
        ...details,
        hint: `If ${what} is a package of its own, give it a group: \`artifact-cli create-package-group --domain ${key.domain} --package-group ${shellWord(`${what}$`)}\`.`,
      },
    );
  }
  const { effectiveMode, source, allowedRepositories } = refusal.restriction;
  const setting = `${refusal.type}=${effectiveMode}${source === refusal.group ? '' : `, inherited from ${source.record.pattern}`}`;
  const change = `\`artifact-cli update-package-group-origin-configuration --domain ${key.domain} --package-group ${shellWord(source.record.pattern)}`;
  if (effectiveMode === 'ALLOW_SPECIFIC_REPOSITORIES') {
    const allowed = allowedRepositories.length ? `only ${allowedRepositories.join(', ')}` : 'no repository yet';
    return new AccessDeniedError(`${doorOf(refusal.type, what, key.repository)} is blocked by package group ${pattern} (${setting}): it allows ${allowed}.`, {
      ...details,
      hint: `To allow it: ${change} --add-allowed-repositories originRestrictionType=${refusal.type},repositoryName=${key.repository}\`.`,
    });
  }
  return new AccessDeniedError(`${doorOf(refusal.type, what, key.repository)} is blocked by package group ${pattern} (${setting}).`, {
    ...details,
    hint: `If this is intended, an administrator can change it: ${change} --restrictions ${refusal.type}=ALLOW\`.`,
  });
}
