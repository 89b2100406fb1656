/** Package groups over the API: each calls the operation the matching CLI command calls. */
import type { GroupRestrictionMode, OriginRestrictionType } from '../core/package-group-origin.js';
import { normalizePackage, parsePackageFormat } from '../formats/package-names.js';
import { getAssociatedPackageGroup, listAssociatedPackages } from '../operations/package-groups-association.js';
import { listAllowedRepositoriesForGroup, updatePackageGroupOriginConfiguration } from '../operations/package-groups-origin.js';
import * as groups from '../operations/package-groups.js';
import type { ApiHandler, Input } from './api-call.js';

const page = (input: Input) => ({ maxResults: input.maxResults, nextToken: input.nextToken });

export const GROUP_HANDLERS: Record<string, ApiHandler> = {
  CreatePackageGroup: (input, { store }) =>
    groups.createPackageGroup(store, {
      domain: input.domain,
      packageGroup: input.packageGroup,
      contactInfo: input.contactInfo,
      description: input.description,
      tags: input.tags,
    }),
  DescribePackageGroup: (input, { store }) => groups.describePackageGroup(store, input.domain, input.packageGroup),
  ListPackageGroups: (input, { store }) => groups.listPackageGroups(store, { domain: input.domain, prefix: input.prefix, ...page(input) }),
  UpdatePackageGroup: (input, { store }) =>
    groups.updatePackageGroup(store, {
      domain: input.domain,
      packageGroup: input.packageGroup,
      contactInfo: input.contactInfo,
      description: input.description,
    }),
  DeletePackageGroup: (input, { store }) => groups.deletePackageGroup(store, input.domain, input.packageGroup),
  ListSubPackageGroups: (input, { store }) => groups.listSubPackageGroups(store, { domain: input.domain, packageGroup: input.packageGroup, ...page(input) }),
  UpdatePackageGroupOriginConfiguration: (input, { store }) =>
    updatePackageGroupOriginConfiguration(store, {
      domain: input.domain,
      packageGroup: input.packageGroup,
      // The group's OriginRestrictions shape: restriction type -> mode.
      restrictions: input.restrictions as Partial<Record<OriginRestrictionType, GroupRestrictionMode>> | undefined,
      addAllowedRepositories: input.addAllowedRepositories,
      removeAllowedRepositories: input.removeAllowedRepositories,
    }),
  ListAllowedRepositoriesForGroup: (input, { store }) =>
    listAllowedRepositoriesForGroup(store, {
      domain: input.domain,
      packageGroup: input.packageGroup,
      originRestrictionType: input.originRestrictionType,
      ...page(input),
    }),
  GetAssociatedPackageGroup: (input, { store }) =>
    getAssociatedPackageGroup(store, input.domain, normalizePackage(parsePackageFormat(input.format), input.namespace, input.package)),
  ListAssociatedPackages: (input, { store }) =>
    listAssociatedPackages(store, { domain: input.domain, packageGroup: input.packageGroup, preview: input.preview, ...page(input) }),
};
