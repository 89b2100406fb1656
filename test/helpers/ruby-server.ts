/**
 * An in-process artifact-cli server for the Ruby format tests (format-server.ts), with
 * public:ruby-gems-org pointed at a stand-in when asked, plus small helpers to push and read
 * over real HTTP.
 */
import { DOMAIN, startFormatServer, type FormatTestServer, type RepositorySpec } from './format-server.js';

export { DOMAIN };
export type RubyRepositorySpec = RepositorySpec;
export type RubyTestServer = FormatTestServer;

export async function startRubyServer(options: {
  repositories: RubyRepositorySpec[];
  publicUrl?: string;
  reuse?: RubyTestServer;
  maxUploadBytes?: number;
  assetOrigins?: string[];
  metadataMaxAgeSeconds?: number;
}): Promise<RubyTestServer> {
  return startFormatServer({
    format: 'ruby',
    connection: 'public:ruby-gems-org',
    repositories: options.repositories,
    publicUrl: options.publicUrl,
    maxUploadBytes: options.maxUploadBytes ?? 16 * 1024 * 1024,
    metadataMaxAgeSeconds: options.metadataMaxAgeSeconds ?? 0,
    assetOrigins: options.assetOrigins,
    reuse: options.reuse,
  });
}

/** `gem push`'s request: the raw .gem with the key as the whole Authorization header. */
export async function pushGem(server: RubyTestServer, repository: string, bytes: Buffer, key = server.token): Promise<{ status: number; text: string }> {
  const response = await fetch(`${server.endpoint(repository)}api/v1/gems`, {
    method: 'POST',
    headers: { authorization: key, 'content-type': 'application/octet-stream' },
    body: new Uint8Array(bytes),
  });
  return { status: response.status, text: await response.text() };
}

export async function getWithToken(server: RubyTestServer, url: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { headers: { authorization: `Basic ${Buffer.from(`aws:${server.token}`).toString('base64')}`, ...headers } });
}
