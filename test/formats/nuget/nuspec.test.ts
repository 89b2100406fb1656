import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/errors.js';
import { parseNuspec, parseNuspecBytes } from '../../../src/formats/nuget/nuspec.js';
import { nuspecXml } from '../../helpers/nupkg.js';

describe('nuspec parsing', () => {
  it('reads what dotnet pack writes', () => {
    const text = nuspecXml({
      id: 'Acme.Util',
      version: '1.2.0-beta.1',
      authors: 'Ann & Bo',
      description: 'Utilities <for> tests',
      tags: ['util', 'acme'],
      licenseExpression: 'MIT',
      projectUrl: 'https://example.test/acme',
      readme: '# hi',
      packageTypes: ['Dependency'],
      dependencyGroups: [
        { targetFramework: 'net8.0', dependencies: [{ id: 'Newtonsoft.Json', version: '13.0.1' }] },
        { targetFramework: '.NETStandard2.0', dependencies: [] },
      ],
    });
    const nuspec = parseNuspec(text);
    expect(nuspec).toMatchObject({
      id: 'Acme.Util',
      version: '1.2.0-beta.1',
      authors: 'Ann & Bo',
      description: 'Utilities <for> tests',
      tags: ['util', 'acme'],
      license: { type: 'expression', value: 'MIT' },
      projectUrl: 'https://example.test/acme',
      readme: 'README.md',
      packageTypes: [{ name: 'Dependency' }],
      dependencyGroups: [
        { targetFramework: 'net8.0', dependencies: [{ id: 'Newtonsoft.Json', range: '13.0.1' }] },
        { targetFramework: '.NETStandard2.0', dependencies: [] },
      ],
    });
  });

  it('keeps versions as text ("1.0" is not the number 1)', () => {
    expect(parseNuspec(nuspecXml({ id: 'A', version: '1.0' })).version).toBe('1.0');
    expect(parseNuspec(nuspecXml({ id: 'A', version: '1.10' })).version).toBe('1.10');
  });

  it('matches elements by local name whatever the schema namespace', () => {
    const text = `<?xml version="1.0"?>
<nu:package xmlns:nu="http://schemas.microsoft.com/packaging/2010/07/nuspec.xsd"><nu:metadata>
  <nu:id>Old.Style</nu:id><nu:version>2.0</nu:version>
  <nu:dependencies><nu:dependency id="Flat.Dep" version="[1.0,2.0)" /><nu:dependency id="Any.Dep" /></nu:dependencies>
</nu:metadata></nu:package>`;
    expect(parseNuspec(text)).toMatchObject({
      id: 'Old.Style',
      version: '2.0',
      dependencyGroups: [
        {
          dependencies: [
            { id: 'Flat.Dep', range: '[1.0,2.0)' },
            { id: 'Any.Dep', range: undefined },
          ],
        },
      ],
    });
  });

  it('reads UTF-8 with a byte order mark and UTF-16', () => {
    const text = nuspecXml({ id: 'Bom.Package', version: '1.0.0', description: 'Grüße' });
    expect(parseNuspecBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])).description).toBe('Grüße');
    expect(parseNuspecBytes(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])).id).toBe('Bom.Package');
  });

  it.each([
    ['not XML', 'this is not xml at all', /not well-formed XML/],
    ['unclosed tags', '<package><metadata><id>A</id><version>1.0</version></package>', /not well-formed XML/],
    ['no metadata', '<package><files/></package>', /no <package><metadata>/],
    ['no id', '<package><metadata><version>1.0</version></metadata></package>', /<id> is missing/],
    ['no version', '<package><metadata><id>A</id></metadata></package>', /<version> is missing/],
    [
      'a dependency without id',
      '<package><metadata><id>A</id><version>1.0</version><dependencies><dependency version="1.0"/></dependencies></metadata></package>',
      /no id/,
    ],
  ])('refuses %s', (_what, text, message) => {
    expect(() => parseNuspec(text)).toThrow(ValidationError);
    expect(() => parseNuspec(text)).toThrow(message);
  });

  it('refuses DOCTYPEs and entity declarations (no billion laughs, no external entities)', () => {
    const laughs = `<?xml version="1.0"?><!DOCTYPE package [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<package><metadata><id>A</id><version>1.0</version><description>&b;</description></metadata></package>`;
    expect(() => parseNuspec(laughs)).toThrow(/DOCTYPE/);
    const external = `<?xml version="1.0"?><!DOCTYPE package SYSTEM "file:///etc/passwd"><package><metadata><id>A</id><version>1.0</version></metadata></package>`;
    expect(() => parseNuspec(external)).toThrow(/DOCTYPE/);
  });

  it('refuses more markup than any package description needs, before parsing it', () => {
    const dependencies = (count: number) =>
      `<package><metadata><id>A</id><version>1.0</version><dependencies>${'<dependency id="B" version="1.0" />'.repeat(count)}</dependencies></metadata></package>`;
    expect(parseNuspec(dependencies(5000)).id).toBe('A');
    expect(() => parseNuspec(dependencies(30_000))).toThrow(/more than 20000 tags/);
  });

  it('refuses absurd nesting', () => {
    const deep = `<package><metadata><id>A</id><version>1.0</version>${'<x>'.repeat(200)}${'</x>'.repeat(200)}</metadata></package>`;
    expect(() => parseNuspec(deep)).toThrow(ValidationError);
  });
});
