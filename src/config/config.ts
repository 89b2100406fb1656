/** The typed configuration object passed down from cli/main.ts. */
export interface Config {
  root: string;
  domain?: string;
  repository?: string;
  server: {
    host: string;
    port: number;
    publicUrl?: string;
    maxUploadBytes: number;
    allowAnonymousRead: boolean;
  };
  offline: boolean;
  upstream: {
    metadataMaxAgeSeconds: number;
    timeoutMs: number;
    /** Origins files may come from besides their registry's own (asset-origins.ts); none when absent. */
    assetOrigins?: string[];
  };
  externalConnections: Record<string, string>;
  /** The file the settings came from, when there was one. */
  configFile?: string;
}

/** The base URL clients use to reach the server. */
export function publicBaseUrl(config: Config): string {
  const url = config.server.publicUrl ?? `http://${formatHost(config.server.host)}:${config.server.port}`;
  return url.endsWith('/') ? url.slice(0, -1) : url;
}

function formatHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
