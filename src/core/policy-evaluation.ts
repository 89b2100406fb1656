/**
 * Evaluating permissions policies for one request, as IAM does within one account: an explicit
 * Deny in any applicable policy wins; otherwise an Allow in any of them grants; otherwise, once
 * any policy applies, the request is denied. With no policy at all nothing is decided here.
 */
import type { PolicyStatement } from './permissions-policy.js';

export interface PolicyRequest {
  /** The token's principal name; undefined for an anonymous read. */
  principal?: string;
  /** e.g. codeartifact:ReadFromRepository */
  action: string;
  /** The ARNs the request touches (a repository, and all of its packages). */
  resources: readonly string[];
}

/** ImplicitDeny: policies apply but none of their statements allows the request. */
export type PolicyDecision = 'Allow' | 'Deny' | 'ImplicitDeny' | 'NoPolicy';

interface CompiledStatement {
  effect: 'Allow' | 'Deny';
  principals: '*' | Set<string>;
  actions: RegExp[];
  resources: RegExp[];
}

const compiled = new WeakMap<readonly PolicyStatement[], CompiledStatement[]>();

function globToRegExp(pattern: string, ignoreCase: boolean): RegExp {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, ignoreCase ? 'is' : 's');
}

function compile(statements: readonly PolicyStatement[]): CompiledStatement[] {
  let result = compiled.get(statements);
  if (!result) {
    result = statements.map((statement) => ({
      effect: statement.effect,
      principals: statement.principals === '*' ? '*' : new Set(statement.principals),
      // IAM action names are case-insensitive; ARNs are not.
      actions: statement.actions.map((action) => globToRegExp(action, true)),
      resources: statement.resources.map((resource) => globToRegExp(resource, false)),
    }));
    compiled.set(statements, result);
  }
  return result;
}

function principalMatches(principals: CompiledStatement['principals'], principal: string | undefined): boolean {
  if (principals === '*') return true;
  if (principal === undefined) return false;
  return principals.has(principal) || principals.has('*account');
}

/** One policy that applies to the request, named for messages ("the domain's", "repository main's"). */
export interface ApplicablePolicy {
  name: string;
  statements: readonly PolicyStatement[];
}

export interface PolicyVerdict {
  decision: PolicyDecision;
  /** For an explicit Deny: the policy and statement that said so. */
  deniedBy?: { policy: string; sid?: string };
}

/** The decision of every policy that applies (the domain's, the repository's) taken together. */
export function evaluatePolicies(policies: readonly ApplicablePolicy[], request: PolicyRequest): PolicyVerdict {
  if (policies.length === 0) return { decision: 'NoPolicy' };
  let allowed = false;
  for (const policy of policies) {
    const statements = compile(policy.statements);
    for (const [index, statement] of statements.entries()) {
      if (!principalMatches(statement.principals, request.principal)) continue;
      if (!statement.actions.some((action) => action.test(request.action))) continue;
      if (!statement.resources.some((resource) => request.resources.some((arn) => resource.test(arn)))) continue;
      if (statement.effect === 'Deny') return { decision: 'Deny', deniedBy: { policy: policy.name, sid: policy.statements[index].sid } };
      allowed = true;
    }
  }
  return { decision: allowed ? 'Allow' : 'ImplicitDeny' };
}
