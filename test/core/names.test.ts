import { describe, expect, it } from 'vitest';
import {
  decodePathSegment,
  encodePathSegment,
  validateAssetName,
  validateDescription,
  validateDomainName,
  validatePackagePart,
  validateRepositoryName,
} from '../../src/core/names.js';
import { ValidationError } from '../../src/errors.js';
import { objectContaining, stringMatching } from '../helpers/matchers.js';

// Inputs that must never become part of a path, whatever the kind of name.
const HOSTILE = ['', '/', 'a/b', '..', '../x', 'a\u0000b', 'a\nb', 'a\u007fb', 'x'.repeat(100_000)];

describe('validateDomainName', () => {
  it.each(['ab', 'my-domain', 'd1', `a${'b'.repeat(49)}`])('accepts %j', (name) => {
    expect(validateDomainName(name)).toBe(name);
  });

  it.each([...HOSTILE, 'a', 'A-domain', '1domain', 'domain-', 'dom_ain', 'dom.ain', `a${'b'.repeat(50)}`])('refuses %j', (name) => {
    expect(() => validateDomainName(name)).toThrow(ValidationError);
  });

  it('says what the rule is and keeps absurd names short in the message', () => {
    expect(() => validateDomainName('a')).toThrow(/2 to 50 characters/);
    expect(() => validateDomainName('Bad')).toThrow(/lowercase letters/);
    expect(() => validateDomainName('x'.repeat(100_000))).toThrow(objectContaining({ message: stringMatching(/^.{1,199}$/s) }));
  });
});

describe('validateRepositoryName', () => {
  it.each(['ab', 'My_Repo.v2-x', '1repo', `r${'x'.repeat(99)}`])('accepts %j', (name) => {
    expect(validateRepositoryName(name)).toBe(name);
  });

  it.each([...HOSTILE, 'a', '.repo', '-repo', '_repo', 'repo name', 'repo@1', `r${'x'.repeat(100)}`])('refuses %j', (name) => {
    expect(() => validateRepositoryName(name)).toThrow(ValidationError);
  });
});

describe('validatePackagePart', () => {
  it.each(['a', 'left-pad', '@scope', 'Name.With_Dots', '1.0.0-beta+build', 'ünïcödé', 'x'.repeat(255)])('accepts %j', (value) => {
    expect(validatePackagePart('package', value)).toBe(value);
  });

  it.each([...HOSTILE, '.', '__proto__', 'a#b', 'a b', 'a\tb', 'x'.repeat(256)])('refuses %j', (value) => {
    expect(() => validatePackagePart('package', value)).toThrow(ValidationError);
  });

  it('names the kind of value in the message', () => {
    expect(() => validatePackagePart('namespace', 'a/b')).toThrow(/namespace/);
    expect(() => validatePackagePart('version', '')).toThrow(/version/);
  });
});

describe('validateAssetName', () => {
  it.each(['pkg-1.0.0.tgz', 'My Package 1.0.whl', '.npmrc', 'x'.repeat(255)])('accepts %j', (name) => {
    expect(validateAssetName(name)).toBe(name);
  });

  it.each([...HOSTILE, '.', 'a\\b', '..\\x', 'x'.repeat(256)])('refuses %j', (name) => {
    expect(() => validateAssetName(name)).toThrow(ValidationError);
  });
});

describe('validateDescription', () => {
  it('allows up to 1000 characters', () => {
    expect(validateDescription('d'.repeat(1000))).toHaveLength(1000);
    expect(() => validateDescription('d'.repeat(1001))).toThrow(ValidationError);
  });
});

describe('encodePathSegment', () => {
  const samples = ['_', '.', '..', '...', '.hidden', 'a/b', '../../etc', '@scope/pkg', '%2F', 'a\\b', '*', 'plain', 'ünï', '_x', 'x_'];

  it.each(samples)('turns %j into one safe segment that decodes back', (name) => {
    const segment = encodePathSegment(name);
    expect(segment).not.toBe('.');
    expect(segment).not.toBe('..');
    expect(segment).not.toBe('_');
    expect(segment).not.toMatch(/[/\\]/);
    expect(segment.startsWith('.')).toBe(false);
    expect(decodePathSegment(segment)).toBe(name);
  });

  it('gives distinct names distinct segments', () => {
    const segments = samples.map(encodePathSegment);
    expect(new Set(segments).size).toBe(samples.length);
  });
});
