/**
 * Loading a domain's package groups and describing them in CodeArtifact's shapes
 * (PackageGroupDescription, PackageGroupReference). Shared by the group commands and by the
 * checks that keep versions out of repositories.
 */
import { LOCAL_ACCOUNT, packageGroupArn } from '../core/arn.js';
import {
  ORIGIN_RESTRICTION_TYPES,
  PackageGroupSet,
  type GroupRestrictionMode,
  type OriginRestrictionType,
  type ResolvedGroup,
} from '../core/package-group-origin.js';
import { parsePackageGroupPattern } from '../core/package-group-pattern.js';
import { ResourceNotFoundError } from '../errors.js';
import type { Store } from '../store/store.js';
import { requireDomain } from './domains.js';
import { FORMAT_RULES } from '../formats/registry.js';

export interface PackageGroupReference {
  arn: string;
  pattern: string;
}

export interface PackageGroupOriginRestriction {
  mode: GroupRestrictionMode;
  effectiveMode: GroupRestrictionMode;
  inheritedFrom?: PackageGroupReference;
  repositoriesCount: number;
}

export interface PackageGroupDescription {
  arn: string;
  pattern: string;
  domainName: string;
  domainOwner: string;
  createdTime: string;
  contactInfo?: string;
  description?: string;
  originConfiguration: { restrictions: Record<OriginRestrictionType, PackageGroupOriginRestriction> };
  parent?: PackageGroupReference;
}

function groupReference(domain: string, group: ResolvedGroup): PackageGroupReference {
  return { arn: packageGroupArn(domain, group.record.pattern), pattern: group.record.pattern };
}

/** The domain's groups for the group commands: the domain must exist, and the root dates from it. */
export async function loadDomainGroups(store: Store, domain: string): Promise<PackageGroupSet> {
  const record = await requireDomain(store, domain);
  return new PackageGroupSet(await store.index.getPackageGroups(domain), record.createdTime);
}

export function requireGroup(groups: PackageGroupSet, domain: string, pattern: string): ResolvedGroup {
  parsePackageGroupPattern(pattern, FORMAT_RULES);
  const group = groups.find(pattern);
  if (!group) {
    throw new ResourceNotFoundError(`Package group ${pattern} does not exist in domain ${domain}.`, {
      resourceId: pattern,
      hint: `List them with \`artifact-cli list-package-groups --domain ${domain}\`.`,
    });
  }
  return group;
}

export function describeGroup(groups: PackageGroupSet, domain: string, group: ResolvedGroup): PackageGroupDescription {
  const { record } = group;
  const restrictions = {} as Record<OriginRestrictionType, PackageGroupOriginRestriction>;
  for (const type of ORIGIN_RESTRICTION_TYPES) {
    const effective = groups.effective(group, type);
    restrictions[type] = {
      mode: effective.mode,
      effectiveMode: effective.effectiveMode,
      ...(effective.mode === 'INHERIT' ? { inheritedFrom: groupReference(domain, effective.source) } : {}),
      repositoriesCount: record.allowedRepositories[type].length,
    };
  }
  const parent = groups.parentOf(group);
  return {
    arn: packageGroupArn(domain, record.pattern),
    pattern: record.pattern,
    domainName: domain,
    domainOwner: LOCAL_ACCOUNT,
    createdTime: record.createdTime,
    contactInfo: record.contactInfo,
    description: record.description,
    originConfiguration: { restrictions },
    ...(parent ? { parent: groupReference(domain, parent) } : {}),
  };
}
