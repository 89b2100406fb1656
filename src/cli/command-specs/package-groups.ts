/** Package groups: patterns of packages that share origin settings. */
import { inGroup, lazy, type CommandSpec } from '../command-spec.js';
import type { OptionUse } from '../option-table.js';

const handlers = () => import('../commands/package-groups.js');

const GROUP: readonly OptionUse[] = ['domain', 'domainOwner', 'packageGroup'];
const PAGE: readonly OptionUse[] = ['maxResults', 'nextToken'];

export const PACKAGE_GROUP_COMMANDS: readonly CommandSpec[] = inGroup('Package groups', [
  {
    name: 'create-package-group',
    summary: 'Create a package group: a pattern of packages that share origin settings.',
    examples: ["artifact-cli create-package-group --domain my-domain --package-group '/npm/acme/*' --contact-info web-team@example.com"],
    options: [...GROUP, 'contactInfo', ['description', 'What the group is for.'], 'tags'],
    run: lazy(async () => (await handlers()).createPackageGroup),
  },
  {
    name: 'describe-package-group',
    summary: 'Show a package group with its effective origin settings and its parent.',
    examples: ["artifact-cli describe-package-group --domain my-domain --package-group '/npm/acme/*'"],
    options: GROUP,
    run: lazy(async () => (await handlers()).describePackageGroup),
  },
  {
    name: 'list-package-groups',
    summary: 'List the package groups of a domain, the root /* among them.',
    examples: ['artifact-cli list-package-groups --domain my-domain --prefix /npm'],
    options: [...PAGE, 'domain', 'domainOwner', 'prefix'],
    run: lazy(async () => (await handlers()).listPackageGroups),
  },
  {
    name: 'update-package-group',
    summary: "Change a package group's contact info or description.",
    examples: ["artifact-cli update-package-group --domain my-domain --package-group '/npm/acme/*' --description 'Front-end packages'"],
    options: [...GROUP, 'contactInfo', ['description', 'What the group is for.']],
    run: lazy(async () => (await handlers()).updatePackageGroup),
  },
  {
    name: 'delete-package-group',
    summary: 'Delete a package group; its children move to its parent, packages stay.',
    examples: ["artifact-cli delete-package-group --domain my-domain --package-group '/npm/acme/*'"],
    options: GROUP,
    run: lazy(async () => (await handlers()).deletePackageGroup),
  },
  {
    name: 'update-package-group-origin-configuration',
    summary: "Set how versions of the group's packages may enter repositories.",
    examples: [
      "artifact-cli update-package-group-origin-configuration --domain my-domain --package-group '/npm/acme/*' --restrictions PUBLISH=ALLOW,EXTERNAL_UPSTREAM=BLOCK",
      "artifact-cli update-package-group-origin-configuration --domain my-domain --package-group '/npm/acme/*' --add-allowed-repositories originRestrictionType=PUBLISH,repositoryName=app",
    ],
    options: [
      ...GROUP,
      ['restrictions', 'e.g. PUBLISH=BLOCK,EXTERNAL_UPSTREAM=ALLOW_SPECIFIC_REPOSITORIES,INTERNAL_UPSTREAM=INHERIT (or JSON).'],
      'addAllowedRepositories',
      'removeAllowedRepositories',
    ],
    run: lazy(async () => (await handlers()).updatePackageGroupOriginConfiguration),
  },
  {
    name: 'get-associated-package-group',
    summary: 'Show the package group a package belongs to (it need not exist).',
    examples: ['artifact-cli get-associated-package-group --domain my-domain --format npm --namespace acme --package ui'],
    options: ['format', 'namespace', 'package', 'domain', 'domainOwner'],
    run: lazy(async () => (await handlers()).getAssociatedPackageGroup),
  },
  {
    name: 'list-associated-packages',
    summary: 'List the stored packages that belong to a package group.',
    examples: ["artifact-cli list-associated-packages --domain my-domain --package-group '/npm/acme/*' --preview"],
    options: [...GROUP, ...PAGE, 'preview', 'noPreview'],
    run: lazy(async () => (await handlers()).listAssociatedPackages),
  },
  {
    name: 'list-sub-package-groups',
    summary: 'List the direct children of a package group.',
    examples: ["artifact-cli list-sub-package-groups --domain my-domain --package-group '/npm/*'"],
    options: [...GROUP, ...PAGE],
    run: lazy(async () => (await handlers()).listSubPackageGroups),
  },
  {
    name: 'list-allowed-repositories-for-group',
    summary: 'List the repositories a restriction allows under ALLOW_SPECIFIC_REPOSITORIES.',
    examples: ["artifact-cli list-allowed-repositories-for-group --domain my-domain --package-group '/npm/acme/*' --origin-restriction-type PUBLISH"],
    options: [...GROUP, ...PAGE, 'originRestrictionType'],
    run: lazy(async () => (await handlers()).listAllowedRepositoriesForGroup),
  },
]);
