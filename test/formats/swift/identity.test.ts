/** Scope, name and version rules, and the one form repository URLs are compared in. */
import { describe, expect, it } from 'vitest';
import { checkName, checkScope, compareVersionsDescending, isSemVer } from '../../../src/formats/swift/identity.js';
import { normalizeRepositoryUrl } from '../../../src/formats/swift/package-metadata.js';

describe('Swift package identity', () => {
  it('takes scopes of letters, digits and single inner hyphens, up to 39', () => {
    for (const scope of ['mona', 'Mona-Lisa', 'a1', 'x'.repeat(39)]) expect(checkScope(scope)).toBe(scope);
    for (const scope of ['-mona', 'mona-', 'mo--na', 'mo_na', 'mo.na', '', 'x'.repeat(40)])
      expect(() => checkScope(scope)).toThrow(/not a valid package scope/);
  });

  it('takes names of letters, digits and single inner hyphens or underscores, up to 100', () => {
    for (const name of ['LinkedList', 'swift-nio', 'swift_nio', 'x'.repeat(100)]) expect(checkName(name)).toBe(name);
    for (const name of ['_x', 'x-', 'a__b', 'a-_b', 'a.b', 'x'.repeat(101)]) expect(() => checkName(name)).toThrow(/not a valid package name/);
  });

  it('takes SemVer 2.0 versions only, and orders them by precedence', () => {
    for (const version of ['0.0.0', '1.2.3', '1.0.0-alpha.1', '1.0.0-0.3.7', '1.0.0+build.5', '1.0.0-rc.1+exp.sha.5114f85'])
      expect(isSemVer(version), version).toBe(true);
    for (const version of ['1', '1.0', 'v1.0.0', '1.0.0.0', '01.0.0', '1.0.0-', '1.0.0-01', '1.0.0+', ' 1.0.0']) expect(isSemVer(version), version).toBe(false);
    expect(['1.0.0-alpha', '1.0.0', '2.0.0', '1.0.0-beta.2', '1.0.0-beta.11'].sort(compareVersionsDescending)).toEqual([
      '2.0.0',
      '1.0.0',
      '1.0.0-beta.11',
      '1.0.0-beta.2',
      '1.0.0-alpha',
    ]);
  });

  it('compares repository URLs in one form', () => {
    const form = 'example.invalid/mona/linkedlist';
    for (const url of [
      'https://example.invalid/mona/LinkedList',
      'https://example.invalid/mona/LinkedList.git',
      'https://EXAMPLE.invalid/mona/LinkedList/',
      'ssh://git@example.invalid/mona/LinkedList.git',
      'git@example.invalid:mona/LinkedList.git',
      'http://user@example.invalid/mona/LinkedList',
    ]) {
      expect(normalizeRepositoryUrl(url), url).toBe(form);
    }
    expect(normalizeRepositoryUrl('https://example.invalid:8443/mona/LinkedList')).toBe('example.invalid:8443/mona/linkedlist');
    expect(normalizeRepositoryUrl('not a url')).toBeUndefined();
  });
});
