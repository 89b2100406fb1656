/**
 * The user .npmrc, read by npm, pnpm and Yarn 1. Login sets the registry (or the scope's
 * registry) and the token under the registry's credential key, as `aws codeartifact login`
 * does with `npm config set`. For npm and pnpm it writes no `always-auth` (npm 9 and later warn
 * about that key) and removes the one a yarn login left for this registry; Yarn 1 sends the
 * token with unscoped packages only when it is set, so the yarn login adds it under the
 * registry's credential key, and npm prints a warning for it.
 */
import path from 'node:path';
import { expandHome, firstSet } from './home-path.js';
import type { ConfigFileWriter, ConfigHome, LoginInput } from './login-writer.js';
import { endOfContent, joinLines, splitLines } from './text-lines.js';

export const npmrcWriter: ConfigFileWriter = {
  locate: userNpmrcPath,
  // The always-auth a yarn login added for this registry goes: npm 11 warns about the key.
  render: (current, input) => setNpmrcValues(current, npmrcValues(input), [`${credentialKey(input.endpoint)}:always-auth`]),
};

/** The .npmrc as Yarn 1 needs it: the npm lines plus `always-auth` for this registry only. */
export const yarnClassicNpmrcWriter: ConfigFileWriter = {
  locate: userNpmrcPath,
  render: (current, input) => setNpmrcValues(current, [...npmrcValues(input), [`${credentialKey(input.endpoint)}:always-auth`, 'true']]),
};

/** npm finds the user config through npm_config_userconfig (any case), else ~/.npmrc. */
export function userNpmrcPath({ env, homeDir }: ConfigHome): string {
  const override = firstSet(env, 'npm_config_userconfig', 'NPM_CONFIG_USERCONFIG');
  return override ? expandHome(override, homeDir) : path.join(homeDir, '.npmrc');
}

function npmrcValues(input: LoginInput): [string, string][] {
  const registryKey = input.namespace ? `${input.namespace}:registry` : 'registry';
  return [
    [registryKey, input.endpoint],
    [`${credentialKey(input.endpoint)}:_authToken`, input.token],
  ];
}

/**
 * npm keeps credentials under the registry URL without its scheme ("//host:port/path/"), and
 * sends them with every request under that prefix, tarballs included.
 */
export function credentialKey(endpoint: string): string {
  const url = new URL(endpoint);
  const pathname = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
  return `//${url.host}${pathname}`;
}

/**
 * Sets each key once: the first line for a key is replaced, later ones removed, missing ones
 * added; lines for the `remove` keys go.
 */
function setNpmrcValues(text: string | undefined, values: [string, string][], remove: string[] = []): string {
  const file = splitLines(text);
  const topEnd = firstSectionLine(file.lines);
  for (let index = topEnd - 1; index >= 0; index--) {
    if (remove.includes(npmrcKey(file.lines[index]) ?? '')) file.lines.splice(index, 1);
  }
  for (const [key, value] of values) {
    // Lines after a [section] header belong to that section in npm's ini format, so only the
    // top of the file is searched and new keys go there.
    const topEnd = firstSectionLine(file.lines);
    const matches = file.lines.flatMap((line, index) => (index < topEnd && npmrcKey(line) === key ? [index] : []));
    const line = `${key}=${value}`;
    if (matches.length === 0) {
      file.lines.splice(endOfContent(file.lines, 0, topEnd), 0, line);
      continue;
    }
    file.lines[matches[0]] = line;
    for (const index of matches.slice(1).reverse()) file.lines.splice(index, 1);
  }
  return joinLines(file);
}

function firstSectionLine(lines: string[]): number {
  const index = lines.findIndex((line) => /^\s*\[.*\]\s*$/.test(line));
  return index === -1 ? lines.length : index;
}

/** The key of an ini line, undefined for comments and blank lines. */
function npmrcKey(line: string): string | undefined {
  const trimmed = line.trim();
  if (trimmed === '' || trimmed.startsWith(';') || trimmed.startsWith('#')) return undefined;
  const equals = trimmed.indexOf('=');
  const key = (equals === -1 ? trimmed : trimmed.slice(0, equals)).trim();
  return /^".*"$|^'.*'$/.test(key) ? key.slice(1, -1) : key;
}
