/** ARNs in CodeArtifact's shapes, with a fixed local region and account. */
import { ValidationError } from '../errors.js';

export const LOCAL_REGION = 'local';
export const LOCAL_ACCOUNT = '000000000000';

const PREFIX = `arn:aws:codeartifact:${LOCAL_REGION}:`;

export function domainArn(domain: string, owner = LOCAL_ACCOUNT): string {
  return `${PREFIX}${owner}:domain/${domain}`;
}

export function repositoryArn(domain: string, repository: string, owner = LOCAL_ACCOUNT): string {
  return `${PREFIX}${owner}:repository/${domain}/${repository}`;
}

/** A package group's ARN is package-group/<domain><pattern>, as the IAM reference writes it. */
export function packageGroupArn(domain: string, pattern: string, owner = LOCAL_ACCOUNT): string {
  return `${PREFIX}${owner}:package-group/${domain}${pattern}`;
}

export type ParsedArn =
  { kind: 'domain'; domain: string } | { kind: 'repository'; domain: string; repository: string } | { kind: 'package-group'; domain: string; pattern: string };

/** The resource an ARN names; the caller checks the names and patterns in it. */
export function parseArn(arn: string): ParsedArn {
  const match = /^arn:aws:codeartifact:[^:]*:[0-9]{12}:(domain|repository|package-group)\/(.+)$/.exec(arn);
  if (match) {
    const parts = match[2].split('/');
    if (match[1] === 'domain' && parts.length === 1) return { kind: 'domain', domain: parts[0] };
    if (match[1] === 'repository' && parts.length === 2) return { kind: 'repository', domain: parts[0], repository: parts[1] };
    // The pattern keeps its own slashes: package-group/acme/npm/scope/* is /npm/scope/* in acme.
    if (match[1] === 'package-group' && parts.length >= 2) return { kind: 'package-group', domain: parts[0], pattern: `/${parts.slice(1).join('/')}` };
  }
  throw new ValidationError(`${JSON.stringify(arn)} is not a domain, repository or package group ARN.`, {
    hint: 'Take the arn field from describe-domain, describe-repository or describe-package-group.',
  });
}
