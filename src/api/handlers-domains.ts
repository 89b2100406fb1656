/**
 * Domains, repositories, tags, tokens, endpoints and permissions policies over the API: each
 * calls the operation the matching CLI command calls, with the model's members as its input.
 */
import * as domains from '../operations/domains.js';
import { getRepositoryEndpoint } from '../operations/endpoints.js';
import * as policies from '../operations/permissions-policy.js';
import * as repositories from '../operations/repositories.js';
import * as tags from '../operations/tags.js';
import { getAuthorizationToken } from '../operations/tokens.js';
import type { ApiHandler, Input } from './api-call.js';

const page = (input: Input) => ({ maxResults: input.maxResults, nextToken: input.nextToken });
const upstreamNames = (input: Input) => input.upstreams?.map((upstream) => upstream.repositoryName);
const policyTarget = (input: Input) => ({ domain: input.domain, repository: input.repository });
const policyChange = (input: Input) => ({ policyDocument: input.policyDocument, policyRevision: input.policyRevision });

export const DOMAIN_HANDLERS: Record<string, ApiHandler> = {
  CreateDomain: (input, { store }) => domains.createDomain(store, { domain: input.domain, tags: input.tags }),
  DescribeDomain: (input, { store }) => domains.describeDomain(store, input.domain),
  ListDomains: (input, { store }) => domains.listDomains(store, page(input)),
  DeleteDomain: (input, { store }) => domains.deleteDomain(store, input.domain),

  CreateRepository: (input, { store }) =>
    repositories.createRepository(store, {
      domain: input.domain,
      repository: input.repository,
      description: input.description,
      upstreams: upstreamNames(input),
      tags: input.tags,
    }),
  DescribeRepository: (input, { store }) => repositories.describeRepository(store, input.domain, input.repository),
  ListRepositories: (input, { store }) => repositories.listRepositories(store, { repositoryPrefix: input.repositoryPrefix, ...page(input) }),
  ListRepositoriesInDomain: (input, { store }) =>
    repositories.listRepositories(store, { domain: input.domain, repositoryPrefix: input.repositoryPrefix, ...page(input) }),
  UpdateRepository: (input, { store }) =>
    repositories.updateRepository(store, {
      domain: input.domain,
      repository: input.repository,
      description: input.description,
      upstreams: upstreamNames(input),
    }),
  DeleteRepository: (input, { store }) => repositories.deleteRepository(store, input.domain, input.repository),
  AssociateExternalConnection: (input, { store }) => repositories.associateExternalConnection(store, input.domain, input.repository, input.externalConnection),
  DisassociateExternalConnection: (input, { store }) =>
    repositories.disassociateExternalConnection(store, input.domain, input.repository, input.externalConnection),

  TagResource: (input, { store }) => tags.tagResource(store, input.resourceArn, input.tags ?? []),
  UntagResource: (input, { store }) => tags.untagResource(store, input.resourceArn, input.tagKeys),
  ListTagsForResource: (input, { store }) => tags.listTagsForResource(store, input.resourceArn),

  // The token speaks for the principal of the access key that asked for it.
  GetAuthorizationToken: (input, { store, principal }) =>
    getAuthorizationToken(store, { domain: input.domain, durationSeconds: input.durationSeconds, principal }),
  GetRepositoryEndpoint: (input, { store, config }) =>
    getRepositoryEndpoint(store, config, { domain: input.domain, repository: input.repository, format: input.format }),

  PutDomainPermissionsPolicy: (input, { store }) => policies.putPermissionsPolicy(store, { domain: input.domain }, policyChange(input)),
  GetDomainPermissionsPolicy: (input, { store }) => policies.getPermissionsPolicy(store, { domain: input.domain }),
  DeleteDomainPermissionsPolicy: (input, { store }) => policies.deletePermissionsPolicy(store, { domain: input.domain }, input.policyRevision),
  PutRepositoryPermissionsPolicy: (input, { store }) => policies.putPermissionsPolicy(store, policyTarget(input), policyChange(input)),
  GetRepositoryPermissionsPolicy: (input, { store }) => policies.getPermissionsPolicy(store, policyTarget(input)),
  DeleteRepositoryPermissionsPolicy: (input, { store }) => policies.deletePermissionsPolicy(store, policyTarget(input), input.policyRevision),
};
