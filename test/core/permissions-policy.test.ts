import { describe, expect, it } from 'vitest';
import { MAX_POLICY_CHARS, parsePolicyDocument } from '../../src/core/permissions-policy.js';
import { evaluatePolicies } from '../../src/core/policy-evaluation.js';
import { ValidationError } from '../../src/errors.js';

const REPO = 'arn:aws:codeartifact:local:000000000000:repository/acme/main';
const REPO_PACKAGES = 'arn:aws:codeartifact:local:000000000000:package/acme/main/*';
const READ = 'codeartifact:ReadFromRepository';
const PUBLISH = 'codeartifact:PublishPackageVersion';

function policy(...statements: object[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

function decide(document: string, principal: string | undefined, action: string): string {
  return evaluatePolicies([{ name: 'test', statements: parsePolicyDocument(document) }], { principal, action, resources: [REPO, REPO_PACKAGES] }).decision;
}

describe('parsePolicyDocument', () => {
  it('reads the forms IAM allows: single or listed statements, actions and resources', () => {
    const statements = parsePolicyDocument(
      JSON.stringify({
        Version: '2012-10-17',
        Statement: {
          Sid: 'read',
          Effect: 'Allow',
          Principal: { AWS: ['alice', 'arn:aws:iam::000000000000:user/team/bob', 'arn:aws:iam::000000000000:role/ci'] },
          Action: 'codeartifact:Read*',
          Resource: '*',
        },
      }),
    );
    expect(statements).toEqual([{ sid: 'read', effect: 'Allow', principals: ['alice', 'bob', 'ci'], actions: ['codeartifact:read*'], resources: ['*'] }]);
  });

  it.each([
    ['', 'it is empty'],
    ['{"Statement": [', 'it is not JSON'],
    ['[]', 'it must be a JSON object'],
    [JSON.stringify({ Version: '2012-10-17' }), 'it has no Statement'],
    [JSON.stringify({ Version: '2019-01-01', Statement: [] }), 'Version must be "2012-10-17"'],
    [JSON.stringify({ Statement: [], Extra: 1 }), 'the document has unknown keys: Extra'],
    [policy({ Effect: 'Permit', Principal: '*', Action: READ }), 'Statement 1: Effect must be "Allow" or "Deny"'],
    [policy({ Effect: 'Allow', Action: READ }), 'Statement 1 has no Principal'],
    [policy({ Effect: 'Allow', Principal: { Service: 'x' }, Action: READ }), 'only AWS principals are known here, not Service'],
    [policy({ Effect: 'Allow', Principal: { AWS: 'not a name' }, Action: READ }), '"not a name" is not a principal'],
    [policy({ Effect: 'Allow', Principal: '*' }), 'Statement 1: Action must be a string or a non-empty list'],
    [policy({ Effect: 'Allow', Principal: '*', Action: [] }), 'Action must be a string or a non-empty list'],
    [policy({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject' }), '"s3:GetObject" is not a codeartifact: action'],
    [policy({ Effect: 'Allow', Principal: '*', Action: 'codeartifact:ReadFromRepo' }), 'matches no CodeArtifact action'],
    [policy({ Effect: 'Allow', Principal: '*', Action: READ, Resource: 'arn:aws:s3:::bucket' }), 'is not "*" or a CodeArtifact ARN'],
    [
      policy({ Effect: 'Allow', Principal: '*', Action: READ, Resource: 'arn:aws:codeartifact:local:000000000000:package/acme/main/npm//react' }),
      'names single packages',
    ],
    [policy({ Effect: 'Allow', Principal: '*', Action: READ, Condition: {} }), 'uses Condition, which artifact-cli does not evaluate'],
    [policy({ Effect: 'Allow', Principal: '*', NotAction: READ }), 'uses NotAction'],
    [policy({ Effect: 'Allow', Principal: '*', Action: READ, Extra: true }), 'Statement 1 has unknown keys: Extra'],
    [policy({ Effect: 'Allow', Principal: '*', Action: READ }, { Effect: 'Deny', Principal: '*', Action: READ, Sid: 3 }), 'Statement 2: Sid must be a string'],
    [`{"Version":"2012-10-17","Statement":[],"Id":"${'x'.repeat(MAX_POLICY_CHARS)}"}`, `the limit is ${MAX_POLICY_CHARS}`],
  ])('refuses %j: %s', (document, reason) => {
    expect(() => parsePolicyDocument(document)).toThrow(ValidationError);
    expect(() => parsePolicyDocument(document)).toThrow(reason);
  });
});

describe('evaluatePolicies', () => {
  const readOnly = policy({ Effect: 'Allow', Principal: { AWS: 'reader' }, Action: READ, Resource: REPO });
  const everyone = policy({ Effect: 'Allow', Principal: '*', Action: 'codeartifact:*', Resource: '*' });
  const denyPublish = policy(
    { Effect: 'Allow', Principal: '*', Action: 'codeartifact:*', Resource: '*' },
    {
      Sid: 'no-publish',
      Effect: 'Deny',
      Principal: { AWS: 'arn:aws:iam::000000000000:user/mallory' },
      Action: 'codeartifact:Publish*',
      Resource: REPO_PACKAGES,
    },
  );

  it.each([
    [readOnly, 'reader', READ, 'Allow'],
    [readOnly, 'reader', PUBLISH, 'ImplicitDeny'],
    [readOnly, 'writer', READ, 'ImplicitDeny'],
    [readOnly, undefined, READ, 'ImplicitDeny'],
    [everyone, undefined, READ, 'Allow'],
    [everyone, 'anyone', PUBLISH, 'Allow'],
    [denyPublish, 'alice', PUBLISH, 'Allow'],
    [denyPublish, 'mallory', READ, 'Allow'],
    [denyPublish, 'mallory', PUBLISH, 'Deny'],
    // Actions are case-insensitive, ARNs are not.
    [policy({ Effect: 'Allow', Principal: '*', Action: 'CodeArtifact:readfromrepository', Resource: REPO }), 'x', READ, 'Allow'],
    [policy({ Effect: 'Allow', Principal: '*', Action: READ, Resource: REPO.replace('/main', '/MAIN') }), 'x', READ, 'ImplicitDeny'],
    // Resource wildcards: every repository of the domain, or another repository.
    [policy({ Effect: 'Allow', Principal: '*', Action: READ, Resource: 'arn:aws:codeartifact:*:*:repository/acme/*' }), 'x', READ, 'Allow'],
    [
      policy({ Effect: 'Allow', Principal: '*', Action: READ, Resource: 'arn:aws:codeartifact:local:000000000000:repository/acme/other' }),
      'x',
      READ,
      'ImplicitDeny',
    ],
    [policy({ Effect: 'Allow', Principal: '*', Action: READ, Resource: 'arn:aws:codeartifact:local:000000000000:package/acme/*' }), 'x', READ, 'Allow'],
    // The account stands for every principal with a token, but not for anonymous readers.
    [policy({ Effect: 'Allow', Principal: { AWS: '000000000000' }, Action: READ }), 'x', READ, 'Allow'],
    [policy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:root' }, Action: READ }), undefined, READ, 'ImplicitDeny'],
    // Another account's principals are nobody here.
    [policy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:user/alice' }, Action: READ }), 'alice', READ, 'ImplicitDeny'],
  ])('%s: %s doing %s -> %s', (document, principal, action, expected) => {
    expect(decide(document, principal, action)).toBe(expected);
  });

  it('takes a Deny in one policy over an Allow in another, and names it', () => {
    const verdict = evaluatePolicies(
      [
        { name: "domain acme's", statements: parsePolicyDocument(everyone) },
        { name: "repository main's", statements: parsePolicyDocument(denyPublish) },
      ],
      { principal: 'mallory', action: PUBLISH, resources: [REPO, REPO_PACKAGES] },
    );
    expect(verdict).toEqual({ decision: 'Deny', deniedBy: { policy: "repository main's", sid: 'no-publish' } });
  });

  it('decides nothing when no policy applies', () => {
    expect(evaluatePolicies([], { principal: 'x', action: PUBLISH, resources: [REPO] }).decision).toBe('NoPolicy');
  });
});
