/** The records kept in the JSON indexes. Field names follow the CodeArtifact API. */

/**
 * The names of the formats, filled in by the formats themselves: each src/formats/<name>/rules.ts
 * adds its name here (`declare module '../../core/model.js' { interface PackageFormatNames { <name>:
 * true } }`), so core names no format and a new format touches nothing outside its folder and the
 * registry line (docs/architecture.md, "Format rules"). The list at run time is the registry's:
 * PACKAGE_FORMATS in src/formats/registry.ts.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- empty here; each format's rules.ts adds its name
export interface PackageFormatNames {}
export type PackageFormat = Extract<keyof PackageFormatNames, string>;

export type Tag = { key: string; value: string };

export interface DomainRecord {
  name: string;
  owner: string;
  arn: string;
  status: 'Active' | 'Deleted';
  createdTime: string;
  encryptionKey: string;
  tags: Tag[];
}

export interface UpstreamRef {
  repositoryName: string;
}

export interface ExternalConnectionRef {
  externalConnectionName: string;
  packageFormat: PackageFormat;
  status: 'Available';
}

export interface RepositoryRecord {
  name: string;
  administratorAccount: string;
  domainName: string;
  domainOwner: string;
  arn: string;
  description?: string;
  upstreams: UpstreamRef[];
  externalConnections: ExternalConnectionRef[];
  createdTime: string;
  tags: Tag[];
}

export type PackageVersionStatus = 'Published' | 'Unfinished' | 'Unlisted' | 'Archived' | 'Disposed';
export type OriginType = 'INTERNAL' | 'EXTERNAL' | 'UNKNOWN';
export type Restriction = 'ALLOW' | 'BLOCK';

export interface OriginRestrictions {
  publish: Restriction;
  upstream: Restriction;
}

export interface AssetRecord {
  name: string;
  size: number;
  hashes: { 'SHA-256': string; 'SHA-1'?: string; 'SHA-512'?: string; MD5?: string };
}

export interface VersionOrigin {
  domainEntryPoint: { repositoryName?: string; externalConnectionName?: string };
  originType: OriginType;
}

export interface VersionRecord {
  version: string;
  status: PackageVersionStatus;
  revision: string;
  publishedTime: string;
  origin: VersionOrigin;
  assets: AssetRecord[];
  dependencies?: { dependencyType?: string; namespace?: string; package: string; versionRequirement?: string }[];
  summary?: string;
  homePage?: string;
  sourceCodeRepository?: string;
  licenses?: { name?: string; url?: string }[];
  readme?: string;
  /** The format's own metadata (an npm manifest, a PyPI METADATA map, ...). */
  formatMetadata?: Record<string, unknown>;
}

export interface PackageRecord {
  format: PackageFormat;
  namespace?: string;
  name: string;
  originConfiguration: { restrictions: OriginRestrictions };
  /** Package-level metadata a format keeps, e.g. npm dist-tags. */
  formatMetadata?: Record<string, unknown>;
  versions: Record<string, VersionRecord>;
}

/** Addresses one package inside one repository. */
export interface PackageKey {
  domain: string;
  repository: string;
  format: PackageFormat;
  namespace?: string;
  name: string;
}
