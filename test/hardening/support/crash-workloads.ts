/**
 * What the crash test does to a store before it kills the process doing it, and how it checks
 * afterwards that everything the client was told had happened did happen. Server bursts mix
 * publishes of every format, a slowly streamed upload (so a kill lands mid-body) and status
 * changes; CLI workloads publish, copy, change statuses and collect garbage.
 */
import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import type { PackageKey, PackageVersionStatus } from '../../../src/core/model.js';
import { publishGenericAsset } from '../../../src/operations/generic-publish.js';
import type { Store } from '../../../src/store/store.js';
import { DOMAIN } from './hardening-server.js';
import { genericUpload, mavenDeploy, npmPublish, nugetPush, pypiUpload, type PlannedRequest } from './publish-requests.js';

/** A state the store must be in if the request behind it was acknowledged. */
export interface AcknowledgedEffect {
  label: string;
  request: PlannedRequest;
  format: string;
  /** Undefined when the store shows the acknowledged effect, else what is wrong. */
  check: (store: Store) => Promise<string | undefined>;
}

const key = (format: PackageKey['format'], name: string, namespace?: string, repository = 'main'): PackageKey => ({
  domain: DOMAIN,
  repository,
  format,
  namespace,
  name,
});

export function versionCheck(packageKey: PackageKey, version: string, status: PackageVersionStatus | 'any' = 'Published', asset?: string) {
  return async (store: Store): Promise<string | undefined> => {
    const record = await store.index.getPackage(packageKey);
    const found = record && Object.hasOwn(record.versions, version) ? record.versions[version] : undefined;
    const label = `${packageKey.format} ${packageKey.namespace ?? ''}/${packageKey.name}@${version}`;
    if (!found) return `${label} is missing`;
    if (status !== 'any' && found.status !== status) return `${label} is ${found.status}, not ${status}`;
    if (asset && !found.assets.some((candidate) => candidate.name === asset)) return `${label} lacks ${asset}`;
    return undefined;
  };
}

/** The requests of one server burst, run number `run` (names differ per run). */
export function serverBurst(token: string, run: number): AcknowledgedEffect[] {
  const steps: AcknowledgedEffect[] = [];
  for (const minor of [1, 2, 3]) {
    const version = `${run}.${minor}.0`;
    steps.push({
      label: `npm ${version}`,
      format: 'npm',
      request: npmPublish(token, 'crash-npm', version),
      check: versionCheck(key('npm', 'crash-npm'), version),
    });
  }
  for (const minor of [1, 2]) {
    const version = `${run}.${minor}`;
    steps.push({
      label: `pypi ${version}`,
      format: 'pypi',
      request: pypiUpload(token, 'crash-py', version),
      check: versionCheck(key('pypi', 'crash-py'), version),
    });
  }
  const nugetVersion = `${run}.0.0`;
  steps.push({
    label: `nuget ${nugetVersion}`,
    format: 'nuget',
    request: nugetPush(token, 'Crash.Pkg', nugetVersion),
    check: versionCheck(key('nuget', 'crash.pkg'), nugetVersion),
  });
  // The version seeded before the burst is unlisted during it.
  steps.push({
    label: 'nuget unlist',
    format: 'nuget',
    request: { method: 'DELETE', path: 'api/v2/package/Crash.Pkg/0.0.1', headers: { 'x-nuget-apikey': token } },
    check: versionCheck(key('nuget', 'crash.pkg'), '0.0.1', 'Unlisted'),
  });
  const mavenVersion = `${run}.0`;
  for (const [index, planned] of mavenDeploy(token, 'com.acme.crash', 'lib', mavenVersion).entries()) {
    const file = planned.path.split('/').pop() as string;
    const isFile = !file.includes('maven-metadata') && !/\.(sha1|md5)$/.test(file);
    const check =
      file === 'maven-metadata.xml'
        ? versionCheck(key('maven', 'lib', 'com.acme.crash'), mavenVersion)
        : isFile
          ? versionCheck(key('maven', 'lib', 'com.acme.crash'), mavenVersion, 'any', file)
          : () => Promise.resolve(undefined);
    steps.push({ label: `maven #${index} ${file}`, format: 'maven', request: planned, check });
  }
  const genericVersion = `${run}.0`;
  steps.push({
    label: `generic ${genericVersion}`,
    format: 'generic',
    request: genericUpload(token, 'ns', 'crash', genericVersion),
    check: versionCheck(key('generic', 'crash', 'ns'), genericVersion),
  });
  return steps;
}

export interface StreamedUpload {
  label: string;
  check: (store: Store) => Promise<string | undefined>;
  /** Resolves to the status, or 0 when the connection died. */
  sent: Promise<number>;
}

/** A generic upload of `size` random bytes sent in slices over `durationMs`, as a slow client on a slow link would. */
export function streamGenericUpload(endpoint: string, token: string, version: string, size: number, durationMs: number): StreamedUpload {
  const bytes = randomBytes(size);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const sent = new Promise<number>((resolve) => {
    const req = request(
      `${endpoint}ns/streamed/${version}/streamed.bin`,
      { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'x-checksum-sha256': sha256, 'content-length': size } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', () => resolve(0));
      },
    );
    req.on('error', () => resolve(0));
    const slices = 20;
    let next = 0;
    const timer = setInterval(() => {
      const start = Math.floor((next * size) / slices);
      const end = Math.floor(((next + 1) * size) / slices);
      next += 1;
      if (req.destroyed) return clearInterval(timer);
      if (next === slices) {
        clearInterval(timer);
        req.end(bytes.subarray(start, end));
      } else req.write(bytes.subarray(start, end));
    }, durationMs / slices);
  });
  return { label: `generic streamed ${version}`, sent, check: versionCheck(key('generic', 'streamed', 'ns'), version) };
}

/** Versions 1..count of generic ns/seeded in repository main, published in-process. */
export async function seedGeneric(store: Store, count: number): Promise<string[]> {
  const versions: string[] = [];
  for (let index = 1; index <= count; index++) {
    const content = Buffer.from(`seeded ${index} ${randomBytes(8).toString('hex')}`);
    const version = `1.0.${index}`;
    await publishGenericAsset(store, {
      domain: DOMAIN,
      repository: 'main',
      namespace: 'ns',
      package: 'seeded',
      version,
      assetName: 'seeded.bin',
      assetSha256: createHash('sha256').update(content).digest('hex'),
      content,
    });
    versions.push(version);
  }
  return versions;
}

export const seededKey = (repository = 'main'): PackageKey => key('generic', 'seeded', 'ns', repository);
