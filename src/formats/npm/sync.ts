/**
 * Pulls exact npm versions through a repository's chain into it, as installs would, so a later
 * offline install finds everything stored. Used by `artifact-cli sync`.
 */
import semver from 'semver';
import { ResourceNotFoundError, ValidationError } from '../../errors.js';
import { materializeTarball, readableSources, type NpmReadContext } from './external-packages.js';
import { parsePackageName } from './package-name.js';
import { buildPackageView, findDownloadableVersion } from './package-view.js';

export interface SyncRequest {
  name: string;
  /** An exact version (from a lockfile) ... */
  version?: string;
  /** ... or a range or dist-tag (from --package name@range). */
  range?: string;
  /** The integrity the lockfile pinned; the stored bytes must match it. */
  integrity?: string;
}

export interface SyncFailure {
  package: string;
  version?: string;
  error: string;
}

export interface SyncResult {
  fetched: string[];
  alreadyPresent: string[];
  failed: SyncFailure[];
}

export interface SyncOptions {
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
}

/** `name@range`, `@scope/name@range` or a bare name (meaning `latest`). */
export function parsePackageSpec(spec: string): SyncRequest {
  const at = spec.indexOf('@', spec.startsWith('@') ? 1 : 0);
  if (at < 0) return { name: spec, range: 'latest' };
  const range = spec.slice(at + 1);
  if (!range) throw new ValidationError(`--package ${JSON.stringify(spec)} has an empty version range.`);
  return { name: spec.slice(0, at), range };
}

export async function syncPackages(context: NpmReadContext, requests: readonly SyncRequest[], options: SyncOptions = {}): Promise<SyncResult> {
  const result: SyncResult = { fetched: [], alreadyPresent: [], failed: [] };
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < requests.length) {
      const request = requests[next++];
      try {
        const outcome = await syncOne(context, request);
        result[outcome.kind].push(outcome.id);
      } catch (error) {
        result.failed.push({ package: request.name, version: request.version ?? request.range, error: (error as Error).message });
      }
      options.onProgress?.(++done, requests.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 8, requests.length)) }, worker));
  result.fetched.sort();
  result.alreadyPresent.sort();
  return result;
}

async function syncOne(context: NpmReadContext, request: SyncRequest): Promise<{ kind: 'fetched' | 'alreadyPresent'; id: string }> {
  const name = parsePackageName(request.name);
  const sources = await readableSources(context, name);
  const version = request.version ?? pickVersion(sources, request.range ?? 'latest');
  if (!version) throw new ResourceNotFoundError(`No version of ${name.fullName} matches ${request.range}.`);
  const found = findDownloadableVersion(sources, version);
  if (!found) throw new ResourceNotFoundError(`${name.fullName}@${version} is not available through repository ${context.repository.name}.`);
  const stored = found.source.repository === context.repository.name && !found.source.external;
  const asset = await materializeTarball(context, name, found.source, found.record);
  if (!asset) throw new ResourceNotFoundError(`${name.fullName}@${version} has no tarball.`);
  checkIntegrity(request.integrity, asset.hashes['SHA-512'], `${name.fullName}@${version}`);
  return { kind: stored ? 'alreadyPresent' : 'fetched', id: `${name.fullName}@${version}` };
}

function pickVersion(sources: Parameters<typeof buildPackageView>[0], range: string): string | undefined {
  const view = buildPackageView(sources);
  if (Object.hasOwn(view.distTags, range)) return view.distTags[range];
  if (!semver.validRange(range)) throw new ValidationError(`${JSON.stringify(range)} is neither a version range nor a dist-tag.`);
  return semver.maxSatisfying([...view.versions.keys()], range) ?? undefined;
}

/** Lockfiles pin SRI integrity; only sha512 entries can be compared with what is stored. */
function checkIntegrity(integrity: string | undefined, sha512Hex: string | undefined, id: string): void {
  const pinned = integrity?.split(/\s+/).find((entry) => entry.startsWith('sha512-'));
  if (!pinned || !sha512Hex) return;
  const actual = `sha512-${Buffer.from(sha512Hex, 'hex').toString('base64')}`;
  if (actual !== pinned) throw new ValidationError(`${id} does not match the integrity the lockfile pinned.`);
}
