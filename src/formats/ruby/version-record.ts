/**
 * What a Ruby version record keeps: its .gem files (one per platform) as assets and, per file,
 * the gemspec facts the compact index and the Marshal gemspec are built from, in
 * formatMetadata.gems[<file name>]. The record's common fields (dependencies, summary, readme,
 * licences, home page) come from the first file of the version.
 */
import type { VersionRecord } from '../../core/model.js';
import type { NewVersion } from '../../operations/publish.js';
import { gemFileName } from './gem-names.js';
import type { GemSpec } from './gem-spec.js';
import { displayRequirement } from './requirements.js';

export interface StoredGemFacts extends Omit<GemSpec, 'name' | 'version'> {
  uploadTime: string;
}

export type GemFactsByFile = Record<string, StoredGemFacts>;

export function gemFactsOf(record: Pick<VersionRecord, 'formatMetadata'>): GemFactsByFile {
  const gems = record.formatMetadata?.gems;
  return gems && typeof gems === 'object' ? (gems as GemFactsByFile) : {};
}

export function withGemFacts(formatMetadata: Record<string, unknown> | undefined, fileName: string, facts: StoredGemFacts): Record<string, unknown> {
  return { ...formatMetadata, gems: { ...gemFactsOf({ formatMetadata }), [fileName]: facts } };
}

export function factsFromSpec(spec: GemSpec, uploadTime: string): StoredGemFacts {
  const { name: _name, version: _version, ...facts } = spec;
  return { ...facts, uploadTime };
}

export function specFileName(spec: Pick<GemSpec, 'name' | 'version' | 'platform'>): string {
  return gemFileName(spec.name, spec.version, spec.platform);
}

/** The new version record for a gem's first file. */
export function versionFromSpec(spec: GemSpec, assets: NewVersion['assets'], uploadTime: string): NewVersion {
  const result: NewVersion = {
    version: spec.version,
    assets,
    formatMetadata: withGemFacts(undefined, specFileName(spec), factsFromSpec(spec, uploadTime)),
    dependencies: spec.dependencies.map((dependency) => ({
      dependencyType: dependency.type,
      package: dependency.name,
      versionRequirement: displayRequirement(dependency.requirement),
    })),
  };
  if (spec.summary) result.summary = spec.summary;
  if (spec.description) result.readme = spec.description;
  if (spec.homepage) result.homePage = spec.homepage;
  const source = spec.metadata.source_code_uri;
  if (source) result.sourceCodeRepository = source;
  if (spec.licenses.length) result.licenses = spec.licenses.map((name) => ({ name }));
  return result;
}
