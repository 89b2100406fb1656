import { describe, expect, it } from 'vitest';
import { compareMavenVersions, isSnapshotVersion, sortMavenVersions } from '../../../src/formats/maven/maven-version.js';

describe('Maven version order', () => {
  it('orders qualifiers alpha < beta < milestone < rc < snapshot < release < sp', () => {
    const shuffled = ['1.0-sp', '1.0', '1.0-SNAPSHOT', '1.0-rc1', '1.0-M1', '1.0-beta-2', '1.0-alpha-1'];
    expect(sortMavenVersions(shuffled)).toEqual(['1.0-alpha-1', '1.0-beta-2', '1.0-M1', '1.0-rc1', '1.0-SNAPSHOT', '1.0', '1.0-sp']);
  });

  it('compares numbers as numbers and puts unknown qualifiers after the release but before the next number', () => {
    expect(sortMavenVersions(['1.10', '1.9', '1.0.1', '2.0.0-M1', '1.0-foo'])).toEqual(['1.0-foo', '1.0.1', '1.9', '1.10', '2.0.0-M1']);
    expect(compareMavenVersions('1.0-foo', '1.0')).toBeGreaterThan(0);
  });

  it('treats trailing zeros, ga, final and release as the same version, and cr as rc', () => {
    expect(compareMavenVersions('1.0', '1')).toBe(0);
    expect(compareMavenVersions('1.0.0-ga', '1')).toBe(0);
    expect(compareMavenVersions('1-final', '1.0')).toBe(0);
    expect(compareMavenVersions('1.0-cr1', '1.0-rc1')).toBe(0);
    expect(compareMavenVersions('1.0a1', '1.0-alpha-1')).toBe(0);
  });

  it('knows a SNAPSHOT by its suffix', () => {
    expect(isSnapshotVersion('1.3.0-SNAPSHOT')).toBe(true);
    expect(isSnapshotVersion('1.3.0')).toBe(false);
  });
});
