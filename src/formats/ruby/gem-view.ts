/**
 * One gem as Ruby clients see it through a repository: stored records along the upstream chain
 * (nearest first), then the public registry's files. As with PyPI, a version's status is decided
 * by the nearest repository that holds it, and its files (one per platform) are gathered from
 * every place that has them, nearest copy first.
 *
 * Status mapping: Published is in the compact index; Unlisted (what `gem yank` sets) is left out
 * of it but its files stay downloadable, so locked installs keep working; Archived, Unfinished
 * and Disposed are neither listed nor served.
 */
import type { AssetRecord, PackageVersionStatus, VersionRecord } from '../../core/model.js';
import type { PackageSource } from '../../upstream/resolve.js';
import type { ExternalGem } from './external-index.js';
import { RUBY_PLATFORM } from './gem-names.js';
import { compareGemVersions } from './gem-version-order.js';
import type { Requirement } from './requirements.js';
import { gemFactsOf, type StoredGemFacts } from './version-record.js';

export interface StoredGemSource {
  kind: 'stored';
  repository: string;
  record: VersionRecord;
  asset: AssetRecord;
  facts: StoredGemFacts;
}

export interface ExternalGemSource {
  kind: 'external';
  gem: ExternalGem;
}

export interface GemEntry {
  fileName: string;
  version: string;
  platform: string;
  sha256: string;
  /** Runtime dependencies only: the compact index lists no others. */
  dependencies: { name: string; requirement: Requirement }[];
  ruby: Requirement;
  rubygems: Requirement;
  /** In the compact index (Published); otherwise only downloadable (Unlisted). */
  listed: boolean;
  source: StoredGemSource | ExternalGemSource;
}

const SERVED: readonly PackageVersionStatus[] = ['Published', 'Unlisted'];

export function buildGemView(sources: readonly PackageSource[], external: readonly ExternalGem[] = []): GemEntry[] {
  const decisions = new Map<string, PackageVersionStatus>();
  for (const source of sources) {
    for (const [version, record] of Object.entries(source.record.versions)) if (!decisions.has(version)) decisions.set(version, record.status);
  }
  const entries = new Map<string, GemEntry>();
  for (const source of sources) {
    for (const [version, record] of Object.entries(source.record.versions)) {
      const status = decisions.get(version) as PackageVersionStatus;
      if (!SERVED.includes(status)) continue;
      const facts = gemFactsOf(record);
      for (const asset of record.assets) {
        const fileFacts = Object.hasOwn(facts, asset.name) ? facts[asset.name] : undefined;
        if (!fileFacts || entries.has(asset.name)) continue;
        entries.set(asset.name, {
          fileName: asset.name,
          version,
          platform: fileFacts.platform,
          sha256: asset.hashes['SHA-256'],
          dependencies: fileFacts.dependencies.filter((dependency) => dependency.type === 'runtime').map(({ name, requirement }) => ({ name, requirement })),
          ruby: fileFacts.requiredRuby,
          rubygems: fileFacts.requiredRubygems,
          listed: status === 'Published',
          source: { kind: 'stored', repository: source.repository, record, asset, facts: fileFacts },
        });
      }
    }
  }
  for (const gem of external) {
    const status = decisions.get(gem.version) ?? 'Published';
    if (!SERVED.includes(status) || entries.has(gem.fileName)) continue;
    entries.set(gem.fileName, {
      fileName: gem.fileName,
      version: gem.version,
      platform: gem.platform,
      sha256: gem.sha256,
      dependencies: gem.dependencies,
      ruby: gem.ruby,
      rubygems: gem.rubygems,
      listed: status === 'Published',
      source: { kind: 'external', gem },
    });
  }
  return [...entries.values()].sort((a, b) => compareGemVersions(a.version, b.version) || platformOrder(a.platform, b.platform));
}

/** The pure-Ruby gem of a version first, then the platform gems by name. */
function platformOrder(a: string, b: string): number {
  if (a === b) return 0;
  if (a === RUBY_PLATFORM || b === RUBY_PLATFORM) return a === RUBY_PLATFORM ? -1 : 1;
  return a < b ? -1 : 1;
}
