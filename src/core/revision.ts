/** Package version revisions: an opaque digest of one exact set of assets, status and metadata. */
import { createHash } from 'node:crypto';
import type { VersionRecord } from './model.js';

export function computeRevision(version: Omit<VersionRecord, 'revision'>): string {
  const material = JSON.stringify([
    version.version,
    version.status,
    version.assets.map((asset) => [asset.name, asset.hashes['SHA-256']]),
    version.formatMetadata ?? null,
  ]);
  return createHash('sha256').update(material).digest('base64');
}

export function withRevision(version: Omit<VersionRecord, 'revision'> & { revision?: string }): VersionRecord {
  return { ...version, revision: computeRevision(version) };
}
