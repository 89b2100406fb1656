/** Resource tags: tag-resource, untag-resource and list-tags-for-resource by ARN. */
import { parseArn } from '../core/arn.js';
import type { Tag } from '../core/model.js';
import { ResourceNotFoundError, ValidationError } from '../errors.js';
import type { Store } from '../store/store.js';

const MAX_TAGS = 50;

export function checkTags(tags: Tag[]): Tag[] {
  if (tags.length > MAX_TAGS) throw new ValidationError(`A resource can have at most ${MAX_TAGS} tags.`);
  for (const tag of tags) {
    if (!tag.key || tag.key.length > 128) throw new ValidationError(`Tag key ${JSON.stringify(tag.key)} must be 1 to 128 characters long.`);
    if (tag.value.length > 256) throw new ValidationError(`The value of tag ${tag.key} must be at most 256 characters long.`);
  }
  return mergeTags([], tags);
}

/** New tags replace old ones with the same key. */
export function mergeTags(current: readonly Tag[], added: readonly Tag[]): Tag[] {
  const byKey = new Map(current.map((tag) => [tag.key, tag.value]));
  for (const tag of added) byKey.set(tag.key, tag.value);
  return [...byKey].map(([key, value]) => ({ key, value }));
}

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
  const target = parseArn(resourceArn);
  const record = target.kind === 'domain' ? await store.index.getDomain(target.domain) : await store.index.getRepository(target.domain, target.repository);
  if (!record) throw notFound(resourceArn);
  return { tags: [...record.tags] };
}

async function updateTags(store: Store, resourceArn: string, change: (current: readonly Tag[]) => Tag[]): Promise<void> {
  const target = parseArn(resourceArn);
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
