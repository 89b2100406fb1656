/**
 * ~/.gradle/gradle.properties. Login stores the URL and credentials as properties named after a
 * repository called "artifactCli": Gradle's `credentials(PasswordCredentials::class)` reads
 * `<name>Username` and `<name>Password` by itself, so build scripts hold no secret. The build
 * script lines to use them are printed, since login cannot edit a project's build.
 */
import path from 'node:path';
import { expandHome, firstSet } from './home-path.js';
import type { ConfigFileWriter, ConfigHome, LoginInput } from './login-writer.js';
import { endOfContent, joinLines, splitLines } from './text-lines.js';

const GRADLE_REPOSITORY_NAME = 'artifactCli';

export const gradlePropertiesWriter: ConfigFileWriter = {
  locate: gradlePropertiesPath,
  render: (current, input) =>
    setProperties(current, [
      [`${GRADLE_REPOSITORY_NAME}Url`, input.endpoint],
      [`${GRADLE_REPOSITORY_NAME}Username`, 'aws'],
      [`${GRADLE_REPOSITORY_NAME}Password`, input.token],
    ]),
};

export function gradlePropertiesPath({ env, homeDir }: ConfigHome): string {
  const gradleHome = firstSet(env, 'GRADLE_USER_HOME');
  return path.join(gradleHome ? expandHome(gradleHome, homeDir) : path.join(homeDir, '.gradle'), 'gradle.properties');
}

/** Sets each property once: the first definition is replaced, later ones removed, missing ones appended. */
function setProperties(text: string | undefined, values: [string, string][]): string {
  const file = splitLines(text);
  for (const [key, value] of values) {
    const matches = logicalLines(file.lines).filter((line) => line.key === key);
    const replacement = `${key}=${escapeValue(value)}`;
    if (matches.length === 0) {
      file.lines.splice(endOfContent(file.lines, 0, file.lines.length), 0, replacement);
      continue;
    }
    for (const line of matches.slice(1).reverse()) file.lines.splice(line.start, line.end - line.start);
    file.lines.splice(matches[0].start, matches[0].end - matches[0].start, replacement);
  }
  return joinLines(file);
}

interface PropertyLine {
  key: string;
  start: number;
  end: number;
}

/** java.util.Properties rules: '#' or '!' comment lines; a line ending in an odd number of '\' continues. */
function logicalLines(lines: string[]): PropertyLine[] {
  const found: PropertyLine[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    const trimmed = lines[index].trimStart();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith('!')) continue;
    const start = index;
    while (index < lines.length - 1 && endsWithOddBackslashes(lines[index])) index += 1;
    found.push({ key: readKey(trimmed), start, end: index + 1 });
  }
  return found;
}

function endsWithOddBackslashes(line: string): boolean {
  const run = /\\*$/.exec(line)?.[0].length ?? 0;
  return run % 2 === 1;
}

/** The key runs to the first unescaped '=', ':' or white space; '\x' stands for x. */
function readKey(line: string): string {
  let key = '';
  for (let index = 0; index < line.length; index += 1) {
    const char = line[index];
    if (char === '\\' && index + 1 < line.length) {
      index += 1;
      key += line[index];
    } else if (char === '=' || char === ':' || /\s/.test(char)) {
      break;
    } else {
      key += char;
    }
  }
  return key;
}

/** Gradle reads the file as ISO-8859-1, so anything outside printable ASCII is written as \uXXXX. */
function escapeValue(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/^ /, '\\ ')
    .replace(/[^\x20-\x7e]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * The build script lines that use the properties. The Groovy block reads the properties by
 * name and sets allowInsecureProtocol only where it exists (Gradle 6 and later, which refuse
 * http:// without it), so it runs on every Gradle from 4.4 (Debian's) to the current one. The
 * Kotlin block uses the newer API (Gradle 6.6 and later): credentials(PasswordCredentials::class)
 * reads <name>Username and <name>Password.
 */
export function gradleInstructions(input: LoginInput): string[] {
  const insecure = new URL(input.endpoint).protocol === 'http:';
  const name = GRADLE_REPOSITORY_NAME;
  return [
    `Gradle reads ${name}Url, ${name}Username and ${name}Password from gradle.properties. Add the repository`,
    'to repositories { ... } in build.gradle (any Gradle from 4.4), or in settings.gradle under',
    'dependencyResolutionManagement { repositories { ... } } (Gradle 6.8 and later); for plugins, under',
    'pluginManagement { repositories { ... } } in settings.gradle; for publishing, under publishing { repositories { ... } }:',
    '',
    '    maven {',
    `        url ${name}Url`,
    '        credentials {',
    `            username ${name}Username`,
    `            password ${name}Password`,
    '        }',
    ...(insecure ? ["        if (it.hasProperty('allowInsecureProtocol')) allowInsecureProtocol = true // http:// on Gradle 6 and later"] : []),
    '    }',
    '',
    'In Kotlin scripts (build.gradle.kts, settings.gradle.kts; Gradle 6.6 and later):',
    '',
    '    maven {',
    `        name = "${name}"`,
    `        url = uri(providers.gradleProperty("${name}Url").get())`,
    ...(insecure ? ['        isAllowInsecureProtocol = true'] : []),
    '        credentials(PasswordCredentials::class)',
    '    }',
  ];
}
