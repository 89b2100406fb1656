/**
 * The user pip config. Login sets `[global] index-url` to the repository's simple index with the
 * token as the password of user "aws", as `pip config set global.index-url` does for
 * `aws codeartifact login --tool pip`; this replaces the index rather than adding one.
 */
import { devNull } from 'node:os';
import path from 'node:path';
import { ValidationError } from '../errors.js';
import { expandHome, firstSet } from './home-path.js';
import { getIniValue, setIniValue, type KeyMatcher } from './ini-text.js';
import type { ConfigFileWriter, ConfigHome, LoginInput } from './login-writer.js';

export const pipConfWriter: ConfigFileWriter = {
  locate: userPipConfPath,
  render: renderPipConf,
};

/** PIP_CONFIG_FILE is read after every other file, so it wins; else the per-user file under XDG_CONFIG_HOME. */
export function userPipConfPath({ env, homeDir }: ConfigHome): string {
  const override = firstSet(env, 'PIP_CONFIG_FILE');
  if (override === devNull) {
    throw new ValidationError(`PIP_CONFIG_FILE is ${devNull}, so pip reads no config file and login has nowhere to write.`, {
      hint: 'Unset PIP_CONFIG_FILE, or point it at a file, and run login again.',
    });
  }
  if (override) return expandHome(override, homeDir);
  const configHome = firstSet(env, 'XDG_CONFIG_HOME')?.trim() || path.join(homeDir, '.config');
  return path.join(configHome, 'pip', 'pip.conf');
}

export function pipIndexUrl(input: LoginInput): string {
  const url = new URL(`${input.endpoint}simple/`);
  url.username = 'aws';
  url.password = input.token;
  return url.href;
}

function renderPipConf(current: string | undefined, input: LoginInput): string {
  let text = setIniValue(current, 'global', 'index-url', pipIndexUrl(input), pipKey('index-url'));
  const url = new URL(input.endpoint);
  // pip refuses plain http except from loopback addresses unless the host is trusted.
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    const existing = getIniValue(text, 'global', pipKey('trusted-host'));
    const hosts = existing?.split(/\s+/).filter(Boolean) ?? [];
    if (!hosts.includes(url.hostname)) {
      const separator = existing?.includes('\n') ? '\n' : ' ';
      text = setIniValue(text, 'global', 'trusted-host', [...hosts, url.hostname].join(separator), pipKey('trusted-host'));
    }
  }
  return text;
}

/** pip treats index_url, --index-url and INDEX-URL as index-url. */
function pipKey(name: string): KeyMatcher {
  return (key) => key.toLowerCase().replace(/_/g, '-').replace(/^--/, '') === name;
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || /^127(\.\d{1,3}){3}$/.test(hostname) || hostname === '[::1]';
}
