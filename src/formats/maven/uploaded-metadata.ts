/**
 * The digests of the maven-metadata.xml a client last uploaded, kept in the package record so
 * the checksum files it uploads next can be checked against the bytes they describe. The bytes
 * themselves are not kept: the repository serves metadata generated from what it stores.
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

/** Package formatMetadata with the digests of one level replaced. */
export function withUploadedDigests(formatMetadata: Record<string, unknown> | undefined, level: string, digests: MetadataDigests): Record<string, unknown> {
  const uploaded = { ...(formatMetadata?.uploadedMetadata as Record<string, MetadataDigests> | undefined) };
  Object.defineProperty(uploaded, level, { value: digests, enumerable: true, writable: true, configurable: true });
  return { ...formatMetadata, uploadedMetadata: uploaded };
}

export function uploadedDigests(record: PackageRecord | undefined, level: string): MetadataDigests | undefined {
  const uploaded = record?.formatMetadata?.uploadedMetadata as Record<string, MetadataDigests> | undefined;
  return uploaded && Object.hasOwn(uploaded, level) ? uploaded[level] : undefined;
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
