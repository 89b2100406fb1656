/**
 * An in-process artifact-cli server on a free port with a temporary store, one domain, the
 * repositories a test asks for and a token: the quick way to exercise the NuGet routes over
 * real HTTP. (The e2e tests spawn `artifact-cli serve` instead.)
 */
import { NuGetClient } from './nuget-client.js';
import { DOMAIN, startFormatServer, type FormatTestServer, type RepositorySpec } from './format-server.js';

export { DOMAIN, type RepositorySpec };

export interface NuGetServerOptions {
  repositories: RepositorySpec[];
  /** Service index URL of the stand-in public source behind public:nuget-org. */
  publicSourceUrl?: string;
  maxUploadBytes?: number;
  offline?: boolean;
  metadataMaxAgeSeconds?: number;
  allowAnonymousRead?: boolean;
}

export interface NuGetTestServer extends Omit<FormatTestServer, 'endpoint'> {
  /** The repository's service index URL, what a NuGet source points at. */
  source(repository: string): string;
  /** A replaying client for the repository, with the token as the source's password. */
  client(repository: string, options?: { anonymous?: boolean }): NuGetClient;
}

export async function startNuGetServer(options: NuGetServerOptions): Promise<NuGetTestServer> {
  const server = await startFormatServer({
    format: 'nuget',
    connection: 'public:nuget-org',
    repositories: options.repositories,
    publicUrl: options.publicSourceUrl,
    maxUploadBytes: options.maxUploadBytes ?? 64 * 1024 * 1024,
    metadataMaxAgeSeconds: options.metadataMaxAgeSeconds ?? 300,
    offline: options.offline,
    allowAnonymousRead: options.allowAnonymousRead,
    timeoutMs: 3000,
  });
  const source = (repository: string) => `${server.endpoint(repository)}v3/index.json`;
  return {
    ...server,
    source,
    client: (repository, clientOptions = {}) =>
      new NuGetClient(source(repository), clientOptions.anonymous ? undefined : { username: 'aws', password: server.token }),
  };
}
