/** create-access-key, list-access-keys, delete-access-key: key pairs for the CodeArtifact API (docs/api.md). */
import type { Command } from 'commander';
import { action } from '../context.js';

interface AccessKeyOptions {
  principal?: string;
  accessKeyId?: string;
}

const operations = () => import('../../operations/access-keys.js');

export function register(program: Command): void {
  program
    .command('create-access-key')
    .description('Make an access key pair for the AWS CLI and SDKs; the secret is shown only now.')
    .option('--principal <name>', 'Who the key speaks for in permissions policies.')
    .action(
      action<AccessKeyOptions>(async (options, context) => {
        const principal = await context.need(options.principal, '--principal');
        return (await operations()).createAccessKey(await context.store(), { principal });
      }),
    );

  program
    .command('list-access-keys')
    .description('List access key IDs and their principals (never the secrets).')
    .option('--principal <name>', 'Only the keys of this principal.')
    .action(action<AccessKeyOptions>(async (options, context) => (await operations()).listAccessKeys(await context.store(), { principal: options.principal })));

  program
    .command('delete-access-key')
    .description('Delete an access key; requests it signs are refused from now on.')
    .option('--access-key-id <id>', 'The key to delete.')
    .action(
      action<AccessKeyOptions>(async (options, context) => {
        const id = await context.need(options.accessKeyId, '--access-key-id');
        return (await operations()).deleteAccessKey(await context.store(), id);
      }),
    );
}
