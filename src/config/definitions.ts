/**
 * Every setting in one table: key, type, default, environment variable and a description.
 * It feeds loading, validation, `artifact-cli config` and the README's table.
 */
import os from 'node:os';
import path from 'node:path';

export type SettingType = 'string' | 'integer' | 'boolean' | 'url-map' | 'origin-list';

export interface SettingDefinition {
  key: string;
  type: SettingType;
  default: () => unknown;
  env?: string;
  description: string;
}

function defaultRoot(): string {
  const dataHome = process.env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share');
  return path.join(dataHome, 'artifact-cli');
}

export const SETTINGS: readonly SettingDefinition[] = [
  { key: 'root', type: 'string', default: defaultRoot, env: 'ARTIFACT_CLI_ROOT', description: 'Directory that holds every domain, repository and blob.' },
  { key: 'domain', type: 'string', default: () => undefined, env: 'ARTIFACT_CLI_DOMAIN', description: 'Domain used when a command is given no --domain.' },
  { key: 'repository', type: 'string', default: () => undefined, env: 'ARTIFACT_CLI_REPOSITORY', description: 'Repository used when a command is given no --repository.' },
  { key: 'server.host', type: 'string', default: () => '127.0.0.1', env: 'ARTIFACT_CLI_HOST', description: 'Address `serve` binds to.' },
  { key: 'server.port', type: 'integer', default: () => 8573, env: 'ARTIFACT_CLI_PORT', description: 'Port `serve` listens on.' },
  { key: 'server.publicUrl', type: 'string', default: () => undefined, env: 'ARTIFACT_CLI_PUBLIC_URL', description: 'Base URL clients use to reach the server (endpoints and login use it); defaults to http://host:port.' },
  { key: 'server.maxUploadBytes', type: 'integer', default: () => 256 * 1024 * 1024, env: 'ARTIFACT_CLI_MAX_UPLOAD_BYTES', description: 'Largest request body the server accepts.' },
  { key: 'server.allowAnonymousRead', type: 'boolean', default: () => false, env: 'ARTIFACT_CLI_ALLOW_ANONYMOUS_READ', description: 'Let requests without a token read (never write).' },
  { key: 'offline', type: 'boolean', default: () => false, env: 'ARTIFACT_CLI_OFFLINE', description: 'Never call upstream registries; serve only what is stored.' },
  { key: 'upstream.metadataMaxAgeSeconds', type: 'integer', default: () => 300, env: 'ARTIFACT_CLI_METADATA_MAX_AGE', description: 'How long metadata fetched from a public registry counts as fresh.' },
  { key: 'upstream.timeoutMs', type: 'integer', default: () => 30_000, env: 'ARTIFACT_CLI_UPSTREAM_TIMEOUT_MS', description: 'Time limit for one request to an upstream registry.' },
  {
    key: 'upstream.assetOrigins',
    type: 'origin-list',
    default: () => [],
    env: 'ARTIFACT_CLI_UPSTREAM_ASSET_ORIGINS',
    description: 'Origins (scheme://host[:port], comma-separated in the environment) upstream files may also be fetched from, besides their registry\'s own (docs/upstreams.md).',
  },
  { key: 'externalConnections', type: 'url-map', default: () => ({}), description: 'URL behind each public:* connection, e.g. {"public:npmjs": "http://127.0.0.1:9000/"}.' },
];
