/**
 * put-, get-, delete-domain-permissions-policy and put-, get-, delete-repository-permissions-policy.
 * The policies govern what tokens may do through the server; these commands, like every local
 * command, work on the store directly and are not subject to them.
 */
import { promises as fs } from 'node:fs';
import { ValidationError } from '../../errors.js';
import type { CliContext } from '../context.js';
import { domainOf } from './packages-options.js';

interface PolicyOptions {
  domain?: string;
  domainOwner?: string;
  repository?: string;
  policyDocument?: string;
  policyRevision?: string;
}

const operations = () => import('../../operations/permissions-policy.js');

export type Scope = 'domain' | 'repository';

async function targetOf(scope: Scope, options: PolicyOptions, context: CliContext) {
  const domain = await domainOf(options, context);
  if (scope === 'domain') return { domain };
  return { domain, repository: await context.need(options.repository, '--repository', undefined, (await context.config()).repository) };
}

/** The AWS CLI's forms: file://path (and fileb://path) read the file; anything else is the document itself. */
async function readDocument(value: string): Promise<string> {
  const match = /^fileb?:\/\/(.+)$/s.exec(value);
  if (!match) return value;
  try {
    return await fs.readFile(match[1], 'utf8');
  } catch (error) {
    throw new ValidationError(`Cannot read the policy document ${match[1]}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
  }
}

/** put-domain-permissions-policy and put-repository-permissions-policy. */
export function putPolicy(scope: Scope) {
  return async (options: PolicyOptions, context: CliContext): Promise<unknown> => {
    const target = await targetOf(scope, options, context);
    const policyDocument = await readDocument(await context.need(options.policyDocument, '--policy-document'));
    return (await operations()).putPermissionsPolicy(await context.store(), target, { policyDocument, policyRevision: options.policyRevision });
  };
}

export function getPolicy(scope: Scope) {
  return async (options: PolicyOptions, context: CliContext): Promise<unknown> =>
    (await operations()).getPermissionsPolicy(await context.store(), await targetOf(scope, options, context));
}

export function deletePolicy(scope: Scope) {
  return async (options: PolicyOptions, context: CliContext): Promise<unknown> =>
    (await operations()).deletePermissionsPolicy(await context.store(), await targetOf(scope, options, context), options.policyRevision);
}
