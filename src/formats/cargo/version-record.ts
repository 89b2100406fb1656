/**
 * What a cargo version record holds: the index line (formatMetadata.index) and, for the API's
 * describe and list commands, the Cargo.toml fields the publish metadata carries.
 */
import type { AssetRecord } from '../../core/model.js';
import type { NewVersion } from '../../operations/publish.js';
import { crateKey } from './crate-name.js';
import type { IndexLine } from './index-line.js';
import type { PublishMetadata } from './publish-body.js';

export function crateAssetName(line: Pick<IndexLine, 'name' | 'vers'>): string {
  return `${line.name}-${line.vers}.crate`;
}

/** The CodeArtifact-style dependency list of a line (the real crate name, lowercased as stored). */
export function dependenciesOf(line: IndexLine): NewVersion['dependencies'] {
  return line.deps.map((dep) => ({ dependencyType: dep.kind, package: crateKey(dep.package ?? dep.name), versionRequirement: dep.req }));
}

export function versionFromLine(line: IndexLine, asset: AssetRecord, metadata?: PublishMetadata): NewVersion {
  const version: NewVersion = { version: line.vers, assets: [asset], dependencies: dependenciesOf(line), formatMetadata: { index: line } };
  if (!metadata) return version;
  if (metadata.description) version.summary = metadata.description;
  if (metadata.homepage) version.homePage = metadata.homepage;
  if (metadata.repository) version.sourceCodeRepository = metadata.repository;
  if (metadata.license) version.licenses = [{ name: metadata.license }];
  if (metadata.readme) version.readme = metadata.readme;
  const extra: Record<string, unknown> = {};
  if (metadata.documentation) extra.documentation = metadata.documentation;
  if (metadata.keywords.length) extra.keywords = metadata.keywords;
  if (metadata.categories.length) extra.categories = metadata.categories;
  if (metadata.authors.length) extra.authors = metadata.authors;
  version.formatMetadata = { index: line, ...extra };
  return version;
}
