/**
 * The requirement check of a publish: what cargo writes (and the semver crate parses) passes,
 * text cargo would call an invalid index entry does not.
 */
import { describe, expect, it } from 'vitest';
import { isCargoVersionReq } from '../../../src/formats/cargo/version-req.js';

describe('isCargoVersionReq', () => {
  it('takes the requirements cargo sends', () => {
    for (const req of [
      '*',
      '^1',
      '^0.1',
      '^1.2.3',
      '=1.2.3',
      '~1.2',
      '>=1.0, <2',
      '>= 1.0 , < 2.0',
      '1.*',
      '1.2.*',
      '1.x',
      '^1.0.0-alpha.1',
      '=1.0.0+build.5',
      '<1',
    ]) {
      expect(isCargoVersionReq(req), req).toBe(true);
    }
  });

  it('refuses text no cargo requirement has', () => {
    for (const req of ['not a req!!', '>=1.0 <2.0', '^1.0,', '', ' ', '@1.0.0', '>a.b', '1.2.3.4', '^1 || ^2', '1.0\n2.0']) {
      expect(isCargoVersionReq(req), JSON.stringify(req)).toBe(false);
    }
  });
});
