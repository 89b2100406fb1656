/** Layered loading: defaults, then the config file, then the environment, then flags. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { validateDomainName, validateRepositoryName } from '../core/names.js';
import { ValidationError } from '../errors.js';
import type { Config } from './config.js';
import { SETTINGS, type SettingDefinition } from './definitions.js';

export interface ConfigFlags {
  root?: string;
  endpointUrl?: string;
  config?: string;
}

const MODULE_NAME = 'artifact-cli';

export async function loadConfig(flags: ConfigFlags, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Promise<Config> {
  const flat = new Map<string, unknown>();
  for (const setting of SETTINGS) flat.set(setting.key, setting.default());

  const found = await readConfigFile(flags.config, cwd);
  // A relative root means "relative to where it was written": the config file's directory for
  // a root from the file, the working directory for one from the environment or --root.
  let rootBase = cwd;
  if (found) {
    checkShape(found.config as Record<string, unknown>, found.filepath);
    if (pick(found.config, 'root') !== undefined) rootBase = path.dirname(found.filepath);
    for (const setting of SETTINGS) {
      const value = pick(found.config, setting.key);
      if (value !== undefined) flat.set(setting.key, coerce(setting, value, { from: found.filepath, text: false }));
    }
  }
  for (const setting of SETTINGS) {
    const value = setting.env ? env[setting.env] : undefined;
    if (value !== undefined && value !== '') {
      flat.set(setting.key, coerce(setting, value, { from: `$${setting.env}`, text: true }));
      if (setting.key === 'root') rootBase = cwd;
    }
  }
  if (flags.root) {
    flat.set('root', flags.root);
    rootBase = cwd;
  }
  if (flags.endpointUrl) flat.set('server.publicUrl', checkUrl(flags.endpointUrl, '--endpoint-url'));

  return {
    root: path.resolve(rootBase, flat.get('root') as string),
    domain: flat.get('domain') as string | undefined,
    repository: flat.get('repository') as string | undefined,
    server: {
      host: flat.get('server.host') as string,
      port: flat.get('server.port') as number,
      publicUrl: flat.get('server.publicUrl') as string | undefined,
      maxUploadBytes: flat.get('server.maxUploadBytes') as number,
      allowAnonymousRead: flat.get('server.allowAnonymousRead') as boolean,
    },
    offline: flat.get('offline') as boolean,
    upstream: {
      metadataMaxAgeSeconds: flat.get('upstream.metadataMaxAgeSeconds') as number,
      timeoutMs: flat.get('upstream.timeoutMs') as number,
      assetOrigins: flat.get('upstream.assetOrigins') as string[],
    },
    externalConnections: flat.get('externalConnections') as Record<string, string>,
    configFile: found?.filepath,
  };
}

async function readConfigFile(explicit: string | undefined, cwd: string): Promise<{ config: unknown; filepath: string } | undefined> {
  if (!explicit && !(await mayHaveConfigFile(cwd))) return undefined;
  // cosmiconfig is loaded only here, so commands that never read settings stay fast.
  const { cosmiconfig } = await import('cosmiconfig');
  const explorer = cosmiconfig(MODULE_NAME, { searchStrategy: 'project', loaders: { '.ts': refuseTypeScript, '.mts': refuseTypeScript, '.cts': refuseTypeScript } });
  try {
    const result = explicit ? await explorer.load(path.resolve(cwd, explicit)) : await explorer.search(cwd);
    if (!result || result.isEmpty) return undefined;
    if (typeof result.config !== 'object' || result.config === null || Array.isArray(result.config)) {
      throw new ValidationError(`The config file ${result.filepath} must hold an object.`);
    }
    return result;
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    throw new ValidationError(await describeReadError(error as Error & ParseErrorDetails), { cause: error });
  }
}

/**
 * cosmiconfig would compile a .ts config with the `typescript` package, which an installed
 * artifact-cli does not have (and TypeScript 7 has no such API): say so instead of failing later.
 */
function refuseTypeScript(filepath: string): never {
  throw new ValidationError(`The config file ${filepath} is TypeScript, which artifact-cli does not read: write it as .mjs, .js or .json.`);
}

interface ParseErrorDetails {
  filepath?: string;
  /** js-yaml's position of a YAML error, counted from 0. */
  mark?: { line: number; column: number };
  reason?: string;
}

