import type { Settings } from './definitions.js';

/**
 * The typed configuration passed down from cli/main.ts: every setting of the table in
 * definitions.ts (the type is inferred from it), and the file they came from, if any.
 */
export type Config = Settings & {
  configFile?: string;
};

/** The base URL clients use to reach the server. */
export function publicBaseUrl(config: Config): string {
  const url = config.server.publicUrl ?? `http://${formatHost(config.server.host)}:${config.server.port}`;
  return url.endsWith('/') ? url.slice(0, -1) : url;
}

function formatHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
