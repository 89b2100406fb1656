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

export type ParsedArn = { kind: 'domain'; domain: string } | { kind: 'repository'; domain: string; repository: string };

export function parseArn(arn: string): ParsedArn {
  const match = /^arn:aws:codeartifact:[^:]*:[0-9]{12}:(domain|repository)\/(.+)$/.exec(arn);
  if (match) {
    const parts = match[2].split('/');
    if (match[1] === 'domain' && parts.length === 1) return { kind: 'domain', domain: parts[0] };
    if (match[1] === 'repository' && parts.length === 2) return { kind: 'repository', domain: parts[0], repository: parts[1] };
  }
  throw new ValidationError(`${JSON.stringify(arn)} is not a domain or repository ARN.`, {
    hint: 'Take the arn field from describe-domain or describe-repository.',
  });
}
