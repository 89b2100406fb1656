/** PEP 440 versions, PEP 503/508 names, distribution file names and core metadata parsing. */
import { describe, expect, it } from 'vitest';
import { parseCoreMetadata } from '../../../src/formats/pypi/core-metadata.js';
import { canonicalVersion, compareVersions, normalizeVersion } from '../../../src/formats/pypi/pep440.js';
import { checkUploadFileName, parseDistributionFile, requireProjectName } from '../../../src/formats/pypi/project-name.js';

describe('PEP 440', () => {
  it.each([
    ['1.0', '1.0'],
    ['v1.0', '1.0'],
    ['1.0RC1', '1.0rc1'],
    ['1.0-alpha.2', '1.0a2'],
    ['1.0c1', '1.0rc1'],
    ['1.0-1', '1.0.post1'],
    ['1.0.rev', '1.0.post0'],
    ['1.0-dev', '1.0.dev0'],
    ['0!01.002', '1.2'],
    ['2!1.0', '2!1.0'],
    ['1.0+Ubuntu-1', '1.0+ubuntu.1'],
    [' 1.0 ', '1.0'],
  ])('normalises %j to %j', (input, normal) => {
    expect(normalizeVersion(input)).toBe(normal);
  });

  it.each(['', '1.0-foo', 'latest', '1..0', '1.0+', 'x1.0', '1.0/2', '1.99999999999999999999'])('refuses %j', (input) => {
    expect(normalizeVersion(input)).toBeUndefined();
  });

  it('gives spellings of one release the same canonical form', () => {
    expect(canonicalVersion('1.0.0')).toBe(canonicalVersion('1'));
    expect(canonicalVersion('1.0.0rc1')).toBe('1rc1');
    expect(canonicalVersion('1.0.1')).not.toBe(canonicalVersion('1.0'));
  });

  it('orders versions as PEP 440 does', () => {
    const ordered = ['1.0.dev1', '1.0a1', '1.0a2.dev1', '1.0a2', '1.0b1', '1.0rc1', '1.0', '1.0+local', '1.0.post1.dev1', '1.0.post1', '1.1', '1.10', '1!0.1'];
    expect([...ordered].reverse().sort(compareVersions)).toEqual(ordered);
  });
});

describe('project and file names', () => {
  it('normalises valid names and refuses invalid ones', () => {
    expect(requireProjectName('My_Pkg.Utils')).toBe('my-pkg-utils');
    for (const bad of ['-leading', 'trailing_', 'has space', 'a/b', '', 'ünicode'])
      expect(() => requireProjectName(bad), bad).toThrow(/not a valid project name/);
  });

  it('reads project and version from wheel and sdist names', () => {
    expect(parseDistributionFile('demo_pkg-1.0-py3-none-any.whl')).toEqual({ kind: 'wheel', project: 'demo-pkg', version: '1.0' });
    expect(parseDistributionFile('demo_pkg-1.0-1build-py3-none-any.whl')).toEqual({ kind: 'wheel', project: 'demo-pkg', version: '1.0' });
    expect(parseDistributionFile('Demo-Pkg-2.0rc1.tar.gz', 'demo-pkg')).toEqual({ kind: 'sdist', project: 'demo-pkg', version: '2.0rc1' });
    expect(parseDistributionFile('demo-pkg-2.0.zip', 'demo-pkg')).toEqual({ kind: 'sdist', project: 'demo-pkg', version: '2.0' });
    expect(parseDistributionFile('demo-1.0-2.0.tar.gz', 'demo-1-0')).toEqual({ kind: 'sdist', project: 'demo-1-0', version: '2.0' });
    expect(parseDistributionFile('demo.exe')).toBeUndefined();
    expect(parseDistributionFile('demo-1.0-py3.whl')).toBeUndefined();
  });

  it('checks an upload file name against the form', () => {
    expect(checkUploadFileName('demo_pkg-1.0.0-py3-none-any.whl', { project: 'demo-pkg', version: '1.0', fileType: 'bdist_wheel' }).kind).toBe('wheel');
    expect(() => checkUploadFileName('demo_pkg-1.0.tar.gz', { project: 'demo-pkg', version: '1.0', fileType: 'bdist_wheel' })).toThrow(/not a wheel/);
    expect(() => checkUploadFileName('.hidden.whl', { project: 'demo-pkg', version: '1.0' })).toThrow(/without path parts/);
    expect(() => checkUploadFileName('demo_pkg-1.0.tar.bz2', { project: 'demo-pkg', version: '1.0' })).toThrow(/Invalid file extension/);
  });
});

describe('core metadata', () => {
  it('reads headers, repeated fields, continuation lines and the body as description', () => {
    const parsed = parseCoreMetadata(
      [
        'Metadata-Version: 2.1',
        'Name: Demo-Pkg',
        'Version: 1.0',
        'Summary: A demo',
        'License: MIT',
        '        with a second line',
        'Requires-Dist: requests>=2',
        'Requires-Dist: idna; extra == "x"',
        'Project-URL: Homepage, https://example.invalid/home',
        'Requires-Python: >=3.8',
        '',
        '# Demo',
        '',
        'Body text.',
      ].join('\r\n'),
      'METADATA',
    );
    expect(parsed).toMatchObject({
      name: 'Demo-Pkg',
      version: '1.0',
      summary: 'A demo',
      license: 'MIT\nwith a second line',
      requiresPython: '>=3.8',
      requiresDist: ['requests>=2', 'idna; extra == "x"'],
      description: '# Demo\n\nBody text.',
    });
  });

  it('refuses text that is not core metadata', () => {
    expect(() => parseCoreMetadata('Name: x\n', 'METADATA')).toThrow(/no valid Version/);
    expect(() => parseCoreMetadata('Version: 1.0\n', 'METADATA')).toThrow(/no valid Name/);
    expect(() => parseCoreMetadata('<html>\n', 'METADATA')).toThrow(/not a "Field: value" header/);
    expect(() => parseCoreMetadata('Name: x\nVersion: one\n', 'METADATA')).toThrow(/not a PEP 440 version/);
  });
});
