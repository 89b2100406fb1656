/** Layered loading: defaults, then the config file, then the environment, then flags. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
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
    if (pick(found.config, 'root') !== undefined) rootBase = path.dirname(found.filepath);
    for (const setting of SETTINGS) {
      const value = pick(found.config, setting.key);
      if (value !== undefined) flat.set(setting.key, coerce(setting, value, found.filepath));
    }
  }
  for (const setting of SETTINGS) {
    const value = setting.env ? env[setting.env] : undefined;
    if (value !== undefined && value !== '') {
      flat.set(setting.key, coerce(setting, value, `$${setting.env}`));
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
  const explorer = cosmiconfig(MODULE_NAME, { searchStrategy: 'project' });
  try {
    const result = explicit ? await explorer.load(path.resolve(cwd, explicit)) : await explorer.search(cwd);
    if (!result || result.isEmpty) return undefined;
    if (typeof result.config !== 'object' || result.config === null || Array.isArray(result.config)) {
      throw new ValidationError(`The config file ${result.filepath} must hold an object.`);
    }
    return result;
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    throw new ValidationError(`The config file could not be read: ${(error as Error).message.split('\n')[0]}`, { cause: error });
  }
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

function coerce(setting: SettingDefinition, value: unknown, source: string): unknown {
  const bad = () => new ValidationError(`Setting ${setting.key} from ${source} must be ${article(setting.type)}; got ${JSON.stringify(value)}.`);
  switch (setting.type) {
    case 'string':
      if (typeof value !== 'string' || value === '') throw bad();
      return value;
    case 'integer': {
      const number = typeof value === 'string' ? Number(value) : value;
      if (typeof number !== 'number' || !Number.isInteger(number) || number < 0) throw bad();
      return number;
    }
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === '1') return true;
      if (value === 'false' || value === '0') return false;
      throw bad();
    case 'url-map': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad();
      const map: Record<string, string> = {};
      for (const [name, url] of Object.entries(value)) map[name] = checkUrl(String(url), `${setting.key}.${name} in ${source}`);
      return map;
    }
    case 'origin-list': {
      const entries = typeof value === 'string' ? value.split(',').map((entry) => entry.trim()).filter(Boolean) : value;
      if (!Array.isArray(entries)) throw bad();
      return entries.map((entry) => checkOrigin(entry, `${setting.key} in ${source}`));
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

function article(type: string): string {
  if (type === 'origin-list') return 'a list of origins';
  return type === 'integer' ? 'a non-negative integer' : type === 'url-map' ? 'an object of URLs' : `a ${type}`;
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
