import { describe, expect, it } from 'vitest';
import { mavenInstructions, mavenSettingsWriter } from '../../src/login/maven-settings.js';
import { childrenNamed, parseXml, textOf, type XmlElement } from '../../src/login/xml-text.js';
import { sampleInput, TOKEN } from './sample-input.js';

const ENDPOINT = 'http://127.0.0.1:8573/acme/maven/main/';
const input = sampleInput({ endpoint: ENDPOINT });

function path(text: string, ...names: string[]): XmlElement[] {
  let level = [parseXml(text)];
  for (const name of names) level = level.flatMap((element) => childrenNamed(element, name));
  return level;
}
const texts = (text: string, ...names: string[]) => path(text, ...names).map((element) => textOf(text, element));

describe('settings.xml writer', () => {
  it('creates a file with the server, mirror, profile and active profile sharing one id', () => {
    const text = mavenSettingsWriter.render(undefined, input);
    expect(texts(text, 'servers', 'server', 'id')).toEqual(['acme-main']);
    expect(texts(text, 'servers', 'server', 'username')).toEqual(['aws']);
    expect(texts(text, 'servers', 'server', 'password')).toEqual([TOKEN]);
    // The wagon sends the token with each first request instead of waiting for a 401.
    expect(texts(text, 'servers', 'server', 'configuration', 'httpConfiguration', 'all', 'usePreemptive')).toEqual(['true']);
    expect(texts(text, 'mirrors', 'mirror', 'mirrorOf')).toEqual(['*']);
    expect(texts(text, 'mirrors', 'mirror', 'id')).toEqual(['acme-main']);
    expect(texts(text, 'profiles', 'profile', 'repositories', 'repository', 'url')).toEqual([ENDPOINT]);
    expect(texts(text, 'profiles', 'profile', 'pluginRepositories', 'pluginRepository', 'id')).toEqual(['acme-main']);
    expect(texts(text, 'activeProfiles', 'activeProfile')).toEqual(['acme-main']);
    expect(text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<settings>\n  <servers>\n    <server>\n      <id>acme-main</id>')).toBe(true);
  });

  it('keeps every byte outside its own entries, in the file own indentation', () => {
    const before = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<!-- my settings -->',
      '<settings xmlns="urn:example">',
      '\t<localRepository>/data/m2</localRepository>',
      '\t<servers>',
      '\t\t<server><id>nexus</id><username>me</username></server>',
      '\t</servers>',
      '\t<mirrors>',
      '\t\t<mirror><id>corp</id><mirrorOf>*</mirrorOf><url>http://corp.example/</url></mirror>',
      '\t</mirrors>',
      '</settings>',
      '',
    ].join('\n');
    const text = mavenSettingsWriter.render(before, input);
    expect(text).toContain(
      '<!-- my settings -->\n<settings xmlns="urn:example">\n\t<localRepository>/data/m2</localRepository>\n\t<servers>\n\t\t<server><id>nexus</id><username>me</username></server>\n\t\t<server>\n\t\t\t<id>acme-main</id>',
    );
    // Maven takes the first matching mirror, so ours comes before the user's other '*'.
    expect(texts(text, 'mirrors', 'mirror', 'id')).toEqual(['acme-main', 'corp']);
    expect(text).toContain('\t\t<mirror><id>corp</id><mirrorOf>*</mirrorOf><url>http://corp.example/</url></mirror>\n\t</mirrors>');
    expect(texts(text, 'localRepository')).toEqual(['/data/m2']);
  });

  it('replaces its entries on a second login and leaves one of each', () => {
    const once = mavenSettingsWriter.render(undefined, sampleInput({ endpoint: ENDPOINT, token: 'first' }));
    const twice = mavenSettingsWriter.render(once, input);
    expect(texts(twice, 'servers', 'server', 'password')).toEqual([TOKEN]);
    expect(texts(twice, 'mirrors', 'mirror', 'id')).toEqual(['acme-main']);
    expect(texts(twice, 'profiles', 'profile', 'id')).toEqual(['acme-main']);
    expect(texts(twice, 'activeProfiles', 'activeProfile')).toEqual(['acme-main']);
    expect(twice).toBe(mavenSettingsWriter.render(undefined, input));
  });

  it('removes duplicate entries of its id left by hand', () => {
    const before =
      '<settings>\n  <servers>\n    <server><id>acme-main</id></server>\n    <server><id>keep</id></server>\n    <server><id>acme-main</id></server>\n  </servers>\n</settings>\n';
    const text = mavenSettingsWriter.render(before, input);
    expect(texts(text, 'servers', 'server', 'id')).toEqual(['acme-main', 'keep']);
  });

  it('fills empty and self-closing sections', () => {
    const text = mavenSettingsWriter.render('<settings>\n  <servers/>\n  <profiles></profiles>\n</settings>\n', input);
    expect(texts(text, 'servers', 'server', 'id')).toEqual(['acme-main']);
    expect(texts(text, 'profiles', 'profile', 'id')).toEqual(['acme-main']);
    expect(text).toContain('  <servers>\n    <server>\n');
  });

  it('without the mirror, writes none and takes back one an earlier login wrote', () => {
    const withMirror = mavenSettingsWriter.render(undefined, input);
    const text = mavenSettingsWriter.render(withMirror, sampleInput({ endpoint: ENDPOINT, mirrorAll: false }));
    expect(path(text, 'mirrors', 'mirror')).toHaveLength(0);
    expect(texts(text, 'servers', 'server', 'id')).toEqual(['acme-main']);
  });

  it('refuses a file that is not Maven settings or not well-formed', () => {
    expect(() => mavenSettingsWriter.render('<project></project>', input)).toThrow(/<settings>/);
    expect(() => mavenSettingsWriter.render('<settings><servers></settings>', input)).toThrow(/well-formed/);
  });

  it('prints the distributionManagement block with the same id, and no token', () => {
    const lines = mavenInstructions(input).join('\n');
    expect(lines).toContain('<id>acme-main</id>');
    expect(lines).toContain(`<url>${ENDPOINT}</url>`);
    expect(lines).not.toContain(TOKEN);
  });
});
