/**
 * Package groups: create-, describe-, list-, update-, delete-package-group,
 * update-package-group-origin-configuration, get-associated-package-group,
 * list-associated-packages, list-sub-package-groups and list-allowed-repositories-for-group.
 */
import type { GroupRestrictionMode, OriginRestrictionType } from '../../core/package-group-origin.js';
import { ValidationError } from '../../errors.js';
import type { CliContext } from '../context.js';
import { parseShorthandObject, parseTags } from '../shorthand.js';
import { domainOf, packageOf, pageOf, type PackageOptions } from './packages-options.js';

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

async function target(options: GroupOptions, context: CliContext) {
  return { domain: await domainOf(options, context), packageGroup: await context.need(options.packageGroup, '--package-group') };
}

export async function createPackageGroup(options: GroupOptions, context: CliContext): Promise<unknown> {
  const { createPackageGroup } = await crud();
  const input = { ...(await target(options, context)), contactInfo: options.contactInfo, description: options.description, tags: parseTags(options.tags) };
  return createPackageGroup(await context.store(), input);
}

export async function describePackageGroup(options: GroupOptions, context: CliContext): Promise<unknown> {
  const { domain, packageGroup } = await target(options, context);
  return (await crud()).describePackageGroup(await context.store(), domain, packageGroup);
}

export async function listPackageGroups(options: GroupOptions, context: CliContext): Promise<unknown> {
  const input = { domain: await domainOf(options, context), prefix: options.prefix, ...pageOf(options) };
  return (await crud()).listPackageGroups(await context.store(), input);
}

export async function updatePackageGroup(options: GroupOptions, context: CliContext): Promise<unknown> {
  const input = { ...(await target(options, context)), contactInfo: options.contactInfo, description: options.description };
  return (await crud()).updatePackageGroup(await context.store(), input);
}

export async function deletePackageGroup(options: GroupOptions, context: CliContext): Promise<unknown> {
  const { domain, packageGroup } = await target(options, context);
  return (await crud()).deletePackageGroup(await context.store(), domain, packageGroup);
}

export async function updatePackageGroupOriginConfiguration(options: GroupOptions, context: CliContext): Promise<unknown> {
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
}

export async function getAssociatedPackageGroup(options: GroupOptions, context: CliContext): Promise<unknown> {
  const domain = await domainOf(options, context);
  return (await association()).getAssociatedPackageGroup(await context.store(), domain, await packageOf(options, context));
}

export async function listAssociatedPackages(options: GroupOptions, context: CliContext): Promise<unknown> {
  const input = { ...(await target(options, context)), preview: options.preview, ...pageOf(options) };
  return (await association()).listAssociatedPackages(await context.store(), input);
}

export async function listSubPackageGroups(options: GroupOptions, context: CliContext): Promise<unknown> {
  const input = { ...(await target(options, context)), ...pageOf(options) };
  return (await crud()).listSubPackageGroups(await context.store(), input);
}

export async function listAllowedRepositoriesForGroup(options: GroupOptions, context: CliContext): Promise<unknown> {
  const input = {
    ...(await target(options, context)),
    originRestrictionType: await context.need(options.originRestrictionType, '--origin-restriction-type'),
    ...pageOf(options),
  };
  return (await origin()).listAllowedRepositoriesForGroup(await context.store(), input);
}

/** `PUBLISH=BLOCK,EXTERNAL_UPSTREAM=ALLOW` or `{"PUBLISH":"BLOCK"}`; checked by the operation. */
function parseRestrictionMap(text: string): Partial<Record<OriginRestrictionType, GroupRestrictionMode>> {
  if (text.trim().startsWith('{')) {
    const parsed = parseJson(text, '--restrictions');
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new ValidationError('--restrictions JSON must map restriction types to modes.');
    return parsed;
  }
  return parseShorthandObject(text, '--restrictions');
}

/** `originRestrictionType=PUBLISH,repositoryName=r ...`, or the JSON list the AWS CLI also takes. */
function parseRepositoryChanges(values: string[] | undefined, flag: string) {
  if (values === undefined) return undefined;
  const entries =
    values.length === 1 && values[0].trim().startsWith('[') ? parseJson(values[0], flag) : values.map((value) => parseShorthandObject(value, flag));
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
