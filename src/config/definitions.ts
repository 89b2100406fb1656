/**
 * Every setting in one table: key, type, default, environment variable and a description.
 * It feeds loading, validation, `artifact-cli config` and docs/configuration.md's table.
 */
import os from 'node:os';
import path from 'node:path';

export type SettingType = 'string' | 'integer' | 'boolean' | 'url' | 'url-map' | 'origin-list' | 'domain-name' | 'repository-name';

export interface SettingDefinition {
  key: string;
  type: SettingType;
  default: () => unknown;
  env?: string;
  description: string;
  /** Inclusive bounds of an integer setting. */
  min?: number;
  max?: number;
}

/** The longest delay a Node.js timer keeps (2^31 - 1 ms); a longer one fires at once. */
export const MAX_TIMER_MS = 2_147_483_647;

function defaultRoot(): string {
  const dataHome = process.env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share');
  return path.join(dataHome, 'artifact-cli');
}

export const SETTINGS: readonly SettingDefinition[] = [
  { key: 'root', type: 'string', default: defaultRoot, env: 'ARTIFACT_CLI_ROOT', description: 'Directory that holds every domain, repository and blob.' },
  { key: 'domain', type: 'domain-name', default: () => undefined, env: 'ARTIFACT_CLI_DOMAIN', description: 'Domain used when a command is given no --domain.' },
  { key: 'repository', type: 'repository-name', default: () => undefined, env: 'ARTIFACT_CLI_REPOSITORY', description: 'Repository used when a command is given no --repository.' },
  { key: 'server.host', type: 'string', default: () => '127.0.0.1', env: 'ARTIFACT_CLI_HOST', description: 'Address `serve` binds to.' },
  { key: 'server.port', type: 'integer', min: 0, max: 65_535, default: () => 8573, env: 'ARTIFACT_CLI_PORT', description: 'Port `serve` listens on (0: any free port).' },
  { key: 'server.publicUrl', type: 'url', default: () => undefined, env: 'ARTIFACT_CLI_PUBLIC_URL', description: 'Base URL clients use to reach the server (endpoints and login use it); defaults to http://host:port.' },
  { key: 'server.maxUploadBytes', type: 'integer', min: 1, max: Number.MAX_SAFE_INTEGER, default: () => 256 * 1024 * 1024, env: 'ARTIFACT_CLI_MAX_UPLOAD_BYTES', description: 'Largest request body the server accepts.' },
  { key: 'server.allowAnonymousRead', type: 'boolean', default: () => false, env: 'ARTIFACT_CLI_ALLOW_ANONYMOUS_READ', description: 'Let requests without a token read (never write).' },
  { key: 'offline', type: 'boolean', default: () => false, env: 'ARTIFACT_CLI_OFFLINE', description: 'Never call upstream registries; serve only what is stored.' },
  { key: 'upstream.metadataMaxAgeSeconds', type: 'integer', min: 0, max: 31_536_000, default: () => 300, env: 'ARTIFACT_CLI_METADATA_MAX_AGE', description: 'How long metadata fetched from a public registry counts as fresh (0 to a year).' },
  { key: 'upstream.timeoutMs', type: 'integer', min: 1, max: MAX_TIMER_MS, default: () => 30_000, env: 'ARTIFACT_CLI_UPSTREAM_TIMEOUT_MS', description: 'Time limit for one request to an upstream registry (1 ms to about 24.8 days; there is no "no limit").' },
  {
    key: 'upstream.assetOrigins',
    type: 'origin-list',
    default: () => [],
    env: 'ARTIFACT_CLI_UPSTREAM_ASSET_ORIGINS',
    description: 'Origins (scheme://host[:port], comma-separated in the environment) upstream files may also be fetched from, besides their registry\'s own (docs/upstreams.md).',
  },
  { key: 'externalConnections', type: 'url-map', default: () => ({}), description: 'URL behind each public:* connection, e.g. {"public:npmjs": "http://127.0.0.1:9000/"}.' },
];
