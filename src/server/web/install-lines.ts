/** The lines that put a package version to use with its client, and the login that sets the client up. */
import { packageFlags, shellWord } from '../../core/command-line.js';
import type { PackageKey } from '../../core/model.js';

export interface Snippet {
  label: string;
  text: string;
}

/** Login tools per format, as `artifact-cli login --tool` names them. */
const LOGIN_TOOLS: Partial<Record<PackageKey['format'], string[]>> = {
  npm: ['npm', 'pnpm', 'yarn'],
  pypi: ['pip', 'twine'],
  maven: ['maven', 'gradle'],
  nuget: ['dotnet', 'nuget'],
  cargo: ['cargo'],
};

export function installSnippets(key: PackageKey, version: string, firstAsset?: string): Snippet[] {
  const { namespace, name } = key;
  switch (key.format) {
    case 'npm': {
      const spec = shellWord(`${namespace ? `@${namespace}/` : ''}${name}@${version}`);
      return [
        { label: 'npm', text: `npm install ${spec}` },
        { label: 'pnpm', text: `pnpm add ${spec}` },
        { label: 'Yarn', text: `yarn add ${spec}` },
      ];
    }
    case 'pypi':
      return [{ label: 'pip', text: `pip install ${shellWord(`${name}==${version}`)}` }];
    case 'maven':
      return [
        { label: 'Maven (pom.xml)', text: `<dependency>\n  <groupId>${xmlText(namespace ?? '')}</groupId>\n  <artifactId>${xmlText(name)}</artifactId>\n  <version>${xmlText(version)}</version>\n</dependency>` },
        { label: 'Gradle (Kotlin)', text: `implementation("${namespace}:${name}:${version}")` },
        { label: 'Gradle (Groovy)', text: `implementation '${namespace}:${name}:${version}'` },
      ];
    case 'nuget':
      return [{ label: '.NET CLI', text: `dotnet add package ${shellWord(name)} --version ${shellWord(version)}` }];
    case 'cargo': {
      // The registry name `login --tool cargo` writes by default (docs/formats/cargo.md).
      const registry = `${key.domain}-${key.repository}`.replace(/[^A-Za-z0-9_-]/g, '-');
      return [
        { label: 'Cargo', text: `cargo add ${shellWord(`${name}@${version}`)} --registry ${shellWord(registry)}` },
        { label: 'Cargo.toml', text: `${name} = { version = ${JSON.stringify(version)}, registry = ${JSON.stringify(registry)} }` },
      ];
    }
    case 'ruby':
      return [{ label: 'Gemfile', text: `gem ${JSON.stringify(name)}, ${JSON.stringify(version)}` }];
    case 'swift':
      return [{ label: 'Package.swift', text: `.package(id: ${JSON.stringify(`${namespace}.${name}`)}, exact: ${JSON.stringify(version)})` }];
    case 'generic':
      return [
        {
          label: 'artifact-cli',
          text: `artifact-cli get-package-version-asset ${packageFlags(key)} --package-version ${shellWord(version)} --asset ${shellWord(firstAsset ?? 'ASSET')} ${shellWord(firstAsset ?? 'ASSET')}`,
        },
      ];
  }
}

export function loginSnippets(key: PackageKey, baseUrl: string): Snippet[] {
  return (LOGIN_TOOLS[key.format] ?? []).map((tool) => ({
    label: `login for ${tool}`,
    text: `artifact-cli login --tool ${tool} --domain ${shellWord(key.domain)} --repository ${shellWord(key.repository)} --endpoint-url ${shellWord(baseUrl)}`,
  }));
}

function xmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
