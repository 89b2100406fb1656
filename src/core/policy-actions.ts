/**
 * The codeartifact: actions a permissions policy can name: every API operation of the service
 * model, plus the IAM-only actions package managers need (docs/reference/api.md).
 */
export const CODEARTIFACT_ACTIONS: readonly string[] = [
  'AssociateExternalConnection',
  'AssociateWithDownstreamRepository',
  'CopyPackageVersions',
  'CreateDomain',
  'CreatePackageGroup',
  'CreateRepository',
  'DeleteDomain',
  'DeleteDomainPermissionsPolicy',
  'DeletePackage',
  'DeletePackageGroup',
  'DeletePackageVersions',
  'DeleteRepository',
  'DeleteRepositoryPermissionsPolicy',
  'DescribeDomain',
  'DescribePackage',
  'DescribePackageGroup',
  'DescribePackageVersion',
  'DescribeRepository',
  'DisassociateExternalConnection',
  'DisposePackageVersions',
  'GetAssociatedPackageGroup',
  'GetAuthorizationToken',
  'GetDomainPermissionsPolicy',
  'GetPackageVersionAsset',
  'GetPackageVersionReadme',
  'GetRepositoryEndpoint',
  'GetRepositoryPermissionsPolicy',
  'ListAllowedRepositoriesForGroup',
  'ListAssociatedPackages',
  'ListDomains',
  'ListPackageGroups',
  'ListPackageVersionAssets',
  'ListPackageVersionDependencies',
  'ListPackageVersions',
  'ListPackages',
  'ListRepositories',
  'ListRepositoriesInDomain',
  'ListSubPackageGroups',
  'ListTagsForResource',
  'PublishPackageVersion',
  'PutDomainPermissionsPolicy',
  'PutPackageMetadata',
  'PutPackageOriginConfiguration',
  'PutRepositoryPermissionsPolicy',
  'ReadFromRepository',
  'TagResource',
  'UntagResource',
  'UpdatePackageGroup',
  'UpdatePackageGroupOriginConfiguration',
  'UpdatePackageVersionsStatus',
  'UpdateRepository',
];

/** The actions a package manager's requests map to (see Route.action). */
export type RepositoryAction =
  | 'codeartifact:ReadFromRepository'
  | 'codeartifact:PublishPackageVersion'
  | 'codeartifact:PutPackageMetadata'
  | 'codeartifact:DeletePackage'
  | 'codeartifact:DeletePackageVersions'
  | 'codeartifact:UpdatePackageVersionsStatus';
