/**
 * ~/.m2/settings.xml. Login owns the entries whose id is `<domain>-<repository>`: a <server>
 * with the token (user "aws", sent with every request), a <profile> of that id with the
 * repository and plugin repository, activated in <activeProfiles>, and by default a <mirror> of '*' so every download goes through
 * artifact-cli, which fetches from public repositories itself (and a machine with no way to the
 * public ones still builds). Everything else in the file is kept byte for byte.
 */
import path from 'node:path';
import type { ConfigFileWriter, ConfigHome, LoginInput } from './login-writer.js';
import { ConfigSyntaxError } from './login-writer.js';
import { removeItems, upsertItem, type XmlSpec } from './xml-edit.js';
import { childrenNamed, parseXml, textOf, type XmlElement } from './xml-text.js';

const NEW_SETTINGS = '<?xml version="1.0" encoding="UTF-8"?>\n<settings>\n</settings>\n';

// Maven's HTTP wagon (Maven 3.8 and older, and 3.9 told to use it) otherwise sends each file's
// first request without the token and repeats it after the 401: a wasted round trip per file.
const PREEMPTIVE_AUTH: XmlSpec = {
  name: 'configuration',
  children: [{ name: 'httpConfiguration', children: [{ name: 'all', children: [{ name: 'usePreemptive', text: 'true' }] }] }],
};

export const mavenSettingsWriter: ConfigFileWriter = {
  // Maven has no environment override for the user settings file (only -s), so it follows HOME.
  locate: ({ homeDir }: ConfigHome) => path.join(homeDir, '.m2', 'settings.xml'),
  render: renderMavenSettings,
};

/** The id that ties the server credentials to the repository, mirror and pom entries. */
function mavenRepositoryId(input: LoginInput): string {
  return `${input.domain}-${input.repository}`;
}

function renderMavenSettings(current: string | undefined, input: LoginInput): string {
  let text = current !== undefined && current.trim() !== '' ? current : NEW_SETTINGS;
  const root = parseXml(text);
  if (root.name !== 'settings') throw new ConfigSyntaxError(`has <${root.name}> at the top where Maven expects <settings>`);
  const id = mavenRepositoryId(input);
  const leaf = (name: string, value: string): XmlSpec => ({ name, text: value });
  const repository = (name: string): XmlSpec => ({ name, children: [leaf('id', id), leaf('url', input.endpoint)] });

  text = upsertItem(text, {
    container: 'servers',
    item: { name: 'server', children: [leaf('id', id), leaf('username', 'aws'), leaf('password', input.token), PREEMPTIVE_AUTH] },
    isSame: hasId('server', id),
    position: 'last',
  });
  if (input.mirrorAll) {
    text = upsertItem(text, {
      container: 'mirrors',
      item: {
        name: 'mirror',
        children: [leaf('id', id), leaf('name', `artifact-cli ${input.domain}/${input.repository}`), leaf('mirrorOf', '*'), leaf('url', input.endpoint)],
      },
      isSame: hasId('mirror', id),
      // Maven uses the first mirror whose pattern matches, so ours goes before any other '*'.
      position: 'first',
    });
  } else {
    text = removeItems(text, 'mirrors', hasId('mirror', id));
  }
  text = upsertItem(text, {
    container: 'profiles',
    item: {
      name: 'profile',
      children: [
        leaf('id', id),
        { name: 'repositories', children: [repository('repository')] },
        { name: 'pluginRepositories', children: [repository('pluginRepository')] },
      ],
    },
    isSame: hasId('profile', id),
    position: 'last',
  });
  return upsertItem(text, {
    container: 'activeProfiles',
    item: leaf('activeProfile', id),
    isSame: (element, source) => element.name === 'activeProfile' && textOf(source, element) === id,
    position: 'last',
  });
}

function hasId(name: string, id: string): (element: XmlElement, text: string) => boolean {
  return (element, text) => element.name === name && childrenNamed(element, 'id').some((child) => textOf(text, child) === id);
}

/** What to put in a pom.xml so `mvn deploy` publishes to the repository with the same credentials. */
export function mavenInstructions(input: LoginInput): string[] {
  const id = mavenRepositoryId(input);
  const entry = (name: string) => [`      <${name}>`, `        <id>${id}</id>`, `        <url>${input.endpoint}</url>`, `      </${name}>`];
  return [
    'To publish with `mvn deploy`, add this to the project pom.xml (the id matches the <server> in settings.xml):',
    '',
    '    <distributionManagement>',
    ...entry('repository'),
    ...entry('snapshotRepository'),
    '    </distributionManagement>',
  ];
}
