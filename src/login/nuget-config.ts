/**
 * The user NuGet.Config, shared by nuget and dotnet. As `aws codeartifact login` does, the source
 * is named `<domain>/<repository>` with URL `<endpoint>v3/index.json`; a source that already has
 * that URL (or name) is updated under its own name. Credentials go under <packageSourceCredentials>
 * in an element named after the source, encoded the way NuGet encodes it ('/' is `_x002F_`),
 * with ClearTextPassword because Linux and macOS have no store to encrypt it with.
 */
import path from 'node:path';
import { firstSet } from './home-path.js';
import type { ConfigFileWriter, ConfigHome, LoginInput } from './login-writer.js';
import { ConfigSyntaxError } from './login-writer.js';
import { upsertItem } from './xml-edit.js';
import { decodeXmlName, encodeXmlName } from './xml-name.js';
import { childrenNamed, parseXml } from './xml-text.js';

const NEW_CONFIG = '<?xml version="1.0" encoding="utf-8"?>\n<configuration>\n</configuration>\n';

export const nugetConfigWriter: ConfigFileWriter = {
  locate: userNugetConfigPath,
  render: renderNugetConfig,
};

/** NuGet's user folder on Linux and macOS is ~/.nuget/NuGet, where the dotnet CLI's DOTNET_CLI_HOME replaces HOME. */
export function userNugetConfigPath({ env, homeDir }: ConfigHome): string {
  return path.join(firstSet(env, 'DOTNET_CLI_HOME') ?? homeDir, '.nuget', 'NuGet', 'NuGet.Config');
}

function nugetSourceUrl(input: LoginInput): string {
  return `${input.endpoint}v3/index.json`;
}

function renderNugetConfig(current: string | undefined, input: LoginInput): string {
  let text = current !== undefined && current.trim() !== '' ? current : NEW_CONFIG;
  const root = parseXml(text);
  if (root.name !== 'configuration') throw new ConfigSyntaxError(`has <${root.name}> at the top where NuGet expects <configuration>`);
  const url = nugetSourceUrl(input);
  const sources = childrenNamed(root, 'packageSources').flatMap((section) => childrenNamed(section, 'add'));
  // NuGet compares source names and URLs without regard to case.
  const same = (a: string | undefined, b: string) => a !== undefined && a.toLowerCase() === b.toLowerCase();
  const existing =
    sources.find((source) => same(source.attributes.get('value'), url)) ??
    sources.find((source) => same(source.attributes.get('key'), `${input.domain}/${input.repository}`));
  const name = existing?.attributes.get('key') ?? `${input.domain}/${input.repository}`;
  // Other attributes of an existing source (protocolVersion, ...) are kept.
  const attributes = new Map(existing?.attributes ?? []);
  attributes.set('key', name);
  attributes.set('value', url);
  // NuGet 6.12+ refuses plain-http sources (NU1302) unless the source says it is meant.
  if (url.startsWith('http:')) attributes.set('allowInsecureConnections', 'true');

  text = upsertItem(text, {
    container: 'packageSources',
    item: { name: 'add', attributes: [...attributes] },
    isSame: (element) => element.name === 'add' && same(element.attributes.get('key'), name),
    position: 'last',
  });
  return upsertItem(text, {
    container: 'packageSourceCredentials',
    item: {
      name: encodeXmlName(name),
      children: [
        {
          name: 'add',
          attributes: [
            ['key', 'Username'],
            ['value', 'aws'],
          ],
        },
        {
          name: 'add',
          attributes: [
            ['key', 'ClearTextPassword'],
            ['value', input.token],
          ],
        },
      ],
    },
    isSame: (element) => same(decodeXmlName(element.name), name),
    position: 'last',
  });
}
