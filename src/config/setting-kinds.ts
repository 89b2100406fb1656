/**
 * The kinds of value a setting can hold. Each kind parses one raw value (a JSON value from a
 * config file, or text from the environment or a flag) into its typed form, or throws a
 * ValidationError that names the setting, where the value came from and the value itself.
 */
import { validateDomainName, validateRepositoryName } from '../core/names.js';
import { ValidationError } from '../errors.js';

/** Where a value came from: a file holds typed JSON values, the environment and flags only text. */
export interface ValueSource {
  /** The file's path, `$VARIABLE` or `--flag`. */
  from: string;
  text: boolean;
}

export type SettingType = 'path' | 'host' | 'integer' | 'boolean' | 'url' | 'url-map' | 'origin-list' | 'domain-name' | 'repository-name';

export interface SettingKind<T> {
  readonly type: SettingType;
  /** What a good value is, as errors and docs/configuration.md say it: "an integer from 0 to 65535". */
  readonly expected: string;
  /** Inclusive bounds of an integer setting. */
  readonly min?: number;
  readonly max?: number;
  parse(value: unknown, key: string, source: ValueSource): T;
}

function refusal(key: string, source: ValueSource, expected: string, value: unknown, detail = ''): ValidationError {
  return new ValidationError(`Setting ${key} from ${source.from} must be ${expected}; got ${JSON.stringify(value)}.${detail}`);
}

function nonEmptyString(type: 'path'): SettingKind<string> {
  const expected = 'a non-empty path';
  return {
    type,
    expected,
    parse(value, key, source) {
      if (typeof value !== 'string' || value === '') throw refusal(key, source, expected, value);
      return value;
    },
  };
}

/** A directory; a relative one is resolved against where it was written (load-config.ts). */
export const pathSetting = nonEmptyString('path');

const HOST = 'a host name or IP address';
/** An address to bind to; it also becomes the host of the URLs login writes into client files. */
export const hostSetting: SettingKind<string> = {
  type: 'host',
  expected: HOST,
  parse(value, key, source) {
    // Letters, digits, '.', '-', '_', and ':' and '%' for IPv6 with a zone; nothing that ends a line or a URL's host.
    if (typeof value !== 'string' || !/^[A-Za-z0-9._:%-]+$/.test(value)) throw refusal(key, source, HOST, value);
    return value;
  },
};

export function integerSetting(min: number, max: number): SettingKind<number> {
  const expected = `an integer from ${min} to ${max}`;
  return {
    type: 'integer',
    expected,
    min,
    max,
    parse(value, key, source) {
      // Digits only from text: Number() would also take "0x10", "1e3" and " ".
      const number = source.text && typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
      if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < min || number > max) throw refusal(key, source, expected, value);
      return number;
    },
  };
}

const BOOLEAN = 'true or false';
export const booleanSetting: SettingKind<boolean> = {
  type: 'boolean',
  expected: BOOLEAN,
  parse(value, key, source) {
    if (typeof value === 'boolean') return value;
    if (source.text && (value === 'true' || value === '1')) return true;
    if (source.text && (value === 'false' || value === '0')) return false;
    throw refusal(key, source, BOOLEAN, value);
  },
};

const URL_TEXT = 'an http(s) URL';
export const urlSetting: SettingKind<string> = {
  type: 'url',
  expected: URL_TEXT,
  parse(value, key, source) {
    if (typeof value !== 'string' || !isHttpUrl(value)) throw refusal(key, source, URL_TEXT, value);
    // The URL parser drops tabs and newlines, but the text is what login writes into .npmrc or
    // pip.conf, where a newline starts a line of its own; a base URL has no query or fragment.
    if (/[\s\p{Cc}]/u.test(value)) throw refusal(key, source, `${URL_TEXT} without spaces or control characters`, value);
    if (/[?#]/.test(value)) throw refusal(key, source, `${URL_TEXT} without a query or fragment`, value);
    return value;
  },
};

const URL_MAP = 'an object of URLs';
export const urlMapSetting: SettingKind<Record<string, string>> = {
  type: 'url-map',
  expected: URL_MAP,
  parse(value, key, source) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw refusal(key, source, URL_MAP, value);
    const map: Record<string, string> = {};
    for (const [name, url] of Object.entries(value)) map[name] = urlSetting.parse(url, `${key}.${name}`, source);
    return map;
  },
};

const ORIGIN_LIST = 'a list of origins (scheme://host[:port])';
export const originListSetting: SettingKind<string[]> = {
  type: 'origin-list',
  expected: ORIGIN_LIST,
  parse(value, key, source) {
    // The environment holds one line: origins separated by commas.
    const entries =
      source.text && typeof value === 'string'
        ? value
            .split(',')
            .map((entry) => entry.trim())
            .filter(Boolean)
        : value;
    if (!Array.isArray(entries)) throw refusal(key, source, ORIGIN_LIST, value);
    return entries.map((entry: unknown) => {
      const origin = originOf(entry);
      if (origin === undefined) {
        throw new ValidationError(
          `Each entry of setting ${key} from ${source.from} must be an origin such as "https://files.example.org"; got ${JSON.stringify(entry)}.`,
        );
      }
      return origin;
    });
  },
};

function nameSetting(type: 'domain-name' | 'repository-name', validate: (name: string) => string): SettingKind<string> {
  const expected = type === 'domain-name' ? 'a domain name' : 'a repository name';
  return {
    type,
    expected,
    parse(value, key, source) {
      if (typeof value !== 'string' || value === '') throw refusal(key, source, expected, value);
      try {
        return validate(value);
      } catch (error) {
        throw refusal(key, source, expected, value, ` ${(error as Error).message}`);
      }
    },
  };
}

export const domainNameSetting = nameSetting('domain-name', validateDomainName);
export const repositoryNameSetting = nameSetting('repository-name', validateRepositoryName);

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** One origin, as `new URL(...).origin` spells it: http(s), a host, maybe a port, nothing else. */
function originOf(value: unknown): string | undefined {
  if (typeof value !== 'string' || !/^https?:\/\/[^/]+\/?$/.test(value)) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  const bare = url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password;
  return bare ? url.origin : undefined;
}
