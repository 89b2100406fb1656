/**
 * Package groups: create-, describe-, list-, update-, delete-package-group,
 * update-package-group-origin-configuration, get-associated-package-group,
 * list-associated-packages, list-sub-package-groups and list-allowed-repositories-for-group.
 */
import type { Command } from 'commander';
import type { GroupRestrictionMode, OriginRestrictionType } from '../../core/package-group-origin.js';
import { ValidationError } from '../../errors.js';
import { action, collect, type CliContext } from '../context.js';
import { parseShorthandObject, parseTags } from '../shorthand.js';
import { addPackageOptions, addPageOptions, domainOf, packageOf, pageOf, type PackageOptions } from './packages-options.js';

interface GroupOptions extends PackageOptions {
  packageGroup?: string;
  contactInfo?: string;
  description?: string;
  tags?: string[];
  prefix?: string;
  restrictions?: string;
  addAllowedRepositories?: string[];
  removeAllowedRepositories?: string[];
  preview?: boolean;
  originRestrictionType?: string;
}

const crud = () => import('../../operations/package-groups.js');
const origin = () => import('../../operations/package-groups-origin.js');
const association = () => import('../../operations/package-groups-association.js');

function groupCommand(program: Command, name: string, description: string): Command {
  return program
    .command(name)
    .description(description)
    .option('--domain <name>', 'The domain.')
    .option('--domain-owner <account>', 'Accepted for AWS CLI compatibility.')
    .option('--package-group <pattern>', 'The group\'s pattern, e.g. /npm/space/* (quote it in the shell).');
}

async function target(options: GroupOptions, context: CliContext) {
  return { domain: await domainOf(options, context), packageGroup: await context.need(options.packageGroup, '--package-group') };
}

