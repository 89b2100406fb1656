/**
 * create-, describe-, list-, update-, delete-package-group and list-sub-package-groups
 * (docs/reference/package-groups.md). Groups live in the domain's package-groups.json, changed under
 * its lock. The root group /* exists in every domain without being stored, can be edited, and
 * cannot be deleted; deleting another group hands its children to its parent, which follows
 * from parents being worked out from the patterns rather than stored.
 */
import { newGroupRecord, PackageGroupSet, type PackageGroupRecord, type PackageGroupsFile } from '../core/package-group-origin.js';
import { parsePackageGroupPattern, ROOT_PATTERN } from '../core/package-group-pattern.js';
import type { Tag } from '../core/model.js';
import { validateDescription } from '../core/names.js';
import { ConflictError, ResourceNotFoundError, ValidationError } from '../errors.js';
import type { Store } from '../store/store.js';
import { paginate, type PageRequest } from './pagination.js';
import { describeGroup, loadDomainGroups, requireGroup, type PackageGroupDescription } from './package-groups-state.js';
import { checkTags } from '../core/tag-list.js';
import { FORMAT_RULES } from '../formats/registry.js';

interface GroupDetails {
  contactInfo?: string;
  description?: string;
}

function checkDetails(details: GroupDetails): void {
  if (details.description !== undefined) validateDescription(details.description);
  if (details.contactInfo !== undefined && details.contactInfo.length > 1000) throw new ValidationError('--contact-info must be at most 1000 characters long.');
}

/** Changes the stored groups under the file's lock and describes `pattern` as it is afterwards. */
export async function changeGroups(
  store: Store,
  domain: string,
  pattern: string,
  change: (records: PackageGroupRecord[], groups: PackageGroupSet) => void,
): Promise<PackageGroupDescription> {
  const before = await loadDomainGroups(store, domain);
  await store.index.updatePackageGroups(domain, (current) => {
    const next: PackageGroupsFile = current ? structuredClone(current) : { groups: [] };
    change(next.groups, new PackageGroupSet(current, before.find(ROOT_PATTERN)?.record.createdTime ?? new Date().toISOString()));
    return next;
  });
  const after = await loadDomainGroups(store, domain);
  return describeGroup(after, domain, requireGroup(after, domain, pattern));
}

/** The stored record of a group, adding the root's when it is changed for the first time. */
export function recordOf(records: PackageGroupRecord[], groups: PackageGroupSet, domain: string, pattern: string): PackageGroupRecord {
  const existing = records.find((record) => record.pattern === pattern);
  if (existing) return existing;
  const group = requireGroup(groups, domain, pattern);
  const record = structuredClone(group.record);
  records.push(record);
  return record;
}

export async function createPackageGroup(store: Store, input: { domain: string; packageGroup: string; tags?: Tag[] } & GroupDetails) {
  const pattern = parsePackageGroupPattern(input.packageGroup, FORMAT_RULES).text;
  checkDetails(input);
  const tags = checkTags(input.tags ?? []);
  const packageGroup = await changeGroups(store, input.domain, pattern, (records, groups) => {
    if (groups.find(pattern)) {
      throw new ConflictError(`Package group ${pattern} already exists in domain ${input.domain}.`, {
        resourceId: pattern,
        hint: pattern === ROOT_PATTERN ? 'The root group /* exists in every domain; change it with update-package-group.' : undefined,
      });
    }
    records.push({ ...newGroupRecord(pattern, new Date().toISOString()), contactInfo: input.contactInfo, description: input.description, tags });
  });
  return { packageGroup };
}

export async function describePackageGroup(store: Store, domain: string, pattern: string) {
  const groups = await loadDomainGroups(store, domain);
  return { packageGroup: describeGroup(groups, domain, requireGroup(groups, domain, pattern)) };
}

export async function updatePackageGroup(store: Store, input: { domain: string; packageGroup: string } & GroupDetails) {
  checkDetails(input);
  const packageGroup = await changeGroups(store, input.domain, input.packageGroup, (records, groups) => {
    const record = recordOf(records, groups, input.domain, input.packageGroup);
    if (input.contactInfo !== undefined) record.contactInfo = input.contactInfo;
    if (input.description !== undefined) record.description = input.description;
  });
  return { packageGroup };
}

export async function deletePackageGroup(store: Store, domain: string, pattern: string) {
  if (pattern === ROOT_PATTERN)
    throw new ValidationError('The root package group /* cannot be deleted.', {
      hint: 'Change what it allows with update-package-group-origin-configuration.',
    });
  const groups = await loadDomainGroups(store, domain);
  const packageGroup = describeGroup(groups, domain, requireGroup(groups, domain, pattern));
  await store.index.updatePackageGroups(domain, (current) => {
    if (!current?.groups.some((record) => record.pattern === pattern)) {
      throw new ResourceNotFoundError(`Package group ${pattern} does not exist in domain ${domain}.`, { resourceId: pattern });
    }
    return { groups: current.groups.filter((record) => record.pattern !== pattern) };
  });
  return { packageGroup };
}

export async function listPackageGroups(store: Store, input: { domain: string; prefix?: string } & PageRequest) {
  const groups = await loadDomainGroups(store, input.domain);
  const matching = groups.groups
    .filter((group) => input.prefix === undefined || group.record.pattern.startsWith(input.prefix))
    .sort((a, b) => (a.record.pattern < b.record.pattern ? -1 : 1));
  const page = paginate(matching, (group) => group.record.pattern, input);
  return { packageGroups: page.items.map((group) => describeGroup(groups, input.domain, group)), nextToken: page.nextToken };
}

export async function listSubPackageGroups(store: Store, input: { domain: string; packageGroup: string } & PageRequest) {
  const groups = await loadDomainGroups(store, input.domain);
  const children = groups.childrenOf(requireGroup(groups, input.domain, input.packageGroup)).sort((a, b) => (a.record.pattern < b.record.pattern ? -1 : 1));
  const page = paginate(children, (group) => group.record.pattern, input);
  return { packageGroups: page.items.map((group) => describeGroup(groups, input.domain, group)), nextToken: page.nextToken };
}
