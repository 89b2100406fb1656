/**
 * Permissions policies at the server's door. Every request runs as a principal (the token's, or
 * "anonymous" for an anonymous read) and needs one action on its repository: the route's
 * `action`, else ReadFromRepository for reads and PublishPackageVersion for writes. With no
 * policy on the domain or the repository, every token of the domain may do everything; once
 * either has one, an explicit Deny refuses, an Allow grants, and anything else is refused.
 */
import { LOCAL_ACCOUNT, LOCAL_REGION, repositoryArn } from '../core/arn.js';
import { parsePolicyDocument, type PolicyStatement, type StoredPolicy } from '../core/permissions-policy.js';
import type { RepositoryAction } from '../core/policy-actions.js';
import { evaluatePolicies, type ApplicablePolicy } from '../core/policy-evaluation.js';
import { AccessDeniedError } from '../errors.js';
import type { Route, ServerDeps } from './route.js';

const statementsOf = new WeakMap<StoredPolicy, readonly PolicyStatement[]>();

export function policyStatements(stored: StoredPolicy, name: string): readonly PolicyStatement[] {
  let parsed = statementsOf.get(stored);
  if (!parsed) {
    try {
      parsed = parsePolicyDocument(stored.document);
    } catch (error) {
      // A stored document that no longer parses (edited by hand) must not open the door.
      throw new AccessDeniedError(`The ${name} permissions policy cannot be read, so nothing it governs is allowed.`, {
        cause: error,
        hint: 'Replace it with put-*-permissions-policy, or remove it with delete-*-permissions-policy.',
      });
    }
    if (Object.isFrozen(stored)) statementsOf.set(stored, parsed);
  }
  return parsed;
}

export function actionOf(route: Route, match: RegExpExecArray): RepositoryAction {
  if (typeof route.action === 'function') return route.action(match);
  return route.action ?? (route.access === 'read' ? 'codeartifact:ReadFromRepository' : 'codeartifact:PublishPackageVersion');
}

export interface PolicyCheck {
  domain: string;
  repository: string;
  /** The token's principal; undefined for an anonymous read. */
  principal?: string;
  action: RepositoryAction;
}

/** Throws AccessDeniedError unless the domain's and the repository's policies let the principal do this. */
export async function authorizeRequest(deps: Pick<ServerDeps, 'store'>, check: PolicyCheck): Promise<void> {
  const { index } = deps.store;
  // One after the other: both are in-memory reads almost always, and Promise.all costs more.
  const domainPolicy = await index.getPermissionsPolicy(check.domain);
  const repositoryPolicy = await index.getPermissionsPolicy(check.domain, check.repository);
  if (!domainPolicy && !repositoryPolicy) return;
  const policies: ApplicablePolicy[] = [];
  if (domainPolicy) policies.push({ name: `domain ${check.domain}'s`, statements: policyStatements(domainPolicy, `domain ${check.domain}'s`) });
  if (repositoryPolicy)
    policies.push({ name: `repository ${check.repository}'s`, statements: policyStatements(repositoryPolicy, `repository ${check.repository}'s`) });
  const verdict = evaluatePolicies(policies, {
    principal: check.principal,
    action: check.action,
    // The repository, and all of its packages as one: requests are checked per repository.
    resources: [
      repositoryArn(check.domain, check.repository),
      `arn:aws:codeartifact:${LOCAL_REGION}:${LOCAL_ACCOUNT}:package/${check.domain}/${check.repository}/*`,
    ],
  });
  if (verdict.decision === 'Allow' || verdict.decision === 'NoPolicy') return;
  const who = check.principal ?? 'anonymous';
  const attempt = `${who} may not perform ${check.action} on repository ${check.repository} of domain ${check.domain}`;
  if (verdict.deniedBy) {
    const statement = verdict.deniedBy.sid ? `statement ${JSON.stringify(verdict.deniedBy.sid)} of the ` : 'a statement of the ';
    throw new AccessDeniedError(`${attempt}: ${statement}${verdict.deniedBy.policy} permissions policy denies it.`, {
      hint: 'An explicit Deny wins over every Allow; ask an administrator to change the policy.',
    });
  }
  throw new AccessDeniedError(`${attempt}: no statement of the ${policies.map((policy) => policy.name).join(' or the ')} permissions policy allows it.`, {
    hint: `Once a permissions policy exists, only what it allows is allowed; an administrator can add an Allow for ${who} with put-*-permissions-policy.`,
  });
}

/** A message as an HTTP reason phrase: one line of visible ASCII, cut short enough for proxies. */
export function reasonPhraseOf(message: string): string {
  const line = message.replace(/[^\x20-\x7e]+/g, ' ').trim();
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}
