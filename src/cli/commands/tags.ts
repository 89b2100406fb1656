/** tag-resource, untag-resource, list-tags-for-resource. */
import type { Command } from 'commander';
import { parseTags } from '../shorthand.js';
import { action, collect } from '../context.js';

interface TagOptions {
  resourceArn?: string;
  tags?: string[];
  tagKeys?: string[];
}

const operations = () => import('../../operations/tags.js');

export function register(program: Command): void {
  program
    .command('tag-resource')
    .description('Add or replace tags on a domain or repository.')
    .option('--resource-arn <arn>', 'ARN of the domain or repository.')
    .option('--tags <tag...>', 'Tags as key=KEY,value=VALUE (or a JSON list).', collect)
    .action(
      action<TagOptions>(async (options, context) => {
        const arn = await context.need(options.resourceArn, '--resource-arn');
        const tags = parseTags(options.tags);
        if (!tags) await context.need(undefined, '--tags');
        const { tagResource } = await operations();
        await tagResource(await context.store(), arn, tags ?? []);
        return undefined;
      }),
    );

  program
    .command('untag-resource')
    .description('Remove tags from a domain or repository.')
    .option('--resource-arn <arn>', 'ARN of the domain or repository.')
    .option('--tag-keys <key...>', 'Keys of the tags to remove.', collect)
    .action(
      action<TagOptions>(async (options, context) => {
        const arn = await context.need(options.resourceArn, '--resource-arn');
        if (!options.tagKeys) await context.need(undefined, '--tag-keys');
        const { untagResource } = await operations();
        await untagResource(await context.store(), arn, options.tagKeys ?? []);
        return undefined;
      }),
    );

  program
    .command('list-tags-for-resource')
    .description('List the tags of a domain or repository.')
    .option('--resource-arn <arn>', 'ARN of the domain or repository.')
    .action(
      action<TagOptions>(async (options, context) => {
        const arn = await context.need(options.resourceArn, '--resource-arn');
        const { listTagsForResource } = await operations();
        return listTagsForResource(await context.store(), arn);
      }),
    );
}
