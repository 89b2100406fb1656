/** create-access-key, list-access-keys, delete-access-key: key pairs for the CodeArtifact API (docs/api.md). */
import type { CliContext } from '../context.js';

interface AccessKeyOptions {
  principal?: string;
  accessKeyId?: string;
}

const operations = () => import('../../operations/access-keys.js');

export async function createAccessKey(options: AccessKeyOptions, context: CliContext): Promise<unknown> {
  const principal = await context.need(options.principal, '--principal');
  return (await operations()).createAccessKey(await context.store(), { principal });
}

export async function listAccessKeys(options: AccessKeyOptions, context: CliContext): Promise<unknown> {
  return (await operations()).listAccessKeys(await context.store(), { principal: options.principal });
}

export async function deleteAccessKey(options: AccessKeyOptions, context: CliContext): Promise<unknown> {
  const id = await context.need(options.accessKeyId, '--access-key-id');
  return (await operations()).deleteAccessKey(await context.store(), id);
}
