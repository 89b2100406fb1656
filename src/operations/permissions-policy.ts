/**
 * put-, get- and delete-domain-permissions-policy and the repository versions: one policy
 * document per domain and per repository, validated before it is stored, with a new revision
 * on every put. A --policy-revision given with a put or delete must be the current one, so two
 * administrators editing at once cannot silently overwrite each other.
 */
import { randomBytes } from 'node:crypto';
import { domainArn, repositoryArn } from '../core/arn.js';
import { parsePolicyDocument, type StoredPolicy } from '../core/permissions-policy.js';
import { ConflictError, ResourceNotFoundError, ValidationError } from '../errors.js';
import type { Store } from '../store/store.js';
import { requireDomain } from './domains.js';
import { requireRepository } from './repositories.js';

/** A domain's policy, or a repository's when `repository` is set. */
export interface PolicyTarget {
  domain: string;
  repository?: string;
}

const REVISION = /^\S{1,50}$/;

function describeTarget(target: PolicyTarget): string {
  return target.repository === undefined ? `Domain ${target.domain}` : `Repository ${target.repository}`;
}

function checkRevision(revision: string | undefined): void {
  if (revision !== undefined && !REVISION.test(revision)) throw new ValidationError('--policy-revision must be 1 to 50 characters with no whitespace.');
}

function revisionMismatch(target: PolicyTarget, current: StoredPolicy | undefined, given: string): ConflictError {
  return new ConflictError(
    current
      ? `${describeTarget(target)}'s permissions policy is at revision ${current.revision}, not ${given}; it was changed meanwhile.`
      : `${describeTarget(target)} has no permissions policy, so there is no revision ${given}.`,
    { hint: 'Read the current policy with get-*-permissions-policy, merge your change, and pass its revision.' },
  );
}

/** Runs `work` with the target's existence checked; a repository cannot be deleted meanwhile. */
async function withTarget<T>(store: Store, target: PolicyTarget, work: () => Promise<T>): Promise<T> {
  await requireDomain(store, target.domain);
  if (target.repository === undefined) return work();
  const repository = target.repository;
  await requireRepository(store, target.domain, repository);
  return store.index.withDomainLock(target.domain, async () => {
    await requireRepository(store, target.domain, repository);
    return work();
  });
}

export async function putPermissionsPolicy(store: Store, target: PolicyTarget, input: { policyDocument: string; policyRevision?: string }) {
  parsePolicyDocument(input.policyDocument);
  checkRevision(input.policyRevision);
  const resourceArn = target.repository === undefined ? domainArn(target.domain) : repositoryArn(target.domain, target.repository);
  const stored = await withTarget(store, target, () =>
    store.index.updatePermissionsPolicy(target.domain, target.repository, (current) => {
      if (input.policyRevision !== undefined && current?.revision !== input.policyRevision) throw revisionMismatch(target, current, input.policyRevision);
      return { resourceArn, revision: randomBytes(24).toString('base64'), document: input.policyDocument };
    }),
  );
  return { policy: { ...(stored as StoredPolicy) } };
}

export async function getPermissionsPolicy(store: Store, target: PolicyTarget) {
  await (target.repository === undefined ? requireDomain(store, target.domain) : requireRepository(store, target.domain, target.repository));
  const stored = await store.index.getPermissionsPolicy(target.domain, target.repository);
  if (!stored) throw noPolicy(target);
  return { policy: { ...stored } };
}

export async function deletePermissionsPolicy(store: Store, target: PolicyTarget, policyRevision?: string) {
  checkRevision(policyRevision);
  let deleted: StoredPolicy | undefined;
  await withTarget(store, target, () =>
    store.index.updatePermissionsPolicy(target.domain, target.repository, (current) => {
      if (!current) throw noPolicy(target);
      if (policyRevision !== undefined && current.revision !== policyRevision) throw revisionMismatch(target, current, policyRevision);
      deleted = current;
      return undefined;
    }),
  );
  return { policy: { ...(deleted as StoredPolicy) } };
}

function noPolicy(target: PolicyTarget): ResourceNotFoundError {
  return new ResourceNotFoundError(`${describeTarget(target)} has no permissions policy.`, {
    resourceType: target.repository === undefined ? 'domain' : 'repository',
    resourceId: target.repository ?? target.domain,
  });
}