export function register(program: Command): void {
  groupCommand(program, 'create-package-group', 'Create a package group: a pattern of packages that share origin settings.')
    .option('--contact-info <text>', 'Who to ask about the group.')
    .option('--description <text>', 'What the group is for.')
    .option('--tags <tag...>', 'Tags as key=KEY,value=VALUE (or a JSON list).', collect)
    .action(
      action<GroupOptions>(async (options, context) => {
        const { createPackageGroup } = await crud();
        const input = { ...(await target(options, context)), contactInfo: options.contactInfo, description: options.description, tags: parseTags(options.tags) };
        return createPackageGroup(await context.store(), input);
      }),
    );

  groupCommand(program, 'describe-package-group', 'Show a package group with its effective origin settings and its parent.').action(
    action<GroupOptions>(async (options, context) => {
      const { domain, packageGroup } = await target(options, context);
      return (await crud()).describePackageGroup(await context.store(), domain, packageGroup);
    }),
  );

  addPageOptions(program.command('list-package-groups').description('List the package groups of a domain, the root /* among them.'))
    .option('--domain <name>', 'The domain.')
    .option('--domain-owner <account>', 'Accepted for AWS CLI compatibility.')
    .option('--prefix <text>', 'Only groups whose pattern starts with this.')
    .action(
      action<GroupOptions>(async (options, context) => {
        const input = { domain: await domainOf(options, context), prefix: options.prefix, ...pageOf(options) };
        return (await crud()).listPackageGroups(await context.store(), input);
      }),
    );

  groupCommand(program, 'update-package-group', 'Change a package group\'s contact info or description.')
    .option('--contact-info <text>', 'Who to ask about the group.')
    .option('--description <text>', 'What the group is for.')
    .action(
      action<GroupOptions>(async (options, context) => {
        const input = { ...(await target(options, context)), contactInfo: options.contactInfo, description: options.description };
        return (await crud()).updatePackageGroup(await context.store(), input);
      }),
    );

  groupCommand(program, 'delete-package-group', 'Delete a package group; its children move to its parent, packages stay.').action(
    action<GroupOptions>(async (options, context) => {
      const { domain, packageGroup } = await target(options, context);
      return (await crud()).deletePackageGroup(await context.store(), domain, packageGroup);
    }),
  );

  groupCommand(program, 'update-package-group-origin-configuration', 'Set how versions of the group\'s packages may enter repositories.')
    .option('--restrictions <type=mode,...>', 'e.g. PUBLISH=BLOCK,EXTERNAL_UPSTREAM=ALLOW_SPECIFIC_REPOSITORIES,INTERNAL_UPSTREAM=INHERIT (or JSON).')
    .option('--add-allowed-repositories <entry...>', 'originRestrictionType=TYPE,repositoryName=NAME entries (or a JSON list).', collect)
    .option('--remove-allowed-repositories <entry...>', 'originRestrictionType=TYPE,repositoryName=NAME entries (or a JSON list).', collect)
    .action(
      action<GroupOptions>(async (options, context) => {
        const input = {
          ...(await target(options, context)),
          restrictions: options.restrictions === undefined ? undefined : parseRestrictionMap(options.restrictions),
          addAllowedRepositories: parseRepositoryChanges(options.addAllowedRepositories, '--add-allowed-repositories'),
          removeAllowedRepositories: parseRepositoryChanges(options.removeAllowedRepositories, '--remove-allowed-repositories'),
        };
        if (!input.restrictions && !input.addAllowedRepositories && !input.removeAllowedRepositories) {
          throw new ValidationError('Nothing to change.', { hint: 'Pass --restrictions, --add-allowed-repositories or --remove-allowed-repositories.' });
        }
        return (await origin()).updatePackageGroupOriginConfiguration(await context.store(), input);
      }),
    );

  addPackageOptions(program.command('get-associated-package-group').description('Show the package group a package belongs to (it need not exist).'))
    .option('--domain <name>', 'The domain.')
    .option('--domain-owner <account>', 'Accepted for AWS CLI compatibility.')
    .action(
      action<GroupOptions>(async (options, context) => {
        const domain = await domainOf(options, context);
        return (await association()).getAssociatedPackageGroup(await context.store(), domain, await packageOf(options, context));
      }),
    );

  addPageOptions(groupCommand(program, 'list-associated-packages', 'List the stored packages that belong to a package group.'))
    .option('--preview', 'List the packages the group would have, even if it does not exist yet.')
    .option('--no-preview', 'Only for an existing group (the default).')
    .action(
      action<GroupOptions>(async (options, context) => {
        const input = { ...(await target(options, context)), preview: options.preview, ...pageOf(options) };
        return (await association()).listAssociatedPackages(await context.store(), input);
      }),
    );

  addPageOptions(groupCommand(program, 'list-sub-package-groups', 'List the direct children of a package group.')).action(
    action<GroupOptions>(async (options, context) => {
      const input = { ...(await target(options, context)), ...pageOf(options) };
      return (await crud()).listSubPackageGroups(await context.store(), input);
    }),
  );

  addPageOptions(groupCommand(program, 'list-allowed-repositories-for-group', 'List the repositories a restriction allows under ALLOW_SPECIFIC_REPOSITORIES.'))
    .option('--origin-restriction-type <type>', 'PUBLISH, EXTERNAL_UPSTREAM or INTERNAL_UPSTREAM.')
    .action(
      action<GroupOptions>(async (options, context) => {
        const input = { ...(await target(options, context)), originRestrictionType: await context.need(options.originRestrictionType, '--origin-restriction-type'), ...pageOf(options) };
        return (await origin()).listAllowedRepositoriesForGroup(await context.store(), input);
      }),
    );
}

/** `PUBLISH=BLOCK,EXTERNAL_UPSTREAM=ALLOW` or `{"PUBLISH":"BLOCK"}`; checked by the operation. */
function parseRestrictionMap(text: string): Partial<Record<OriginRestrictionType, GroupRestrictionMode>> {
  if (text.trim().startsWith('{')) {
    const parsed = parseJson(text, '--restrictions');
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ValidationError('--restrictions JSON must map restriction types to modes.');
    return parsed;
  }
  return parseShorthandObject(text, '--restrictions');
}

/** `originRestrictionType=PUBLISH,repositoryName=r ...`, or the JSON list the AWS CLI also takes. */
function parseRepositoryChanges(values: string[] | undefined, flag: string) {
  if (values === undefined) return undefined;
  const entries = values.length === 1 && values[0].trim().startsWith('[') ? parseJson(values[0], flag) : values.map((value) => parseShorthandObject(value, flag));
  if (!Array.isArray(entries)) throw new ValidationError(`${flag} JSON must be a list.`);
  return entries.map((entry: { originRestrictionType?: unknown; repositoryName?: unknown }) => {
    if (typeof entry?.repositoryName !== 'string' || typeof entry.originRestrictionType !== 'string') {
      throw new ValidationError(`Each ${flag} entry needs originRestrictionType=TYPE,repositoryName=NAME.`);
    }
    return { repositoryName: entry.repositoryName, originRestrictionType: entry.originRestrictionType as OriginRestrictionType };
  });
}

function parseJson(text: string, flag: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationError(`${flag} holds JSON that does not parse.`);
  }
}
