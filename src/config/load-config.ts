/** Layered loading: defaults, then the config file, then the environment, then flags, each through the settings table. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ValidationError } from '../errors.js';
import type { Config } from './config.js';
import { flagOption, SETTINGS, type FlagOption, type SettingDefinition, type Settings } from './definitions.js';
import type { ValueSource } from './setting-kinds.js';

/**
 * The command's options (commander's names) that carry a setting: the global --root and
 * --endpoint-url, serve's --port and the like (a switch is true), and --config.
 */
export type ConfigFlags = { [Option in FlagOption]?: string | boolean } & { config?: string };

const MODULE_NAME = 'artifact-cli';
const TABLE: readonly SettingDefinition[] = SETTINGS;

export async function loadConfig(flags: ConfigFlags, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Promise<Config> {
  const values = new Map<string, unknown>();
  // A relative path means "relative to where it was written": the config file's directory for
  // one from the file, the working directory for one from the environment or a flag.
  const bases = new Map<string, string>();
  const set = (setting: SettingDefinition, value: unknown, source: ValueSource, base: string) => {
    values.set(setting.key, setting.kind.parse(value, setting.key, source));
    bases.set(setting.key, base);
  };
  for (const setting of TABLE) values.set(setting.key, setting.default?.());

  const found = await readConfigFile(flags.config, cwd);
  if (found) {
    checkShape(found.config as Record<string, unknown>, found.filepath);
    for (const setting of TABLE) {
      const value = pick(found.config, setting.key);
      if (value !== undefined) set(setting, value, { from: found.filepath, text: false }, path.dirname(found.filepath));
    }
  }
  for (const setting of TABLE) {
    const value = setting.env ? env[setting.env] : undefined;
    if (value !== undefined && value !== '') set(setting, value, { from: `$${setting.env}`, text: true }, cwd);
  }
  const given = flags as Record<string, string | boolean | undefined>;
  for (const setting of TABLE) {
    const value = setting.flag ? given[flagOption(setting.flag)] : undefined;
    // An empty flag (`--root "$UNSET"`) is refused, not skipped: skipping it would quietly use another store.
    if (value !== undefined) set(setting, value, { from: setting.flag!, text: true }, cwd);
  }
  for (const setting of TABLE) {
    const value = values.get(setting.key);
    if (setting.type === 'path' && typeof value === 'string') values.set(setting.key, path.resolve(bases.get(setting.key) ?? cwd, value));
  }
  return { ...nest(values), configFile: found?.filepath };
}

/** The flat table's values as the nested object the Config type describes: "server.port" is server.port. */
function nest(values: Map<string, unknown>): Settings {
  const root: Record<string, unknown> = {};
  for (const [key, value] of values) {
    const parts = key.split('.');
    let target = root;
    for (const part of parts.slice(0, -1)) target = (target[part] ??= {}) as Record<string, unknown>;
    target[parts[parts.length - 1]] = value;
  }
  // Every key of the table was set above, each by its kind's parser: the shape is the table's.
  return root as Settings;
}

async function readConfigFile(explicit: string | undefined, cwd: string): Promise<{ config: unknown; filepath: string } | undefined> {
  if (!explicit && !(await mayHaveConfigFile(cwd))) return undefined;
  // cosmiconfig is loaded only here, so commands that never read settings stay fast.
  const { cosmiconfig } = await import('cosmiconfig');
  const explorer = cosmiconfig(MODULE_NAME, {
    searchStrategy: 'project',
    loaders: { '.ts': refuseTypeScript, '.mts': refuseTypeScript, '.cts': refuseTypeScript },
  });
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
  if (file && error.mark && error.reason)
    return `The config file ${file} is not valid YAML: line ${error.mark.line + 1}, column ${error.mark.column + 1}: ${error.reason}.`;
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
const TOP_LEVEL_NAMES = new Set([
  ...[...RC_NAMES].map((name) => `.${name}`),
  ...['js', 'ts', 'cjs', 'mjs'].map((extension) => `${MODULE_NAME}.config.${extension}`),
]);

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

/**
 * Every key in the file must be a setting of the table, and a group (server, upstream) an
 * object: a typo or a wrong type is an error, not a setting silently left at its default.
 */
function checkShape(config: Record<string, unknown>, file: string): void {
  const known = TABLE.map((setting) => setting.key);
  const walk = (object: Record<string, unknown>, prefix: string) => {
    for (const [key, value] of Object.entries(object)) {
      const full = prefix + key;
      if (full === '$schema') continue;
      if (known.includes(full)) continue;
      if (known.some((name) => name.startsWith(`${full}.`))) {
        if (typeof value !== 'object' || value === null || Array.isArray(value)) {
          throw new ValidationError(
            `Setting ${full} in ${file} must be an object (of ${known.filter((name) => name.startsWith(`${full}.`)).join(', ')}); got ${JSON.stringify(value)}.`,
          );
        }
        walk(value as Record<string, unknown>, `${full}.`);
        continue;
      }
      throw new ValidationError(`${file} has an unknown setting ${JSON.stringify(full)}; the settings are ${known.join(', ')}.`);
    }
  };
  walk(config, '');
}
