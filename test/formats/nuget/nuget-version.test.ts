import { describe, expect, it } from 'vitest';
import {
  compareVersionStrings,
  formatNuGetVersion,
  isPrerelease,
  isSemVer2,
  normalizeNuGetVersion,
  parseNuGetVersion,
  requireNuGetVersion,
} from '../../../src/formats/nuget/nuget-version.js';
import { ValidationError } from '../../../src/errors.js';

describe('NuGet version normalisation', () => {
  it.each([
    ['1.0', '1.0.0'],
    ['1', '1.0.0'],
    ['1.0.0.0', '1.0.0'],
    ['1.0.0.1', '1.0.0.1'],
    ['01.02.003', '1.2.3'],
    ['1.01.1', '1.1.1'],
    ['1.0.0+build.5', '1.0.0'],
    ['1.0.0-beta+sha.abc', '1.0.0-beta'],
    ['1.0.0-Beta.1', '1.0.0-beta.1'],
    ['2.0.0.0-rc.1', '2.0.0-rc.1'],
    [' 3.4.5 ', '3.4.5'],
    ['1.0.0-alpha-2', '1.0.0-alpha-2'],
  ])('%s -> %s', (raw, key) => {
    expect(normalizeNuGetVersion(raw)).toBe(key);
  });

  it('keeps the label case for display and the metadata when asked', () => {
    const version = requireNuGetVersion('01.0.0-Beta.2+Build.7');
    expect(formatNuGetVersion(version)).toBe('1.0.0-Beta.2');
    expect(formatNuGetVersion(version, true)).toBe('1.0.0-Beta.2+Build.7');
  });

  it.each([
    '',
    'abc',
    '1.2.3.4.5',
    '1..2',
    '1.0.0-',
    '1.0.0-beta..1',
    '1.0.0-01',
    '1.0.0+',
    '1.0.0-béta',
    '$version$',
    '1.0.0 beta',
    '-1.0',
    '99999999999.0.0',
    `1.0.0-${'a'.repeat(70)}`,
  ])('refuses %j', (raw) => {
    expect(parseNuGetVersion(raw)).toBeUndefined();
    expect(() => requireNuGetVersion(raw)).toThrow(ValidationError);
  });

  it('accepts leading zeros in build metadata but not in numeric prerelease labels', () => {
    expect(parseNuGetVersion('1.0.0+001')).toEqual({ numbers: [1, 0, 0, 0], labels: [], metadata: '001' });
    expect(parseNuGetVersion('1.0.0-rc.01')).toBeUndefined();
    expect(parseNuGetVersion('1.0.0-rc.0')).toEqual({ numbers: [1, 0, 0, 0], labels: ['rc', '0'] });
  });

  it('tells prereleases and SemVer 2.0.0 versions', () => {
    expect(isPrerelease(requireNuGetVersion('1.0.0-beta'))).toBe(true);
    expect(isPrerelease(requireNuGetVersion('1.0.0'))).toBe(false);
    expect(isSemVer2(requireNuGetVersion('1.0.0-beta'))).toBe(false);
    expect(isSemVer2(requireNuGetVersion('1.0.0-beta.1'))).toBe(true);
    expect(isSemVer2(requireNuGetVersion('1.0.0+meta'))).toBe(true);
  });
});

describe('NuGet version order', () => {
  it('sorts as NuGet does', () => {
    const shuffled = [
      '1.0.0',
      '1.0.0-beta.11',
      '1.0.0-alpha',
      '1.0.0.1',
      '1.0.0-beta.2',
      '1.0.0-Alpha.1',
      '0.9.0',
      '1.0.0-rc',
      '1.10.0',
      '1.9.0',
      '1.0.0-beta',
    ];
    expect([...shuffled].sort(compareVersionStrings)).toEqual([
      '0.9.0',
      '1.0.0-alpha',
      '1.0.0-Alpha.1',
      '1.0.0-beta',
      '1.0.0-beta.2',
      '1.0.0-beta.11',
      '1.0.0-rc',
      '1.0.0',
      '1.0.0.1',
      '1.9.0',
      '1.10.0',
    ]);
  });

  it('compares labels without regard to case and ignores build metadata', () => {
    expect(compareVersionStrings('1.0.0-BETA', '1.0.0-beta')).toBe(0);
    expect(compareVersionStrings('1.0.0+a', '1.0.0+b')).toBe(0);
    expect(compareVersionStrings('1.0', '1.0.0.0')).toBe(0);
  });

  it('puts numeric labels before alphanumeric ones', () => {
    expect(compareVersionStrings('1.0.0-1', '1.0.0-a')).toBeLessThan(0);
  });
});
