/** The rules for a resource's tags, shared by every resource that has them. */
import type { Tag } from './model.js';
import { ValidationError } from '../errors.js';

export const MAX_TAGS = 50;

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
