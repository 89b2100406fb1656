/**
 * An in-process artifact-cli server for the PyPI tests (format-server.ts), with public:pypi
 * pointed at a stand-in when asked: the quickest way to talk to the PyPI routes over real HTTP.
 * (End-to-end tests with pip and twine use the same, since the clients are the separate
 * processes there.)
 */
import { DOMAIN, startFormatServer, type FormatTestServer, type RepositorySpec } from './format-server.js';

export { DOMAIN, type RepositorySpec };

export interface PypiServerOptions {
  repositories: RepositorySpec[];
  /** URL of the stand-in public index behind public:pypi. */
  publicIndexUrl?: string;
  maxUploadBytes?: number;
  offline?: boolean;
  metadataMaxAgeSeconds?: number;
  /** Serve the store of this (stopped or running) server instead of a new one; repositories are not created. */
  reuse?: PypiTestServer;
}

export interface PypiTestServer extends FormatTestServer {
  /** The same as endpoint() with the token in it, as `login --tool pip` writes index URLs. */
  indexUrl(repository: string): string;
}

export async function startPypiServer(options: PypiServerOptions): Promise<PypiTestServer> {
  const server = await startFormatServer({
    format: 'pypi',
    connection: 'public:pypi',
    repositories: options.repositories,
    publicUrl: options.publicIndexUrl,
    maxUploadBytes: options.maxUploadBytes ?? 64 * 1024 * 1024,
    metadataMaxAgeSeconds: options.metadataMaxAgeSeconds ?? 300,
    offline: options.offline,
    reuse: options.reuse,
  });
  return { ...server, indexUrl: (repository) => server.endpoint(repository).replace('http://', `http://aws:${server.token}@`) + 'simple/' };
}
