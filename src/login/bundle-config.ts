/**
 * Bundler's user config (~/.bundle/config, or BUNDLE_USER_CONFIG / BUNDLE_USER_HOME): the
 * credentials for the source URL under the key Bundler derives from it, as
 * `bundle config set --global <url> aws:<token>` writes it (docs/formats/ruby.md, "Client
 * configuration"). Bundler reads this file with its own line parser (`KEY: "value"`), so it is
 * edited line by line in that form; every other line stays.
 */
import path from 'node:path';
import { expandHome, firstSet } from './home-path.js';
import type { ConfigFileWriter, ConfigHome, LoginInput } from './login-writer.js';
import { joinLines, splitLines } from './text-lines.js';

export const bundleConfigWriter: ConfigFileWriter = {
  locate: bundleConfigPath,
  render: renderBundleConfig,
};

export function bundleConfigPath({ env, homeDir }: ConfigHome): string {
  const file = firstSet(env, 'BUNDLE_USER_CONFIG');
  if (file) return expandHome(file, homeDir);
  const userHome = firstSet(env, 'BUNDLE_USER_HOME');
  return userHome ? path.join(expandHome(userHome, homeDir), 'config') : path.join(homeDir, '.bundle', 'config');
}

/** Bundler's Settings.key_for: dots become '__', dashes '___', all upper case, BUNDLE_ first. */
export function bundlerKey(url: string): string {
  return `BUNDLE_${url.replace(/\./g, '__').replace(/-/g, '___').toUpperCase()}`;
}

function renderBundleConfig(current: string | undefined, input: LoginInput): string {
  const key = bundlerKey(input.endpoint);
  const line = `${key}: "aws:${input.token}"`;
  const text = splitLines(current);
  const index = text.lines.findIndex((existing) => existing.startsWith(`${key}:`));
  if (index >= 0) text.lines[index] = line;
  else {
    if (!text.lines.some((existing) => existing.trim() === '---')) text.lines.unshift('---');
    text.lines.push(line);
  }
  return joinLines(text);
}
