/** What an operation handler gets besides its input, and the shape of the table of handlers. */
import type { Readable } from 'node:stream';
import type { Config } from '../config/config.js';
import type { OriginRestrictions, Tag } from '../core/model.js';
import type { GroupRestrictionMode, OriginRestrictionType } from '../core/package-group-origin.js';
import type { AllowedRepositoryChange } from '../operations/package-groups-origin.js';
import type { Store } from '../store/store.js';

export interface ApiCall {
  store: Store;
  /** The server's settings, with the public URL the caller reached us by. */
  config: Config;
  /** The principal the request's access key speaks for. */
  principal: string;
}

/**
 * The input members the handlers read, by the model's names and types. Inputs are checked
 * against their operation's shape before a handler sees them (parse-input.ts), so a member the
 * operation requires is there. Members are required here when every operation that has them
 * requires them, and `format`, which only ListPackages may leave out (it hands the member on
 * to an optional parameter).
 */
export interface Input {
  domain: string;
  repository: string;
  sourceRepository: string;
  destinationRepository: string;
  repositoryPrefix?: string;
  description?: string;
  upstreams?: { repositoryName: string }[];
  externalConnection: string;
  resourceArn: string;
  tags?: Tag[];
  tagKeys: string[];
  durationSeconds?: number;
  format: string;
  policyDocument: string;
  policyRevision?: string;
  maxResults?: number;
  nextToken?: string;

  packageGroup: string;
  prefix?: string;
  contactInfo?: string;
  /** PackageOriginRestrictions for a package, OriginRestrictions (type -> mode) for a group. */
  restrictions?: OriginRestrictions | Partial<Record<OriginRestrictionType, GroupRestrictionMode>>;
  addAllowedRepositories?: AllowedRepositoryChange[];
  removeAllowedRepositories?: AllowedRepositoryChange[];
  originRestrictionType: string;
  preview?: boolean;

  namespace?: string;
  package: string;
  packagePrefix?: string;
  publish?: string;
  upstream?: string;
  packageVersion: string;
  packageVersionRevision?: string;
  status?: string;
  sortBy?: string;
  originType?: string;
  asset: string;
  assetName: string;
  assetSHA256: string;
  assetContent: Readable;
  unfinished?: boolean;
  versions?: string[];
  versionRevisions?: Record<string, string>;
  expectedStatus?: string;
  targetStatus: string;
  allowOverwrite?: boolean;
  includeFromUpstream?: boolean;
}

export type ApiHandler = (input: Input, call: ApiCall) => Promise<object | undefined>;
