/**
 * Packages and package versions over the API: each calls the operation the matching CLI command
 * calls, with names and versions normalised the same way.
 */
import type { OriginRestrictions, PackageKey } from '../core/model.js';
import { ValidationError } from '../errors.js';
import { normalizePackage, normalizeVersion, parsePackageFormat } from '../formats/package-names.js';
import { copyPackageVersions } from '../operations/copy-versions.js';
import { publishGenericAsset } from '../operations/generic-publish.js';
import { putPackageOriginConfiguration } from '../operations/origin-configuration.js';
import { findDownloadableAsset, presentedAssetName } from '../operations/package-version-asset.js';
import { getPackageVersionReadme, listPackageVersionAssets, listPackageVersionDependencies } from '../operations/package-version-details.js';
import { describePackageVersion, listPackageVersions } from '../operations/package-versions.js';
import { deletePackage, describePackage, listPackages } from '../operations/packages.js';
import { deletePackageVersions, disposePackageVersions, updatePackageVersionsStatus } from '../operations/version-status.js';
import type { ApiHandler, Input } from './api-call.js';

const page = (input: Input) => ({ maxResults: input.maxResults, nextToken: input.nextToken });

function packageKeyOf(input: Input): PackageKey {
  const format = parsePackageFormat(input.format);
  return { domain: input.domain, repository: input.repository, ...normalizePackage(format, input.namespace, input.package) };
}

const versionOf = (key: PackageKey, input: Input) => normalizeVersion(key.format, input.packageVersion);
const versionsOf = (key: Pick<PackageKey, 'format'>, versions: string[] | undefined) => versions?.map((version) => normalizeVersion(key.format, version));

function revisionsOf(key: Pick<PackageKey, 'format'>, revisions: Record<string, string> | undefined): Record<string, string> | undefined {
  return revisions && Object.fromEntries(Object.entries(revisions).map(([version, revision]) => [normalizeVersion(key.format, version), revision]));
}

export const PACKAGE_HANDLERS: Record<string, ApiHandler> = {
  ListPackages: (input, { store }) =>
    listPackages(store, {
      domain: input.domain,
      repository: input.repository,
      format: input.format,
      namespace: input.namespace,
      packagePrefix: input.packagePrefix,
      publish: input.publish,
      upstream: input.upstream,
      ...page(input),
    }),
  DescribePackage: (input, { store }) => describePackage(store, packageKeyOf(input)),
  DeletePackage: (input, { store }) => deletePackage(store, packageKeyOf(input)),
  PutPackageOriginConfiguration: (input, { store }) => putPackageOriginConfiguration(store, packageKeyOf(input), input.restrictions as OriginRestrictions),

  ListPackageVersions: (input, { store }) =>
    listPackageVersions(store, packageKeyOf(input), { status: input.status, sortBy: input.sortBy, originType: input.originType, ...page(input) }),
  DescribePackageVersion: (input, { store }) => {
    const key = packageKeyOf(input);
    return describePackageVersion(store, key, versionOf(key, input));
  },
  ListPackageVersionAssets: (input, { store }) => {
    const key = packageKeyOf(input);
    return listPackageVersionAssets(store, key, versionOf(key, input), page(input));
  },
  GetPackageVersionReadme: (input, { store }) => {
    const key = packageKeyOf(input);
    return getPackageVersionReadme(store, key, versionOf(key, input));
  },
  ListPackageVersionDependencies: (input, { store }) => {
    const key = packageKeyOf(input);
    return listPackageVersionDependencies(store, key, versionOf(key, input), { nextToken: input.nextToken });
  },
  // The same checks as the CLI's download; the bytes stream to the caller instead of a file.
  GetPackageVersionAsset: async (input, { store }) => {
    const key = packageKeyOf(input);
    const { asset, version } = await findDownloadableAsset(store, key, {
      version: versionOf(key, input),
      asset: input.asset,
      packageVersionRevision: input.packageVersionRevision,
    });
    return {
      asset: { sha256: asset.hashes['SHA-256'], size: asset.size },
      assetName: presentedAssetName(key, version, asset),
      packageVersion: version.version,
      packageVersionRevision: version.revision,
    };
  },
  PublishPackageVersion: (input, { store }) => {
    if (input.format !== 'generic') {
      throw new ValidationError(`PublishPackageVersion publishes generic packages only; got format ${input.format}.`);
    }
    if (input.namespace === undefined)
      throw new ValidationError("1 validation error detected: Value at 'namespace' failed to satisfy constraint: Member must not be null for generic packages");
    return publishGenericAsset(store, {
      domain: input.domain,
      repository: input.repository,
      namespace: input.namespace,
      package: input.package,
      version: input.packageVersion,
      assetName: input.assetName,
      assetSha256: input.assetSHA256,
      content: input.assetContent,
      unfinished: Boolean(input.unfinished),
    });
  },

  UpdatePackageVersionsStatus: (input, { store }) => {
    const key = packageKeyOf(input);
    return updatePackageVersionsStatus(store, key, {
      versions: versionsOf(key, input.versions),
      versionRevisions: revisionsOf(key, input.versionRevisions),
      expectedStatus: input.expectedStatus,
      targetStatus: input.targetStatus,
    });
  },
  DisposePackageVersions: (input, { store }) => {
    const key = packageKeyOf(input);
    return disposePackageVersions(store, key, {
      versions: versionsOf(key, input.versions),
      versionRevisions: revisionsOf(key, input.versionRevisions),
      expectedStatus: input.expectedStatus,
    });
  },
  DeletePackageVersions: (input, { store }) => {
    const key = packageKeyOf(input);
    return deletePackageVersions(store, key, { versions: versionsOf(key, input.versions), expectedStatus: input.expectedStatus });
  },
  CopyPackageVersions: (input, { store }) => {
    const target = normalizePackage(parsePackageFormat(input.format), input.namespace, input.package);
    return copyPackageVersions(store, {
      domain: input.domain,
      sourceRepository: input.sourceRepository,
      destinationRepository: input.destinationRepository,
      package: target,
      versions: versionsOf(target, input.versions),
      versionRevisions: revisionsOf(target, input.versionRevisions),
      allowOverwrite: Boolean(input.allowOverwrite),
      includeFromUpstream: Boolean(input.includeFromUpstream),
    });
  },
};
