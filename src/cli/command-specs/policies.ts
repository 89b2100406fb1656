/** Policies: a package's origin controls in one repository, and domain and repository permissions policies. */
import { inGroup, lazy, type CommandSpec, type SpecInGroup } from '../command-spec.js';
import type { OptionUse } from '../option-table.js';

const policies = () => import('../commands/permissions-policies.js');

function policyCommands(scope: 'domain' | 'repository'): SpecInGroup[] {
  const where: readonly OptionUse[] = scope === 'domain' ? ['domain', 'domainOwner'] : ['domain', 'domainOwner', 'repository'];
  const target = scope === 'domain' ? '--domain my-domain' : '--domain my-domain --repository app';
  return [
    {
      name: `put-${scope}-permissions-policy`,
      summary: `Set the ${scope}'s permissions policy, which the server enforces on every token.`,
      examples: [`artifact-cli put-${scope}-permissions-policy ${target} --policy-document file://policy.json`],
      options: [...where, 'policyDocument', 'policyRevision'],
      run: lazy(async () => (await policies()).putPolicy(scope)),
    },
    {
      name: `get-${scope}-permissions-policy`,
      summary: `Show the ${scope}'s permissions policy and its revision.`,
      examples: [`artifact-cli get-${scope}-permissions-policy ${target}`],
      options: where,
      run: lazy(async () => (await policies()).getPolicy(scope)),
    },
    {
      name: `delete-${scope}-permissions-policy`,
      summary: `Remove the ${scope}'s permissions policy.`,
      examples: [`artifact-cli delete-${scope}-permissions-policy ${target}`],
      options: [...where, 'policyRevision'],
      run: lazy(async () => (await policies()).deletePolicy(scope)),
    },
  ];
}

export const POLICY_COMMANDS: readonly CommandSpec[] = inGroup('Policies', [
  {
    name: 'put-package-origin-configuration',
    summary: 'Set whether a package may be published here and taken from upstreams; works before the package exists.',
    examples: [
      'artifact-cli put-package-origin-configuration --domain my-domain --repository app --format npm --namespace acme --package ui --restrictions publish=ALLOW,upstream=BLOCK',
    ],
    options: [
      'domain',
      'domainOwner',
      'repository',
      'format',
      'namespace',
      'package',
      ['restrictions', 'Both controls, e.g. publish=ALLOW,upstream=BLOCK (or JSON).'],
    ],
    run: lazy(async () => (await import('../commands/origin-configuration.js')).putPackageOriginConfiguration),
  },
  ...policyCommands('domain'),
  ...policyCommands('repository'),
]);
