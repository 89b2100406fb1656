/** Packages and their versions: listing, reading, changing status, copying, publishing generic assets. */
import { inGroup, lazy, type CommandSpec } from '../command-spec.js';
import type { OptionUse } from '../option-table.js';

const packages = () => import('../commands/packages.js');
const versions = () => import('../commands/package-versions.js');
const batches = () => import('../commands/package-versions-batch.js');

const PACKAGE: readonly OptionUse[] = ['domain', 'domainOwner', 'repository', 'format', 'namespace', 'package'];
const VERSION: readonly OptionUse[] = [...PACKAGE, 'packageVersion'];
const WHERE = '--domain my-domain --repository app';

export const PACKAGE_COMMANDS: readonly CommandSpec[] = inGroup('Packages and versions', [
  {
    name: 'list-packages',
    summary: 'List the packages a repository stores itself (upstreams are not searched).',
    examples: [`artifact-cli list-packages ${WHERE} --format npm --output table`],
    options: [
      'domain',
      'domainOwner',
      'repository',
      ['format', 'Only packages of this format.'],
      ['namespace', 'Only packages whose namespace starts with this.'],
      'packagePrefix',
      'publish',
      'upstream',
      'maxResults',
      'nextToken',
    ],
    run: lazy(async () => (await packages()).listPackages),
  },
  {
    name: 'describe-package',
    summary: 'Show a package and its origin controls.',
    examples: [`artifact-cli describe-package ${WHERE} --format npm --namespace acme --package ui`],
    options: PACKAGE,
    run: lazy(async () => (await packages()).describePackage),
  },
  {
    name: 'delete-package',
    summary: 'Delete a package with all its versions from a repository; blobs stay until gc.',
    examples: [`artifact-cli delete-package ${WHERE} --format pypi --package requests`],
    options: PACKAGE,
    run: lazy(async () => (await packages()).deletePackage),
  },
  {
    name: 'list-package-versions',
    summary: 'List the versions of a package, of every status unless --status is given.',
    examples: [`artifact-cli list-package-versions ${WHERE} --format npm --package lodash --status Published`],
    options: [...PACKAGE, 'status', 'sortBy', 'originType', 'maxResults', 'nextToken'],
    run: lazy(async () => (await versions()).listPackageVersions),
  },
  {
    name: 'describe-package-version',
    summary: 'Show one version: status, revision, origin and metadata.',
    examples: [`artifact-cli describe-package-version ${WHERE} --format npm --package lodash --package-version 4.17.21`],
    options: VERSION,
    run: lazy(async () => (await versions()).describePackageVersion),
  },
  {
    name: 'list-package-version-assets',
    summary: 'List the files of a version with their sizes and hashes.',
    examples: [`artifact-cli list-package-version-assets ${WHERE} --format pypi --package requests --package-version 2.32.3`],
    options: [...VERSION, 'maxResults', 'nextToken'],
    run: lazy(async () => (await versions()).listPackageVersionAssets),
  },
  {
    name: 'get-package-version-asset',
    summary: 'Save one asset of a version to a file (- for standard output); its SHA-256 is checked on the way.',
    examples: [`artifact-cli get-package-version-asset ${WHERE} --format npm --package lodash --package-version 4.17.21 --asset lodash-4.17.21.tgz lodash.tgz`],
    options: [...VERSION, 'asset', 'packageVersionRevision'],
    argument: { name: 'outfile', description: 'File to write the asset to; - writes it to standard output (and prints nothing else there).' },
    run: lazy(async () => (await versions()).getPackageVersionAsset),
  },
  {
    name: 'get-package-version-readme',
    summary: 'Print the readme stored with a version.',
    examples: [`artifact-cli get-package-version-readme ${WHERE} --format npm --package lodash --package-version 4.17.21`],
    options: VERSION,
    run: lazy(async () => (await versions()).getPackageVersionReadme),
  },
  {
    name: 'list-package-version-dependencies',
    summary: 'List the dependencies a version declares.',
    examples: [`artifact-cli list-package-version-dependencies ${WHERE} --format npm --package express --package-version 4.21.2`],
    options: [...VERSION, 'nextToken'],
    run: lazy(async () => (await versions()).listPackageVersionDependencies),
  },
  {
    name: 'update-package-versions-status',
    summary: 'Set versions to Published, Unlisted or Archived.',
    examples: [
      `artifact-cli update-package-versions-status ${WHERE} --format npm --package ui --namespace acme --versions 1.0.0 1.0.1 --target-status Archived`,
    ],
    options: [...PACKAGE, 'versions', 'expectedStatus', 'versionRevisions', 'targetStatus'],
    run: lazy(async () => (await batches()).updatePackageVersionsStatus),
  },
  {
    name: 'dispose-package-versions',
    summary: 'Mark versions Disposed and drop their assets; the records stay (blobs go with gc).',
    examples: [`artifact-cli dispose-package-versions ${WHERE} --format pypi --package mylib --versions 0.1.0`],
    options: [...PACKAGE, 'versions', 'expectedStatus', 'versionRevisions'],
    run: lazy(async () => (await batches()).disposePackageVersions),
  },
  {
    name: 'delete-package-versions',
    summary: 'Remove versions entirely, so their numbers can be published again.',
    examples: [`artifact-cli delete-package-versions ${WHERE} --format pypi --package mylib --versions 0.1.0`],
    options: [...PACKAGE, 'versions', 'expectedStatus'],
    run: lazy(async () => (await batches()).deletePackageVersions),
  },
  {
    name: 'copy-package-versions',
    summary: 'Copy versions to another repository of the domain; assets are shared, not copied.',
    examples: [
      'artifact-cli copy-package-versions --domain my-domain --source-repository staging --destination-repository release --format npm --package ui --namespace acme --versions 1.2.0',
    ],
    options: [
      ['domain', 'The domain of both repositories.'],
      'domainOwner',
      'sourceRepository',
      'destinationRepository',
      'format',
      'namespace',
      'package',
      ['versions', 'The versions to copy.'],
      ['versionRevisions', 'The versions to copy, each only if at this revision.'],
      'allowOverwrite',
      'noAllowOverwrite',
      'includeFromUpstream',
      'noIncludeFromUpstream',
    ],
    run: lazy(async () => (await batches()).copyPackageVersions),
  },
  {
    name: 'publish-package-version',
    summary: 'Publish one asset of a generic package version (one asset per call).',
    examples: [
      `artifact-cli publish-package-version ${WHERE} --format generic --namespace tools --package cli --package-version 1.0.0 --asset-name cli.tar.gz --asset-content cli.tar.gz --asset-sha256 HEX`,
    ],
    options: [
      'domain',
      'domainOwner',
      'repository',
      ['format', 'Must be generic: the only format published this way.'],
      ['namespace', 'The namespace (required for generic packages).'],
      ['package', 'The package name.'],
      'packageVersion',
      'assetName',
      'assetContent',
      'assetSha256',
      'unfinished',
      'noUnfinished',
    ],
    run: lazy(async () => (await import('../commands/generic.js')).publishPackageVersion),
  },
]);
