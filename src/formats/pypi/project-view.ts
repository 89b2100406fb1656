/**
 * One project as pip sees it through a repository: the records along the upstream chain
 * (nearest first), then the public index's files. A PyPI version is a set of files that can grow,
 * so the merge is per file: the nearest repository holding a version decides its status, and
 * the version's files are gathered from every place that has it, nearest copy of each file first.
 *
 * Status mapping: Published is listed; Unlisted is listed as yanked (PEP 592), so an exact `==`
 * pin still installs it and anything else skips it; Archived, Unfinished and Disposed are not
 * listed and their files are not served.
 */
import type { AssetRecord, PackageVersionStatus, VersionRecord } from '../../core/model.js';
import type { PackageSource } from '../../upstream/resolve.js';
import type { ExternalFile } from './external-index.js';
import { canonicalVersion, compareVersions } from './pep440.js';
import { distributionAssets, fileInfosOf, metadataAssetOf } from './version-files.js';

const UNLISTED_YANK_REASON = 'Unlisted in this repository';

export interface StoredFileSource {
  kind: 'stored';
  /** The repository whose record holds the file. */
  repository: string;
  record: VersionRecord;
  asset: AssetRecord;
  metadataAsset?: AssetRecord;
}

export interface ExternalFileSource {
  kind: 'external';
  file: ExternalFile;
}

export interface ViewFile {
  fileName: string;
  /** The version as the page lists it (the deciding record's key, or the file name's version). */
  version: string;
  sha256: string;
  size?: number;
  requiresPython?: string;
  yanked?: true | string;
  uploadTime?: string;
  coreMetadataSha256?: string;
  source: StoredFileSource | ExternalFileSource;
}

export interface ProjectView {
  project: string;
  /** Listed versions, PEP 440 order. */
  versions: string[];
  files: ViewFile[];
}

interface Decision {
  version: string;
  status: PackageVersionStatus;
}

const LISTED: readonly PackageVersionStatus[] = ['Published', 'Unlisted'];

export function buildProjectView(project: string, sources: readonly PackageSource[], external: readonly ExternalFile[] = []): ProjectView {
  const decisions = new Map<string, Decision>();
  const files = new Map<string, ViewFile>();
  const decide = (version: string, status: PackageVersionStatus): Decision => {
    const canonical = canonicalVersion(version) ?? version;
    let decision = decisions.get(canonical);
    if (!decision) {
      decision = { version, status };
      decisions.set(canonical, decision);
    }
    return decision;
  };

  for (const source of sources) {
    for (const record of Object.values(source.record.versions)) {
      const decision = decide(record.version, record.status);
      if (!LISTED.includes(decision.status) || !LISTED.includes(record.status)) continue;
      const infos = fileInfosOf(record);
      for (const asset of distributionAssets(record)) {
        if (files.has(asset.name)) continue;
        const info = infos[asset.name];
        const metadataAsset = metadataAssetOf(record, asset.name);
        files.set(asset.name, {
          fileName: asset.name,
          version: decision.version,
          sha256: asset.hashes['SHA-256'],
          size: asset.size,
          requiresPython: info?.requiresPython,
          yanked: decision.status === 'Unlisted' ? UNLISTED_YANK_REASON : info?.yanked,
          uploadTime: info?.uploadTime ?? record.publishedTime,
          coreMetadataSha256: metadataAsset?.hashes['SHA-256'],
          source: { kind: 'stored', repository: source.repository, record, asset, metadataAsset },
        });
      }
    }
  }

  for (const file of external) {
    const decision = decide(file.version, 'Published');
    if (!LISTED.includes(decision.status) || files.has(file.fileName)) continue;
    files.set(file.fileName, {
      fileName: file.fileName,
      version: decision.version,
      sha256: file.sha256,
      size: file.size,
      requiresPython: file.requiresPython,
      yanked: decision.status === 'Unlisted' ? UNLISTED_YANK_REASON : file.yanked,
      uploadTime: file.uploadTime,
      coreMetadataSha256: file.coreMetadataSha256,
      source: { kind: 'external', file },
    });
  }

  const versions = [...decisions.values()].filter((decision) => LISTED.includes(decision.status)).map((decision) => decision.version);
  versions.sort(compareVersions);
  const listed = [...files.values()].sort((a, b) => compareVersions(a.version, b.version) || (a.fileName < b.fileName ? -1 : a.fileName > b.fileName ? 1 : 0));
  return { project, versions, files: listed };
}
