import { describe, expect, it } from 'vitest';
import { normalizePackage, normalizePackageName, normalizeVersion, parsePackageFormat } from '../../src/formats/package-names.js';
import { ValidationError } from '../../src/errors.js';

describe('normalizePackage', () => {
  it.each([
    ['pypi', 'Foo_Bar.baz--Qux', 'foo-bar-baz-qux'],
    ['pypi', 'requests', 'requests'],
    ['nuget', 'Newtonsoft.Json', 'newtonsoft.json'],
    ['npm', 'React', 'React'],
    ['maven', 'Guava_X', 'Guava_X'],
    ['cargo', 'Demo_Crate', 'demo_crate'],
  ] as const)('stores a %s name %j as %j', (format, raw, stored) => {
    expect(normalizePackageName(format, raw)).toBe(stored);
  });

  it('drops the @ of an npm scope and lowercases swift scopes and names', () => {
    expect(normalizePackage('npm', '@types', 'node')).toEqual({ format: 'npm', namespace: 'types', name: 'node' });
    expect(normalizePackage('npm', 'types', 'node')).toEqual({ format: 'npm', namespace: 'types', name: 'node' });
    expect(normalizePackage('swift', 'Apple', 'Swift-NIO')).toEqual({ format: 'swift', namespace: 'apple', name: 'swift-nio' });
    expect(normalizePackage('npm', '', 'left-pad')).toEqual({ format: 'npm', name: 'left-pad' });
  });

  it('requires a namespace where CodeArtifact does and refuses one where the format has none', () => {
    expect(() => normalizePackage('generic', undefined, 'tool')).toThrow(/--namespace is required/);
    expect(() => normalizePackage('maven', undefined, 'guava')).toThrow(ValidationError);
    expect(() => normalizePackage('pypi', 'ns', 'requests')).toThrow(/no namespace/);
  });

  it('refuses names that could become paths', () => {
    for (const bad of ['a/b', '..', 'a b', '', '#x']) expect(() => normalizePackage('generic', 'ns', bad)).toThrow(ValidationError);
    expect(() => normalizePackage('npm', '@', 'x')).toThrow(ValidationError);
    expect(() => normalizePackage('generic', '../etc', 'x')).toThrow(ValidationError);
  });
});

describe('parsePackageFormat', () => {
  it('takes the CodeArtifact formats and names them in its error', () => {
    expect(parsePackageFormat('generic')).toBe('generic');
    expect(() => parsePackageFormat('docker')).toThrow(/npm, pypi, maven, nuget, generic/);
  });
});

describe('normalizeVersion', () => {
  it('puts NuGet versions in normal form, as NuGet and CodeArtifact store them', () => {
    expect(normalizeVersion('nuget', '1.0')).toBe('1.0.0');
    expect(normalizeVersion('nuget', '1.01.1')).toBe('1.1.1');
    expect(normalizeVersion('nuget', '1.0.0.0')).toBe('1.0.0');
    expect(normalizeVersion('nuget', '1.0.0-Beta+build.5')).toBe('1.0.0-beta');
  });

  it('leaves other formats, and strings that are no NuGet version, as given', () => {
    expect(normalizeVersion('npm', '1.0')).toBe('1.0');
    expect(normalizeVersion('pypi', '1.0.0.0')).toBe('1.0.0.0');
    expect(normalizeVersion('nuget', 'not-a-version')).toBe('not-a-version');
  });
});
