/**
 * The digests of the maven-metadata.xml files clients uploaded lately, kept in the package record
 * so the checksum files each client uploads next can be checked against the bytes they describe.
 * The bytes themselves are not kept: the repository serves metadata generated from what it stores.
 */
import { createHash } from 'node:crypto';
import type { PackageRecord } from '../../core/model.js';
import type { ChecksumAlgorithm } from './maven-path.js';

export type MetadataDigests = Record<ChecksumAlgorithm, string>;

/** The key for artifact-level metadata; version-level metadata is kept under its version. */
export const ARTIFACT_LEVEL = '';

export function digestsOf(bytes: Buffer): MetadataDigests {
  const hex = (algorithm: string) => createHash(algorithm).update(bytes).digest('hex');
  return { md5: hex('md5'), sha1: hex('sha1'), sha256: hex('sha256'), sha512: hex('sha512') };
}

interface Upload extends MetadataDigests {
  at?: string;
}

// Clients deploying other versions of one artifact at the same moment each upload their own
// maven-metadata.xml, and theirs may land between a client's upload and its checksum files; so
// the digests of every recent upload are kept (for a while, and a bounded number), not the last only.
const RECENT_UPLOADS = 64;
const RECENT_MS = 10 * 60 * 1000;

/** Package formatMetadata with an upload of one level added to the recent ones. */
export function withUploadedDigests(
  formatMetadata: Record<string, unknown> | undefined,
  level: string,
  digests: MetadataDigests,
  now = new Date(),
): Record<string, unknown> {
  const uploaded = { ...(formatMetadata?.uploadedMetadata as Record<string, unknown> | undefined) };
  const recent = uploadsOf(uploaded, level).filter((upload) => upload.at !== undefined && now.getTime() - Date.parse(upload.at) < RECENT_MS);
  const value = [{ ...digests, at: now.toISOString() }, ...recent].slice(0, RECENT_UPLOADS);
  Object.defineProperty(uploaded, level, { value, enumerable: true, writable: true, configurable: true });
  return { ...formatMetadata, uploadedMetadata: uploaded };
}

/** The digests of the recent uploads of one level, newest first. */
export function uploadedDigests(record: PackageRecord | undefined, level: string): MetadataDigests[] {
  const uploaded = record?.formatMetadata?.uploadedMetadata as Record<string, unknown> | undefined;
  return uploaded ? uploadsOf(uploaded, level) : [];
}

/** Records written before the recent uploads were kept hold one upload instead of a list. */
function uploadsOf(uploaded: Record<string, unknown>, level: string): Upload[] {
  const value = Object.hasOwn(uploaded, level) ? uploaded[level] : undefined;
  if (Array.isArray(value)) return value as Upload[];
  return value && typeof value === 'object' ? [value as Upload] : [];
}

/** What a group-level (plugin prefix) upload said about one plugin, kept on that plugin's package. */
export interface PluginInfo {
  prefix: string;
  name?: string;
  groupMetadata: MetadataDigests;
}

export function pluginInfoOf(record: PackageRecord | undefined): PluginInfo | undefined {
  const value = record?.formatMetadata?.plugin as Partial<PluginInfo> | undefined;
  return value && typeof value.prefix === 'string' && value.groupMetadata ? (value as PluginInfo) : undefined;
}