/** One line that names the file, the line and the column, whatever parser failed. */
async function describeReadError(error: Error & ParseErrorDetails): Promise<string> {
  const file = error.filepath;
  if (file && error.mark && error.reason) return `The config file ${file} is not valid YAML: line ${error.mark.line + 1}, column ${error.mark.column + 1}: ${error.reason}.`;
  if (file && error.name === 'JSONError') {
    const text = await fs.readFile(file, 'utf8').catch(() => undefined);
    if (text !== undefined) {
      try {
        JSON.parse(text);
      } catch (jsonError) {
        const message = (jsonError as Error).message.replace(/ while parsing .*$/s, '');
        const offset = Number(/at position (\d+)/.exec(message)?.[1] ?? text.length);
        const before = text.slice(0, offset).split('\n');
        const reason = message.replace(/ in JSON at position \d+.*$/s, '').replace(/ \(line \d+ column \d+\)$/, '');
        return `The config file ${file} is not valid JSON: line ${before.length}, column ${before[before.length - 1].length + 1}: ${reason}.`;
      }
    }
  }
  const firstLine = error.message.split('\n').find((line) => line.trim() !== '') ?? error.message;
  return `The config file could not be read: ${firstLine}`;
}

// cosmiconfig's default search places for MODULE_NAME (cosmiconfig 9), by exact name: a file
// that only looks like one (artifact-cli.config.json, which cosmiconfig does not read) must not
// cost every command the import.
const RC_EXTENSIONS = ['', '.json', '.yaml', '.yml', '.js', '.ts', '.cjs', '.mjs'];
const RC_NAMES = new Set(RC_EXTENSIONS.map((extension) => `${MODULE_NAME}rc${extension}`));
const TOP_LEVEL_NAMES = new Set([...[...RC_NAMES].map((name) => `.${name}`), ...['js', 'ts', 'cjs', 'mjs'].map((extension) => `${MODULE_NAME}.config.${extension}`)]);

/**
 * Most runs have no config file, yet importing cosmiconfig and letting it stat twenty-odd names
 * per directory costs ~35 ms of start-up (bench/startup.mjs). This walks the directories
 * cosmiconfig's "project" strategy would, with one readdir each, and answers whether any of them
 * could hold a config for us; only then is cosmiconfig asked to find and parse it. It errs
 * towards yes (a package.json it cannot parse, cosmiconfig's own meta config), so every file
 * cosmiconfig would have found is still found by cosmiconfig.
 */
async function mayHaveConfigFile(cwd: string): Promise<boolean> {
  const start = path.resolve(cwd);
  for (let dir = start; ; dir = path.dirname(dir)) {
    const names = await readDirNames(dir);
    if (names.some((name) => TOP_LEVEL_NAMES.has(name))) return true;
    if (names.includes('.config')) {
      // .config/artifact-clirc*, or in the start directory cosmiconfig's own meta config.
      const inner = await readDirNames(path.join(dir, '.config'));
      if (inner.some((name) => RC_NAMES.has(name) || (dir === start && name.startsWith('config')))) return true;
    }
    // A package file marks the project root, where the search stops.
    if (names.includes('package.yaml')) return true;
    if (names.includes('package.json')) return packageJsonMayConfigure(path.join(dir, 'package.json'), dir === start);
    if (path.dirname(dir) === dir) return false;
  }
}

async function readDirNames(dir: string): Promise<string[]> {
  try {
    return await fs.readdir(dir);
  } catch {
    return [];
  }
}

/** True when package.json has our key (or cosmiconfig's meta key in the start directory), or does not parse. */
async function packageJsonMayConfigure(file: string, isStart: boolean): Promise<boolean> {
  try {
    const pkg = JSON.parse(await fs.readFile(file, 'utf8')) as unknown;
    if (typeof pkg !== 'object' || pkg === null) return true;
    return MODULE_NAME in pkg || (isStart && 'cosmiconfig' in pkg);
  } catch {
    // Let cosmiconfig read it and report the problem as it would.
    return true;
  }
}

