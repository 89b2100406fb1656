/**
 * A temp store with domain "acme" and repositories "main" (upstream: "shared"), "shared" and
 * "other", plus ways to put versions into it: generic publishes, and format-specific records
 * written straight through the index store as a format would.
 */
import { createHash } from 'node:crypto';
import type { PackageKey, VersionRecord } from '../../src/core/model.js';
import { withRevision } from '../../src/core/revision.js';
import { createDomain } from '../../src/operations/domains.js';
import { publishGenericAsset } from '../../src/operations/generic-publish.js';
import { emptyPackage, PUBLISHED_FIRST } from '../../src/operations/publish.js';
import { createRepository } from '../../src/operations/repositories.js';
import { openStore, type Store } from '../../src/store/store.js';
import { makeTempDir } from '../helpers/temp-dir.js';

export const DOMAIN = 'acme';

export async function makePackageStore(): Promise<{ root: string; store: Store }> {
  const root = makeTempDir('artifact-cli-packages-');
  const store = openStore(root);
  await createDomain(store, { domain: DOMAIN });
  await createRepository(store, { domain: DOMAIN, repository: 'shared' });
  await createRepository(store, { domain: DOMAIN, repository: 'main', upstreams: ['shared'] });
  await createRepository(store, { domain: DOMAIN, repository: 'other' });
  return { root, store };
}

export function sha256(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export interface GenericSpec {
  repository?: string;
  namespace?: string;
  package?: string;
  version: string;
  assetName?: string;
  content?: string;
  unfinished?: boolean;
}

/** Publishes one generic asset (default: ns/tool, asset tool.bin with content "<version> bytes"). */
export function publishGeneric(store: Store, spec: GenericSpec) {
  const content = Buffer.from(spec.content ?? `${spec.version} bytes`);
  return publishGenericAsset(store, {
    domain: DOMAIN,
    repository: spec.repository ?? 'main',
    namespace: spec.namespace ?? 'ns',
    package: spec.package ?? 'tool',
    version: spec.version,
    assetName: spec.assetName ?? 'tool.bin',
    assetSha256: sha256(content),
    content,
    unfinished: spec.unfinished,
  });
}

export function genericKey(repository = 'main', name = 'tool'): PackageKey {
  return { domain: DOMAIN, repository, format: 'generic', namespace: 'ns', name };
}

/** A complete version record without assets, as a format would store it. */
export function versionRecord(version: string, fields: Partial<VersionRecord> = {}): VersionRecord {
  return withRevision({
    version,
    status: 'Published',
    publishedTime: '2024-01-01T00:00:00.000Z',
    origin: { domainEntryPoint: { repositoryName: 'main' }, originType: 'INTERNAL' },
    assets: [],
    ...fields,
  });
}

/** Writes versions into a package index the way a format's publish would. */
export async function putVersions(store: Store, key: PackageKey, versions: VersionRecord[], restrictions = PUBLISHED_FIRST): Promise<void> {
  await store.index.updatePackage(key, (current) => {
    const next = current ? structuredClone(current) : emptyPackage(key, restrictions);
    for (const version of versions) next.versions[version.version] = version;
    return next;
  });
}
