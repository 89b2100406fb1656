import { describe, expect, it } from 'vitest';
import { ConflictError, ResourceNotFoundError, ValidationError } from '../../src/errors.js';
import { deletePermissionsPolicy, getPermissionsPolicy, putPermissionsPolicy } from '../../src/operations/permissions-policy.js';
import { createRepository, deleteRepository } from '../../src/operations/repositories.js';
import { getAuthorizationToken, verifyToken } from '../../src/operations/tokens.js';
import { DOMAIN, makePackageStore } from './packages-fixture.js';
import { stringMatching } from '../helpers/matchers.js';

const DOCUMENT = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: '*', Action: 'codeartifact:ReadFromRepository', Resource: '*' }],
});

describe('permissions policies', () => {
  it('stores a domain policy with a new revision on every put, and checks a given revision', async () => {
    const { store } = await makePackageStore();
    const first = await putPermissionsPolicy(store, { domain: DOMAIN }, { policyDocument: DOCUMENT });
    expect(first.policy).toEqual({
      resourceArn: 'arn:aws:codeartifact:local:000000000000:domain/acme',
      revision: stringMatching(/^\S{1,50}$/),
      document: DOCUMENT,
    });
    expect(await getPermissionsPolicy(store, { domain: DOMAIN })).toEqual(first);

    const second = await putPermissionsPolicy(store, { domain: DOMAIN }, { policyDocument: DOCUMENT, policyRevision: first.policy.revision });
    expect(second.policy.revision).not.toBe(first.policy.revision);
    const stale = putPermissionsPolicy(store, { domain: DOMAIN }, { policyDocument: DOCUMENT, policyRevision: first.policy.revision });
    await expect(stale).rejects.toThrow(ConflictError);
    await expect(stale).rejects.toThrow(
      `Domain acme's permissions policy is at revision ${second.policy.revision}, not ${first.policy.revision}; it was changed meanwhile.`,
    );
    await expect(deletePermissionsPolicy(store, { domain: DOMAIN }, first.policy.revision)).rejects.toThrow(ConflictError);

    expect(await deletePermissionsPolicy(store, { domain: DOMAIN }, second.policy.revision)).toEqual(second);
    await expect(getPermissionsPolicy(store, { domain: DOMAIN })).rejects.toThrow('Domain acme has no permissions policy.');
    await expect(deletePermissionsPolicy(store, { domain: DOMAIN })).rejects.toThrow(ResourceNotFoundError);
    await expect(putPermissionsPolicy(store, { domain: DOMAIN }, { policyDocument: DOCUMENT, policyRevision: 'abc' })).rejects.toThrow(
      'Domain acme has no permissions policy, so there is no revision abc.',
    );
  });

  it('keeps repository policies apart and removes one with its repository', async () => {
    const { store } = await makePackageStore();
    const put = await putPermissionsPolicy(store, { domain: DOMAIN, repository: 'other' }, { policyDocument: DOCUMENT });
    expect(put.policy.resourceArn).toBe('arn:aws:codeartifact:local:000000000000:repository/acme/other');
    await expect(getPermissionsPolicy(store, { domain: DOMAIN, repository: 'main' })).rejects.toThrow('Repository main has no permissions policy.');
    await expect(getPermissionsPolicy(store, { domain: DOMAIN })).rejects.toThrow(ResourceNotFoundError);
    await deleteRepository(store, DOMAIN, 'other');
    await createRepository(store, { domain: DOMAIN, repository: 'other' });
    await expect(getPermissionsPolicy(store, { domain: DOMAIN, repository: 'other' })).rejects.toThrow(ResourceNotFoundError);
    await expect(putPermissionsPolicy(store, { domain: DOMAIN, repository: 'ghost' }, { policyDocument: DOCUMENT })).rejects.toThrow(
      'Repository ghost does not exist',
    );
  });

  it('refuses an invalid document with the reason and keeps the policy it had', async () => {
    const { store } = await makePackageStore();
    await putPermissionsPolicy(store, { domain: DOMAIN }, { policyDocument: DOCUMENT });
    const bad = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'codeartifact:Publish' }] });
    const refused = putPermissionsPolicy(store, { domain: DOMAIN }, { policyDocument: bad });
    await expect(refused).rejects.toThrow(ValidationError);
    await expect(refused).rejects.toThrow('The policy document is not valid: Statement 1: "codeartifact:Publish" matches no CodeArtifact action');
    expect((await getPermissionsPolicy(store, { domain: DOMAIN })).policy.document).toBe(DOCUMENT);
    await expect(putPermissionsPolicy(store, { domain: DOMAIN }, { policyDocument: DOCUMENT, policyRevision: 'has space' })).rejects.toThrow(
      '--policy-revision must be 1 to 50 characters',
    );
  });

  it('issues tokens that speak for a principal a policy can name', async () => {
    const { store } = await makePackageStore();
    const { authorizationToken } = await getAuthorizationToken(store, { domain: DOMAIN, principal: 'ci-bot@acme.test' });
    expect(await verifyToken(store, DOMAIN, authorizationToken)).toMatchObject({ principal: 'ci-bot@acme.test' });
    await expect(getAuthorizationToken(store, { domain: DOMAIN, principal: 'two words' })).rejects.toThrow('--principal "two words" is not a principal name');
    await expect(getAuthorizationToken(store, { domain: DOMAIN, principal: 'arn:aws:iam::000000000000:user/x' })).rejects.toThrow(ValidationError);
  });
});
