/**
 * update-package-group-origin-configuration and list-allowed-repositories-for-group: a group's
 * three restrictions (PUBLISH, EXTERNAL_UPSTREAM, INTERNAL_UPSTREAM) and the repository list
 * each one uses while it is ALLOW_SPECIFIC_REPOSITORIES.
 */
import { GROUP_RESTRICTION_MODES, ORIGIN_RESTRICTION_TYPES, type GroupRestrictionMode, type OriginRestrictionType } from '../core/package-group-origin.js';
import { ROOT_PATTERN } from '../core/package-group-pattern.js';
import { validateRepositoryName } from '../core/names.js';
import { ValidationError } from '../errors.js';
import type { Store } from '../store/store.js';
import { paginate, type PageRequest } from './pagination.js';
import { changeGroups, recordOf } from './package-groups.js';
import { loadDomainGroups, requireGroup } from './package-groups-state.js';
import { requireRepository } from './repositories.js';

export interface AllowedRepositoryChange {
  repositoryName: string;
  originRestrictionType: OriginRestrictionType;
}

export interface OriginConfigurationInput {
  domain: string;
  packageGroup: string;
  restrictions?: Partial<Record<OriginRestrictionType, GroupRestrictionMode>>;
  addAllowedRepositories?: AllowedRepositoryChange[];
  removeAllowedRepositories?: AllowedRepositoryChange[];
}

type RepositoryUpdates = Partial<Record<OriginRestrictionType, { ADDED?: string[]; REMOVED?: string[] }>>;

function checkRestrictionType(value: unknown): OriginRestrictionType {
  if (!ORIGIN_RESTRICTION_TYPES.includes(value as OriginRestrictionType)) {
    throw new ValidationError(`${JSON.stringify(value)} is not an origin restriction type; use ${ORIGIN_RESTRICTION_TYPES.join(', ')}.`);
  }
  return value as OriginRestrictionType;
}

function checkRestrictionMode(type: OriginRestrictionType, value: unknown): GroupRestrictionMode {
  if (!GROUP_RESTRICTION_MODES.includes(value as GroupRestrictionMode)) {
    throw new ValidationError(`${type}=${String(value)} is not a mode; use ${GROUP_RESTRICTION_MODES.join(', ')}.`);
  }
  return value as GroupRestrictionMode;
}

export async function updatePackageGroupOriginConfiguration(store: Store, input: OriginConfigurationInput) {
  const restrictions = input.restrictions ?? {};
  for (const [type, mode] of Object.entries(restrictions)) checkRestrictionMode(checkRestrictionType(type), mode);
  if (input.packageGroup === ROOT_PATTERN && Object.values(restrictions).includes('INHERIT')) {
    throw new ValidationError('The root package group /* has no parent to inherit from; set ALLOW, BLOCK or ALLOW_SPECIFIC_REPOSITORIES.');
  }
  const additions = input.addAllowedRepositories ?? [];
  const removals = input.removeAllowedRepositories ?? [];
  for (const change of [...additions, ...removals]) {
    checkRestrictionType(change.originRestrictionType);
    validateRepositoryName(change.repositoryName);
  }
  // A repository is allowed by name; it must exist when it is added.
  for (const change of additions) await requireRepository(store, input.domain, change.repositoryName);

  const allowedRepositoryUpdates: RepositoryUpdates = {};
  const note = (type: OriginRestrictionType, kind: 'ADDED' | 'REMOVED', repository: string) => {
    const entry = (allowedRepositoryUpdates[type] ??= {});
    (entry[kind] ??= []).push(repository);
  };
  const packageGroup = await changeGroups(store, input.domain, input.packageGroup, (records, groups) => {
    const record = recordOf(records, groups, input.domain, input.packageGroup);
    Object.assign(record.restrictions, restrictions);
    for (const { repositoryName, originRestrictionType: type } of additions) {
      if (record.allowedRepositories[type].includes(repositoryName)) continue;
      record.allowedRepositories[type].push(repositoryName);
      note(type, 'ADDED', repositoryName);
    }
    for (const { repositoryName, originRestrictionType: type } of removals) {
      if (!record.allowedRepositories[type].includes(repositoryName)) continue;
      record.allowedRepositories[type] = record.allowedRepositories[type].filter((name) => name !== repositoryName);
      note(type, 'REMOVED', repositoryName);
    }
  });
  return { packageGroup, allowedRepositoryUpdates };
}

export async function listAllowedRepositoriesForGroup(
  store: Store,
  input: { domain: string; packageGroup: string; originRestrictionType: string } & PageRequest,
) {
  const type = checkRestrictionType(input.originRestrictionType);
  const groups = await loadDomainGroups(store, input.domain);
  const group = requireGroup(groups, input.domain, input.packageGroup);
  const page = paginate([...group.record.allowedRepositories[type]].sort(), (name) => name, input);
  return { allowedRepositories: page.items, nextToken: page.nextToken };
}
