/**
 * put-, get-, delete-domain-permissions-policy and put-, get-, delete-repository-permissions-policy.
 * The policies govern what tokens may do through the server; these commands, like every local
 * command, work on the store directly and are not subject to them.
 */
import { promises as fs } from 'node:fs';
import type { Command } from 'commander';
import { ValidationError } from '../../errors.js';
import { action, type CliContext } from '../context.js';
import { domainOf } from './packages-options.js';

interface PolicyOptions {
  domain?: string;
  domainOwner?: string;
  repository?: string;
  policyDocument?: string;
  policyRevision?: string;
}

const operations = () => import('../../operations/permissions-policy.js');

type Scope = 'domain' | 'repository';

function policyCommand(program: Command, name: string, scope: Scope, description: string): Command {
  const command = program
    .command(name)
    .description(description)
    .option('--domain <name>', 'The domain.')
    .option('--domain-owner <account>', 'Accepted for AWS CLI compatibility.');
  return scope === 'repository' ? command.option('--repository <name>', 'The repository.') : command;
}

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

export function register(program: Command): void {
  for (const scope of ['domain', 'repository'] as const) {
    policyCommand(program, `put-${scope}-permissions-policy`, scope, `Set the ${scope}'s permissions policy, which the server enforces on every token.`)
      .option('--policy-document <json>', 'The IAM-style policy: JSON text, or file://path.')
      .option('--policy-revision <revision>', 'The current revision; the put is refused if the policy changed since.')
      .action(
        action<PolicyOptions>(async (options, context) => {
          const target = await targetOf(scope, options, context);
          const policyDocument = await readDocument(await context.need(options.policyDocument, '--policy-document'));
          return (await operations()).putPermissionsPolicy(await context.store(), target, { policyDocument, policyRevision: options.policyRevision });
        }),
      );

    policyCommand(program, `get-${scope}-permissions-policy`, scope, `Show the ${scope}'s permissions policy and its revision.`).action(
      action<PolicyOptions>(async (options, context) => (await operations()).getPermissionsPolicy(await context.store(), await targetOf(scope, options, context))),
    );

    policyCommand(program, `delete-${scope}-permissions-policy`, scope, `Remove the ${scope}'s permissions policy.`)
      .option('--policy-revision <revision>', 'The current revision; the delete is refused if the policy changed since.')
      .action(
        action<PolicyOptions>(async (options, context) =>
          (await operations()).deletePermissionsPolicy(await context.store(), await targetOf(scope, options, context), options.policyRevision),
        ),
      );
  }
}
