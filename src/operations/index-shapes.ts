/**
 * Shape checks of the JSON indexes for `verify`: enough to know that every reader will find the
 * fields it relies on. Each returns the problems found, as short phrases.
 */
import { isPackageFormat } from '../formats/registry.js';
import { VERSION_STATUSES } from './package-versions.js';

type IndexKind = 'domain' | 'tokens' | 'repository' | 'package' | 'other';

/** What a file is, from where it sits: domains/<d>/..., relative to the domains/ directory. */
export function indexKindOf(relative: string[]): IndexKind {
  if (relative.length === 2 && relative[1] === 'domain.json') return 'domain';
  if (relative.length === 2 && relative[1] === 'tokens.json') return 'tokens';
  if (relative.length === 4 && relative[1] === 'repositories' && relative[3] === 'repository.json') return 'repository';
  if (relative.length === 7 && relative[1] === 'repositories' && relative[3] === 'packages') return 'package';
  return 'other';
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isString = (value: unknown): value is string => typeof value === 'string';

export function checkDomainShape(value: unknown): string[] {
  if (!isObject(value)) return ['is not a JSON object'];
  return [...requireStrings(value, ['name', 'owner', 'arn', 'status', 'createdTime']), ...(Array.isArray(value.tags) ? [] : ['has no tags list'])];
}

export function checkTokensShape(value: unknown): string[] {
  if (!isObject(value) || !Array.isArray(value.tokens)) return ['has no tokens list'];
  return value.tokens.flatMap((token, index) =>
    isObject(token) && isString(token.hash) && isString(token.expiration) ? [] : [`token ${index} lacks hash or expiration`],
  );
}

export function checkRepositoryShape(value: unknown): string[] {
  if (!isObject(value)) return ['is not a JSON object'];
  const problems = requireStrings(value, ['name', 'domainName', 'arn', 'createdTime']);
  if (!Array.isArray(value.upstreams) || !value.upstreams.every((entry) => isObject(entry) && isString(entry.repositoryName)))
    problems.push('has no valid upstreams list');
  if (!Array.isArray(value.externalConnections)) problems.push('has no externalConnections list');
  return problems;
}

/** The asset of a package index that verify checks against the blob store. */
export interface AssetReference {
  version: string;
  name: string;
  size: number;
  hashes: Record<string, string>;
}

/** Checks a package index; also returns its assets so their blobs can be checked. */
export function checkPackageShape(value: unknown): { problems: string[]; assets: AssetReference[] } {
  if (!isObject(value)) return { problems: ['is not a JSON object'], assets: [] };
  const problems = requireStrings(value, ['name']);
  if (!isPackageFormat(value.format)) problems.push(`has an unknown format ${JSON.stringify(value.format)}`);
  const restrictions = isObject(value.originConfiguration) ? value.originConfiguration.restrictions : undefined;
  if (
    !isObject(restrictions) ||
    !['ALLOW', 'BLOCK'].includes(restrictions.publish as string) ||
    !['ALLOW', 'BLOCK'].includes(restrictions.upstream as string)
  ) {
    problems.push('has no valid originConfiguration.restrictions');
  }
  if (!isObject(value.versions)) return { problems: [...problems, 'has no versions map'], assets: [] };
  const assets: AssetReference[] = [];
  for (const [key, version] of Object.entries(value.versions)) {
    if (!isObject(version)) {
      problems.push(`version ${key} is not an object`);
      continue;
    }
    if (version.version !== key) problems.push(`version ${key} records the version ${JSON.stringify(version.version)}`);
    if (!VERSION_STATUSES.includes(version.status as never)) problems.push(`version ${key} has an unknown status ${JSON.stringify(version.status)}`);
    if (!isString(version.revision) || !isString(version.publishedTime)) problems.push(`version ${key} lacks revision or publishedTime`);
    if (!isObject(version.origin)) problems.push(`version ${key} has no origin`);
    if (!Array.isArray(version.assets)) {
      problems.push(`version ${key} has no assets list`);
      continue;
    }
    for (const asset of version.assets) {
      if (!isObject(asset) || !isString(asset.name) || typeof asset.size !== 'number' || !isObject(asset.hashes) || !isString(asset.hashes['SHA-256'])) {
        problems.push(`version ${key} has an asset without name, size or SHA-256`);
        continue;
      }
      assets.push({ version: key, name: asset.name, size: asset.size, hashes: asset.hashes as Record<string, string> });
    }
  }
  return { problems, assets };
}

function requireStrings(value: Record<string, unknown>, fields: string[]): string[] {
  return fields.filter((field) => !isString(value[field])).map((field) => `lacks the text field ${field}`);
}
