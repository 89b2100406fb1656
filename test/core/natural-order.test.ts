import { describe, expect, it } from 'vitest';
import { compareNatural } from '../../src/core/natural-order.js';

const sorted = (values: string[]) => [...values].sort(compareNatural);

describe('compareNatural', () => {
  it('orders numbers by value, not by their digits', () => {
    expect(sorted(['1.10.0', '1.9.0', '1.0.10', '1.0.9', '10.0.0', '2.0.0'])).toEqual(['1.0.9', '1.0.10', '1.9.0', '1.10.0', '2.0.0', '10.0.0']);
    expect(sorted(['v100', 'v99', 'v1000000000000000000001', 'v1000000000000000000000'])).toEqual([
      'v99',
      'v100',
      'v1000000000000000000000',
      'v1000000000000000000001',
    ]);
  });

  it('puts punctuation before digits before letters, and ignores case until nothing else differs', () => {
    expect(sorted(['1.0.0-beta', '1.0.0.1', '1.0.0+build', '1.0.0_x', '1.0.0a'])).toEqual(['1.0.0_x', '1.0.0-beta', '1.0.0.1', '1.0.0+build', '1.0.0a']);
    expect(sorted(['1.0-RC1', '1.0-beta2', '1.0-Alpha', '1.0-rc1'])).toEqual(['1.0-Alpha', '1.0-beta2', '1.0-rc1', '1.0-RC1']);
  });

  it('compares a run of digits whole even where the two strings share its first digits', () => {
    expect(sorted(['13.0', '12.5', '120.0', '1.19', '1.2'])).toEqual(['1.2', '1.19', '12.5', '13.0', '120.0']);
    expect(sorted(['1.0010', '1.01', '1.009', '1.1'])).toEqual(['1.1', '1.01', '1.009', '1.0010']);
    expect(sorted(['2.10.0-rc.10', '2.10.0-rc.9', '2.10.0-rc.1'])).toEqual(['2.10.0-rc.1', '2.10.0-rc.9', '2.10.0-rc.10']);
    // 1 < 12 decides, though after the shared '1' a letter would sort after a digit.
    expect(sorted(['1.12', '1.1a'])).toEqual(['1.1a', '1.12']);
  });

  it('is a consistent order: equal only for the same string, and antisymmetric', () => {
    const values = ['01', '1', '001', 'a', 'A', '1.0', '1-0', '1.0.0', ''];
    for (const a of values) {
      for (const b of values) {
        expect(Math.sign(compareNatural(a, b)) + Math.sign(compareNatural(b, a))).toBe(0);
        expect(compareNatural(a, b) === 0).toBe(a === b);
      }
    }
  });
});