function pick(source: unknown, key: string): unknown {
  let value: unknown = source;
  for (const part of key.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** Where a value came from: a file holds typed JSON values, the environment only text. */
interface ValueSource {
  from: string;
  text: boolean;
}

function coerce(setting: SettingDefinition, value: unknown, source: ValueSource): unknown {
  const bad = (detail = '') => new ValidationError(`Setting ${setting.key} from ${source.from} must be ${expected(setting)}; got ${JSON.stringify(value)}.${detail}`);
  switch (setting.type) {
    case 'string':
      if (typeof value !== 'string' || value === '') throw bad();
      return value;
    case 'url':
      if (typeof value !== 'string') throw bad();
      return checkUrl(value, `Setting ${setting.key} from ${source.from}`);
    case 'domain-name':
    case 'repository-name':
      if (typeof value !== 'string' || value === '') throw bad();
      try {
        return setting.type === 'domain-name' ? validateDomainName(value) : validateRepositoryName(value);
      } catch (error) {
        throw bad(` ${(error as Error).message}`);
      }
    case 'integer': {
      // Digits only from the environment: Number() would also take "0x10", "1e3" and " ".
      const number = source.text && typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
      if (typeof number !== 'number' || !Number.isSafeInteger(number)) throw bad();
      if (number < (setting.min ?? 0) || number > (setting.max ?? Number.MAX_SAFE_INTEGER)) throw bad();
      return number;
    }
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (source.text && (value === 'true' || value === '1')) return true;
      if (source.text && (value === 'false' || value === '0')) return false;
      throw bad();
    case 'url-map': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad();
      const map: Record<string, string> = {};
      for (const [name, url] of Object.entries(value)) {
        if (typeof url !== 'string') throw new ValidationError(`Setting ${setting.key}.${name} from ${source.from} must be an http(s) URL; got ${JSON.stringify(url)}.`);
        map[name] = checkUrl(url, `Setting ${setting.key}.${name} from ${source.from}`);
      }
      return map;
    }
    case 'origin-list': {
      const entries = source.text && typeof value === 'string' ? value.split(',').map((entry) => entry.trim()).filter(Boolean) : value;
      if (!Array.isArray(entries)) throw bad();
      return entries.map((entry) => checkOrigin(entry, `Setting ${setting.key} from ${source.from}`));
    }
  }
}

/** One origin, as `new URL(...).origin` spells it: http(s), a host, maybe a port, nothing else. */
function checkOrigin(value: unknown, source: string): string {
  const bad = () => new ValidationError(`Each entry of ${source} must be an origin such as "https://files.example.org"; got ${JSON.stringify(value)}.`);
  if (typeof value !== 'string') throw bad();
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw bad();
  }
  const bare = url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password;
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !bare || !/^https?:\/\/[^/]+\/?$/.test(value)) throw bad();
  return url.origin;
}

function expected(setting: SettingDefinition): string {
  switch (setting.type) {
    case 'integer':
      return `an integer from ${setting.min ?? 0} to ${setting.max ?? Number.MAX_SAFE_INTEGER}`;
    case 'boolean':
      return 'true or false';
    case 'url':
      return 'an http(s) URL';
    case 'url-map':
      return 'an object of URLs';
    case 'origin-list':
      return 'a list of origins';
    case 'domain-name':
      return 'a domain name';
    case 'repository-name':
      return 'a repository name';
    case 'string':
      return 'a non-empty string';
  }
}

/**
 * Every key in the file must be a setting of the table, and a group (server, upstream) an
 * object: a typo or a wrong type is an error, not a setting silently left at its default.
 */
function checkShape(config: Record<string, unknown>, file: string): void {
  const known = SETTINGS.map((setting) => setting.key);
  const walk = (object: Record<string, unknown>, prefix: string) => {
    for (const [key, value] of Object.entries(object)) {
      const full = prefix + key;
      if (full === '$schema') continue;
      if (known.includes(full)) continue;
      if (known.some((name) => name.startsWith(`${full}.`))) {
        if (typeof value !== 'object' || value === null || Array.isArray(value)) {
          throw new ValidationError(`Setting ${full} in ${file} must be an object (of ${known.filter((name) => name.startsWith(`${full}.`)).join(', ')}); got ${JSON.stringify(value)}.`);
        }
        walk(value as Record<string, unknown>, `${full}.`);
        continue;
      }
      throw new ValidationError(`${file} has an unknown setting ${JSON.stringify(full)}; the settings are ${known.join(', ')}.`);
    }
  };
  walk(config, '');
}

function checkUrl(value: string, source: string): string {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
    return value;
  } catch {
    throw new ValidationError(`${source} must be an http(s) URL; got ${JSON.stringify(value)}.`);
  }
}
