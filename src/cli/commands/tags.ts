/** tag-resource, untag-resource, list-tags-for-resource. */
import { parseTags } from '../shorthand.js';
import type { CliContext } from '../context.js';

interface TagOptions {
  resourceArn?: string;
  tags?: string[];
  tagKeys?: string[];
}

const operations = () => import('../../operations/tags.js');

export async function tagResource(options: TagOptions, context: CliContext): Promise<undefined> {
  const arn = await context.need(options.resourceArn, '--resource-arn');
  const tags = parseTags(options.tags);
  if (!tags) await context.need(undefined, '--tags');
  const { tagResource } = await operations();
  await tagResource(await context.store(), arn, tags ?? []);
  return undefined;
}

export async function untagResource(options: TagOptions, context: CliContext): Promise<undefined> {
  const arn = await context.need(options.resourceArn, '--resource-arn');
  if (!options.tagKeys) await context.need(undefined, '--tag-keys');
  const { untagResource } = await operations();
  await untagResource(await context.store(), arn, options.tagKeys ?? []);
  return undefined;
}

export async function listTagsForResource(options: TagOptions, context: CliContext): Promise<unknown> {
  const arn = await context.need(options.resourceArn, '--resource-arn');
  const { listTagsForResource } = await operations();
  return listTagsForResource(await context.store(), arn);
}
