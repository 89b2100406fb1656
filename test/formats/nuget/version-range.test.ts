import { describe, expect, it } from 'vitest';
import { normalizeRangeText, parseNuGetRange, rangeUsesSemVer2 } from '../../../src/formats/nuget/version-range.js';

describe('NuGet version ranges', () => {
  it.each([
    ['1.0', '[1.0.0, )'],
    ['13.0.1', '[13.0.1, )'],
    ['[1.0]', '[1.0.0]'],
    ['[1.0,2.0)', '[1.0.0, 2.0.0)'],
    ['(1.0, 2.0]', '(1.0.0, 2.0.0]'],
    ['(,2.0]', '(, 2.0.0]'],
    ['[1.0,)', '[1.0.0, )'],
    ['(1.0,)', '(1.0.0, )'],
    ['[1.0.0-beta.1, 2.0.0.0)', '[1.0.0-beta.1, 2.0.0)'],
  ])('%s reads as %s', (raw, normalized) => {
    expect(normalizeRangeText(raw)).toBe(normalized);
  });

  it('means "any version" when missing or empty', () => {
    expect(normalizeRangeText(undefined)).toBeUndefined();
    expect(normalizeRangeText('  ')).toBeUndefined();
  });

  it.each(['(1.0)', '[,]', '[1.0', '1.0]', '[a,b]', '[1,2,3]'])('does not read %j as a range', (raw) => {
    expect(parseNuGetRange(raw)).toBeUndefined();
  });

  it('passes text it cannot read through unchanged', () => {
    expect(normalizeRangeText('1.*')).toBe('1.*');
  });

  it('tells ranges that need SemVer 2.0.0', () => {
    expect(rangeUsesSemVer2('[1.0.0-beta.1, )')).toBe(true);
    expect(rangeUsesSemVer2('[1.0.0-beta, )')).toBe(false);
    expect(rangeUsesSemVer2(undefined)).toBe(false);
  });
});
