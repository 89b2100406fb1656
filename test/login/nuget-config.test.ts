import { describe, expect, it } from 'vitest';
import { nugetConfigWriter, userNugetConfigPath } from '../../src/login/nuget-config.js';
import { childrenNamed, parseXml } from '../../src/login/xml-text.js';
import { sampleInput, TOKEN } from './sample-input.js';

const input = sampleInput({ endpoint: 'http://127.0.0.1:8573/acme/nuget/main/' });
const SOURCE_URL = 'http://127.0.0.1:8573/acme/nuget/main/v3/index.json';

function sources(text: string): [string | undefined, string | undefined][] {
  return childrenNamed(parseXml(text), 'packageSources')
    .flatMap((section) => childrenNamed(section, 'add'))
    .map((add) => [add.attributes.get('key'), add.attributes.get('value')]);
}

function credentials(text: string): Record<string, Record<string, string | undefined>> {
  const result: Record<string, Record<string, string | undefined>> = {};
  for (const element of childrenNamed(parseXml(text), 'packageSourceCredentials').flatMap((section) => section.children)) {
    result[element.name] = Object.fromEntries(
      childrenNamed(element, 'add').map((add) => [String(add.attributes.get('key')), add.attributes.get('value')] as const),
    );
  }
  return result;
}

describe('NuGet.Config writer', () => {
  it('creates the source <domain>/<repo> with clear-text credentials under the encoded name', () => {
    const text = nugetConfigWriter.render(undefined, input);
    expect(text).toBe(
      [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<configuration>',
        '  <packageSources>',
        `    <add key="acme/main" value="${SOURCE_URL}" allowInsecureConnections="true" />`,
        '  </packageSources>',
        '  <packageSourceCredentials>',
        '    <acme_x002F_main>',
        '      <add key="Username" value="aws" />',
        `      <add key="ClearTextPassword" value="${TOKEN}" />`,
        '    </acme_x002F_main>',
        '  </packageSourceCredentials>',
        '</configuration>',
        '',
      ].join('\n'),
    );
  });

  it('keeps other sources, settings and comments', () => {
    const before = [
      '<?xml version="1.0" encoding="utf-8"?>',
      '<configuration>',
      '  <!-- company feeds -->',
      '  <packageSources>',
      '    <clear />',
      '    <add key="corp" value="http://corp.example/v3/index.json" protocolVersion="3" />',
      '  </packageSources>',
      '  <config>',
      '    <add key="globalPackagesFolder" value="/data/nuget" />',
      '  </config>',
      '</configuration>',
      '',
    ].join('\n');
    const text = nugetConfigWriter.render(before, input);
    expect(sources(text)).toEqual([
      ['corp', 'http://corp.example/v3/index.json'],
      ['acme/main', SOURCE_URL],
    ]);
    expect(text).toContain(
      '  <!-- company feeds -->\n  <packageSources>\n    <clear />\n    <add key="corp" value="http://corp.example/v3/index.json" protocolVersion="3" />\n',
    );
    expect(text).toContain('  <config>\n    <add key="globalPackagesFolder" value="/data/nuget" />\n  </config>\n');
  });

  it('updates a source that already has the URL under its own name, keeping its other attributes', () => {
    const before = `<configuration>\n  <packageSources>\n    <add key="Mine" value="${SOURCE_URL.toUpperCase()}" protocolVersion="3" />\n  </packageSources>\n  <packageSourceCredentials>\n    <Mine>\n      <add key="Username" value="old" />\n      <add key="Password" value="encrypted" />\n    </Mine>\n  </packageSourceCredentials>\n</configuration>\n`;
    const text = nugetConfigWriter.render(before, input);
    expect(text).toContain(`<add key="Mine" value="${SOURCE_URL}" protocolVersion="3" allowInsecureConnections="true" />`);
    expect(sources(text)).toEqual([['Mine', SOURCE_URL]]);
    expect(credentials(text)).toEqual({ Mine: { Username: 'aws', ClearTextPassword: TOKEN } });
  });

  it('leaves one source and one credential entry after two logins', () => {
    const once = nugetConfigWriter.render(undefined, sampleInput({ endpoint: input.endpoint, token: 'first' }));
    const twice = nugetConfigWriter.render(once, input);
    expect(sources(twice)).toEqual([['acme/main', SOURCE_URL]]);
    expect(credentials(twice)).toEqual({ acme_x002F_main: { Username: 'aws', ClearTextPassword: TOKEN } });
    // A credentials element spelled with lower-case hex is the same source.
    const lower = twice.replace(/acme_x002F_main/g, 'acme_x002f_main');
    expect(Object.keys(credentials(nugetConfigWriter.render(lower, input)))).toEqual(['acme_x002F_main']);
  });

  it('escapes the token and URL for XML attributes', () => {
    const text = nugetConfigWriter.render(undefined, sampleInput({ endpoint: input.endpoint, token: 'a"b<c&d' }));
    expect(text).toContain('value="a&quot;b&lt;c&amp;d"');
    expect(credentials(text).acme_x002F_main.ClearTextPassword).toBe('a"b<c&d');
  });

  it('refuses a file whose root is not <configuration>', () => {
    expect(() => nugetConfigWriter.render('<settings/>', input)).toThrow(/<configuration>/);
  });

  it('finds the user file under ~/.nuget/NuGet, or under DOTNET_CLI_HOME', () => {
    expect(userNugetConfigPath({ env: {}, homeDir: '/home/u' })).toBe('/home/u/.nuget/NuGet/NuGet.Config');
    expect(userNugetConfigPath({ env: { DOTNET_CLI_HOME: '/cli' }, homeDir: '/home/u' })).toBe('/cli/.nuget/NuGet/NuGet.Config');
  });
});
