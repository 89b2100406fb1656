/**
 * Every setting in one table: key, kind (type, parser and validator), default, environment
 * variable, command-line flag and description. The `Settings` type is inferred from it,
 * load-config.ts reads every layer through it, and docs/configuration.md's tables are generated
 * from it (`npm run docs:configuration`, CONTRIBUTING.md says how to add a setting).
 */
import os from 'node:os';
import path from 'node:path';
import {
  booleanSetting,
  domainNameSetting,
  integerSetting,
  originListSetting,
  pathSetting,
  repositoryNameSetting,
  hostSetting,
  urlMapSetting,
  urlSetting,
  type SettingKind,
  type SettingType,
} from './setting-kinds.js';

export type { SettingType } from './setting-kinds.js';

interface SettingSpec<T> {
  env?: `ARTIFACT_CLI_${string}`;
  /**
   * The flag that sets it for one run, e.g. --root: a global flag, or one of the commands named
   * in `flagOf` (serve's --port). load-config reads it from the command's options.
   */
  flag?: `--${string}`;
  flagOf?: readonly string[];
  description: string;
  /** A fresh default for each load; a setting without one is unset unless given. */
  default?: () => T;
  /** How docs/configuration.md shows a default it cannot print as a value (one computed at run time). */
  defaultText?: string;
}

/** One row of the table, as code reads it (tests and the docs generator too). */
export interface SettingDefinition<K extends string = string, T = unknown> extends SettingSpec<T> {
  readonly key: K;
  readonly kind: SettingKind<T>;
  /** The kind's type and bounds, copied onto the row so that it reads flat. */
  readonly type: SettingType;
  readonly min?: number;
  readonly max?: number;
}

/** A row; its spec's own type is kept, so the types below can see which rows have a default or a flag. */
function define<const K extends string, T, S extends SettingSpec<NoInfer<T>>>(key: K, kind: SettingKind<T>, spec: S): SettingDefinition<K, T> & S {
  return { key, kind, type: kind.type, min: kind.min, max: kind.max, ...spec };
}

/** The longest delay a Node.js timer keeps (2^31 - 1 ms); a longer one fires at once. */
export const MAX_TIMER_MS = 2_147_483_647;

/** The root a command uses when no flag, variable or config file names one. */
export function defaultRoot(): string {
  const dataHome = process.env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share');
  return path.join(dataHome, 'artifact-cli');
}

export const SETTINGS = [
  define('root', pathSetting, {
    default: defaultRoot,
    defaultText: '`$XDG_DATA_HOME/artifact-cli`, else `~/.local/share/artifact-cli`',
    env: 'ARTIFACT_CLI_ROOT',
    flag: '--root',
    description:
      'Directory that holds every domain, repository and blob. A relative path is relative to the config file it is written in, else to the working directory.',
  }),
  define('domain', domainNameSetting, { env: 'ARTIFACT_CLI_DOMAIN', description: 'Domain used when a command is given no `--domain`.' }),
  define('repository', repositoryNameSetting, { env: 'ARTIFACT_CLI_REPOSITORY', description: 'Repository used when a command is given no `--repository`.' }),
  define('server.host', hostSetting, {
    default: () => '127.0.0.1',
    env: 'ARTIFACT_CLI_HOST',
    flag: '--host',
    flagOf: ['serve'],
    description: 'Address `serve` binds to.',
  }),
  define('server.port', integerSetting(0, 65_535), {
    default: () => 8573,
    env: 'ARTIFACT_CLI_PORT',
    flag: '--port',
    flagOf: ['serve'],
    description: 'Port `serve` listens on (0: any free port).',
  }),
  define('server.publicUrl', urlSetting, {
    defaultText: '`http://host:port`',
    env: 'ARTIFACT_CLI_PUBLIC_URL',
    flag: '--endpoint-url',
    description: 'Base URL clients use to reach the server (endpoints and login use it).',
  }),
  define('server.maxUploadBytes', integerSetting(1, Number.MAX_SAFE_INTEGER), {
    default: () => 256 * 1024 * 1024,
    defaultText: '`268435456` (256 MiB)',
    env: 'ARTIFACT_CLI_MAX_UPLOAD_BYTES',
    description: 'Largest request body the server accepts.',
  }),
  define('server.allowAnonymousRead', booleanSetting, {
    default: () => false,
    env: 'ARTIFACT_CLI_ALLOW_ANONYMOUS_READ',
    flag: '--allow-anonymous-read',
    flagOf: ['serve'],
    description: 'Let requests without a token read (never write).',
  }),
  define('offline', booleanSetting, {
    default: () => false,
    env: 'ARTIFACT_CLI_OFFLINE',
    flag: '--offline',
    flagOf: ['serve', 'quickstart'],
    description: 'Never call upstream registries; serve only what is stored.',
  }),
  define('upstream.metadataMaxAgeSeconds', integerSetting(0, 31_536_000), {
    default: () => 300,
    env: 'ARTIFACT_CLI_METADATA_MAX_AGE',
    description: 'How long metadata fetched from a public registry counts as fresh (up to a year).',
  }),
  define('upstream.timeoutMs', integerSetting(1, MAX_TIMER_MS), {
    default: () => 30_000,
    env: 'ARTIFACT_CLI_UPSTREAM_TIMEOUT_MS',
    description: 'Time limit for one request to an upstream registry (about 24.8 days at most; there is no "no limit").',
  }),
  define('upstream.assetOrigins', originListSetting, {
    default: () => [],
    env: 'ARTIFACT_CLI_UPSTREAM_ASSET_ORIGINS',
    description:
      "Origins upstream files may also be fetched from, besides their registry's own (comma-separated in the environment; see [upstreams.md](upstreams.md)).",
  }),
  define('externalConnections', urlMapSetting, {
    default: () => ({}),
    description: 'URL behind each `public:*` connection, e.g. `{"public:npmjs": "http://127.0.0.1:9000/"}`.',
  }),
] as const;

type AnySetting = (typeof SETTINGS)[number];
type ValueOf<S> = S extends { kind: SettingKind<infer T> } ? T : never;
type HasDefault<S> = S extends { default: () => unknown } ? true : false;
type Leaf<K extends string> = K extends `${string}.${infer Rest}` ? Rest : K;
type GroupName<K extends string> = K extends `${infer Group}.${string}` ? Group : never;

/** The fields of some settings: one with a default is always there, one without is optional. */
type Fields<S extends AnySetting> = {
  [Entry in S as HasDefault<Entry> extends true ? Leaf<Entry['key']> : never]: ValueOf<Entry>;
} & {
  [Entry in S as HasDefault<Entry> extends true ? never : Leaf<Entry['key']>]?: ValueOf<Entry>;
};

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** Every setting's value, nested by its dotted key ("server.port" is settings.server.port). */
export type Settings = Simplify<
  Fields<Exclude<AnySetting, { key: `${string}.${string}` }>> & {
    [Group in GroupName<AnySetting['key']>]: Simplify<Fields<Extract<AnySetting, { key: `${Group}.${string}` }>>>;
  }
>;

type CamelCase<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : S;
/** The option name commander gives a setting's flag: --endpoint-url is endpointUrl. */
export type FlagOption<S extends AnySetting = AnySetting> = S extends { flag: `--${infer Name}` } ? CamelCase<Name> : never;

export function flagOption(flag: string): string {
  return flag.replace(/^--/, '').replace(/-([a-z])/g, (_match, letter: string) => letter.toUpperCase());
}
