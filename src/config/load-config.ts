/** Layered loading: defaults, then the config file, then the environment, then flags. */
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
  if (found) {
    for (const setting of SETTINGS) {
      const value = pick(found.config, setting.key);
      if (value !== undefined) flat.set(setting.key, coerce(setting, value, found.filepath));
    }
  }
  for (const setting of SETTINGS) {
    const value = setting.env ? env[setting.env] : undefined;
    if (value !== undefined && value !== '') flat.set(setting.key, coerce(setting, value, `$${setting.env}`));
  }
  if (flags.root) flat.set('root', flags.root);
  if (flags.endpointUrl) flat.set('server.publicUrl', checkUrl(flags.endpointUrl, '--endpoint-url'));

  const configDir = found ? path.dirname(found.filepath) : cwd;
  return {
    root: path.resolve(configDir, flat.get('root') as string),
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
    },
    externalConnections: flat.get('externalConnections') as Record<string, string>,
    configFile: found?.filepath,
  };
}

async function readConfigFile(explicit: string | undefined, cwd: string): Promise<{ config: unknown; filepath: string } | undefined> {
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
  }
}

function article(type: string): string {
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
