import { describe, expect, it } from 'vitest';
import type { PackageRecord, VersionRecord } from '../../../src/core/model.js';
import { buildPackageView, fallbackLatest, sortVersions } from '../../../src/formats/npm/package-view.js';

function version(number: string, status: VersionRecord['status'] = 'Published', publishedTime = '2024-01-01T00:00:00.000Z'): VersionRecord {
  return { version: number, status, revision: number, publishedTime, origin: { domainEntryPoint: {}, originType: 'INTERNAL' }, assets: [] };
}

function record(versions: VersionRecord[], distTags?: Record<string, string>): PackageRecord {
  return {
    format: 'npm',
    name: 'pkg',
    originConfiguration: { restrictions: { publish: 'ALLOW', upstream: 'ALLOW' } },
    formatMetadata: distTags ? { 'dist-tags': distTags } : undefined,
    versions: Object.fromEntries(versions.map((entry) => [entry.version, entry])),
  };
}

describe('buildPackageView', () => {
  it('takes each version from the nearest repository that has it', () => {
    const near = record([version('1.0.0', 'Published', '2024-02-01T00:00:00.000Z')]);
    const far = record([version('1.0.0', 'Published', '2023-01-01T00:00:00.000Z'), version('0.9.0')]);
    const view = buildPackageView([
      { repository: 'near', record: near },
      { repository: 'far', record: far },
    ]);
    expect([...view.versions.keys()]).toEqual(['0.9.0', '1.0.0']);
    expect(view.versions.get('1.0.0')?.repository).toBe('near');
    expect(view.modified).toBe('2024-02-01T00:00:00.000Z');
  });

  it('lets a nearer Unlisted version hide the number, but not an Archived one', () => {
    const near = record([version('1.0.0', 'Unlisted'), version('2.0.0', 'Archived')]);
    const far = record([version('1.0.0'), version('2.0.0')]);
    const view = buildPackageView([
      { repository: 'near', record: near },
      { repository: 'far', record: far },
    ]);
    expect([...view.versions.keys()]).toEqual(['2.0.0']);
    expect(view.versions.get('2.0.0')?.repository).toBe('far');
  });

  it('prefers the nearest tag, drops tags of versions not listed, and always has latest', () => {
    const near = record([version('1.0.0'), version('1.1.0', 'Unlisted')], { latest: '1.0.0', old: '1.1.0' });
    const far = record([version('3.0.0')], { latest: '3.0.0', next: '3.0.0' });
    const view = buildPackageView([
      { repository: 'near', record: near },
      { repository: 'far', record: far },
    ]);
    expect(view.distTags).toEqual({ latest: '1.0.0', next: '3.0.0' });
    expect(buildPackageView([{ repository: 'r', record: record([version('1.0.0'), version('2.0.0-rc.1')]) }]).distTags).toEqual({ latest: '1.0.0' });
  });
});

describe('version order', () => {
  it('sorts by semver, and latest falls back to the highest release', () => {
    expect(sortVersions(['1.10.0', '1.2.0', '1.2.0-beta.1', 'not-semver'])).toEqual(['not-semver', '1.2.0-beta.1', '1.2.0', '1.10.0']);
    expect(fallbackLatest(['1.0.0', '2.0.0-beta.1'])).toBe('1.0.0');
    expect(fallbackLatest(['2.0.0-beta.1', '2.0.0-beta.2'])).toBe('2.0.0-beta.2');
  });
});
