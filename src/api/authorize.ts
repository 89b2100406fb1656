/**
 * Permissions policies for API calls. Each call needs the IAM action its operation names
 * (codeartifact:CreateRepository, ...) on what it touches: the domain's policy applies to every
 * call on the domain, the repository's to calls on that repository. As for tokens at the
 * package endpoints (server/policy.ts): with no policy everything is allowed; once one applies,
 * an explicit Deny refuses, an Allow grants, and anything else is refused.
 */
import { LOCAL_ACCOUNT, LOCAL_REGION, domainArn, parseArn, repositoryArn } from '../core/arn.js';
import { evaluatePolicies, type ApplicablePolicy } from '../core/policy-evaluation.js';
import { AccessDeniedError, ValidationError } from '../errors.js';
import type { Store } from '../store/store.js';
import { policyStatements } from '../server/policy.js';
import type { ApiInput } from './parse-input.js';

interface Target {
  domain: string;
  repository?: string;
}

/** The domain and repositories a call touches, from its input. */
function targetsOf(input: ApiInput): Target[] {
  if (typeof input.resourceArn === 'string') {
    try {
      return [parseArn(input.resourceArn)];
    } catch (error) {
      // The operation itself words a bad ARN; nothing to check here then.
      if (error instanceof ValidationError) return [];
      throw error;
    }
  }
  if (typeof input.domain !== 'string') return [];
  const repositories = [input.repository, input.sourceRepository, input.destinationRepository].filter((name): name is string => typeof name === 'string');
  return repositories.length ? repositories.map((repository) => ({ domain: input.domain as string, repository })) : [{ domain: input.domain }];
}

export async function authorizeCall(store: Store, operation: string, input: ApiInput, principal: string): Promise<void> {
  const action = `codeartifact:${operation}`;
  for (const target of targetsOf(input)) {
    const policies: ApplicablePolicy[] = [];
    // Names are checked by the operation; a name the store cannot hold has no policy either.
    const domainPolicy = await store.index.getPermissionsPolicy(target.domain).catch(() => undefined);
    if (domainPolicy) policies.push({ name: `domain ${target.domain}'s`, statements: policyStatements(domainPolicy, `domain ${target.domain}'s`) });
    if (target.repository !== undefined) {
      const repositoryPolicy = await store.index.getPermissionsPolicy(target.domain, target.repository).catch(() => undefined);
      if (repositoryPolicy)
        policies.push({ name: `repository ${target.repository}'s`, statements: policyStatements(repositoryPolicy, `repository ${target.repository}'s`) });
    }
    const resources =
      target.repository === undefined
        ? [domainArn(target.domain)]
        : [
            repositoryArn(target.domain, target.repository),
            `arn:aws:codeartifact:${LOCAL_REGION}:${LOCAL_ACCOUNT}:package/${target.domain}/${target.repository}/*`,
          ];
    const verdict = evaluatePolicies(policies, { principal, action, resources });
    if (verdict.decision === 'Allow' || verdict.decision === 'NoPolicy') continue;
    const on = target.repository === undefined ? `domain ${target.domain}` : `repository ${target.repository} of domain ${target.domain}`;
    const by = verdict.deniedBy
      ? `${verdict.deniedBy.sid ? `statement ${JSON.stringify(verdict.deniedBy.sid)} of the ` : 'a statement of the '}${verdict.deniedBy.policy} permissions policy denies it`
      : `no statement of the ${policies.map((policy) => policy.name).join(' or the ')} permissions policy allows it`;
    throw new AccessDeniedError(`User: ${principal} is not authorized to perform: ${action} on ${on}: ${by}.`);
  }
}
