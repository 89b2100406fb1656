/** Resource tags: tag-resource, untag-resource and list-tags-for-resource by ARN. */
import { parseArn, type ParsedArn } from '../core/arn.js';
import type { Tag } from '../core/model.js';
import { parsePackageGroupPattern } from '../core/package-group-pattern.js';
import { checkTags, MAX_TAGS, mergeTags } from '../core/tag-list.js';
import { ResourceNotFoundError, ValidationError } from '../errors.js';
import { FORMAT_RULES } from '../formats/registry.js';
import type { Store } from '../store/store.js';
import { changeGroups, recordOf } from './package-groups.js';
import { loadDomainGroups, requireGroup } from './package-groups-state.js';

export async function tagResource(store: Store, resourceArn: string, tags: Tag[]): Promise<Record<string, never>> {
  checkTags(tags);
  await updateTags(store, resourceArn, (current) => {
    const merged = mergeTags(current, tags);
    if (merged.length > MAX_TAGS) throw new ValidationError(`A resource can have at most ${MAX_TAGS} tags.`);
    return merged;
  });
  return {};
}

export async function untagResource(store: Store, resourceArn: string, tagKeys: string[]): Promise<Record<string, never>> {
  const remove = new Set(tagKeys);
  await updateTags(store, resourceArn, (current) => current.filter((tag) => !remove.has(tag.key)));
  return {};
}

export async function listTagsForResource(store: Store, resourceArn: string): Promise<{ tags: Tag[] }> {
  const target = resourceOf(resourceArn);
  if (target.kind === 'package-group') {
    const groups = await loadDomainGroups(store, target.domain);
    return { tags: [...(requireGroup(groups, target.domain, target.pattern).record.tags ?? [])] };
  }
  const record = await storedRecord(store, target);
  if (!record) throw notFound(resourceArn);
  return { tags: [...record.tags] };
}

/** The ARN's resource, with a package group's pattern in the form the groups are stored by. */
function resourceOf(resourceArn: string): ParsedArn {
  const target = parseArn(resourceArn);
  return target.kind === 'package-group' ? { ...target, pattern: parsePackageGroupPattern(target.pattern, FORMAT_RULES).text } : target;
}

function storedRecord(store: Store, target: Exclude<ParsedArn, { kind: 'package-group' }>) {
  return target.kind === 'domain' ? store.index.getDomain(target.domain) : store.index.getRepository(target.domain, target.repository);
}

async function updateTags(store: Store, resourceArn: string, change: (current: readonly Tag[]) => Tag[]): Promise<void> {
  const target = resourceOf(resourceArn);
  if (target.kind === 'package-group') {
    // The root group /* is stored the first time it is changed, as by update-package-group.
    await changeGroups(store, target.domain, target.pattern, (records, groups) => {
      const record = recordOf(records, groups, target.domain, target.pattern);
      record.tags = change(record.tags ?? []);
    });
    return;
  }
  // Looked up first: updating a record that is not there would leave its directory behind.
  if (!(await storedRecord(store, target))) throw notFound(resourceArn);
  if (target.kind === 'domain') {
    await store.index.updateDomain(target.domain, (current) => {
      if (!current) throw notFound(resourceArn);
      return { ...current, tags: change(current.tags) };
    });
  } else {
    await store.index.updateRepository(target.domain, target.repository, (current) => {
      if (!current) throw notFound(resourceArn);
      return { ...current, tags: change(current.tags) };
    });
  }
}

function notFound(resourceArn: string): ResourceNotFoundError {
  return new ResourceNotFoundError(`No domain or repository has the ARN ${resourceArn}.`, { resourceId: resourceArn });
}
