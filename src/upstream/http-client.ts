/**
 * HTTP to upstream registries through undici: connections are reused and bounded per origin,
 * every request has a time limit, and failures become UpstreamError with credentials redacted.
 */
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { Agent, request, type Dispatcher } from 'undici';
import { UpstreamError } from '../errors.js';

// Enough parallel downloads for a cold `npm ci`, few enough not to hammer one registry.
const CONNECTIONS_PER_ORIGIN = 16;

let sharedAgent: Agent | undefined;

function agent(): Agent {
  sharedAgent ??= new Agent({ connections: CONNECTIONS_PER_ORIGIN, keepAliveTimeout: 10_000, pipelining: 1 });
  return sharedAgent;
}

export interface UpstreamResponse {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  body: Dispatcher.ResponseData['body'];
}

export interface UpstreamRequest {
  url: string;
  headers?: Record<string, string>;
  timeoutMs: number;
}

/** Shows a URL without user info or query, so a token in either never reaches a message or log. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    parsed.search = '';
    return parsed.toString();
  } catch {
    return '<invalid url>';
  }
}

/**
 * GET with a deadline for the headers and a body timeout for stalls after that. The caller
 * must consume or dump the body.
 */
export async function upstreamGet(input: UpstreamRequest): Promise<UpstreamResponse> {
  const url = new URL(input.url);
  const headers: Record<string, string> = { 'user-agent': 'artifact-cli', ...input.headers };
  if (url.username || url.password) {
    headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
    url.username = '';
    url.password = '';
  }
  try {
    const response = await request(url, {
      method: 'GET',
      headers,
      dispatcher: agent(),
      headersTimeout: input.timeoutMs,
      bodyTimeout: input.timeoutMs,
    });
    return { statusCode: response.statusCode, headers: response.headers, body: response.body };
  } catch (error) {
    throw new UpstreamError(`The upstream registry at ${redactUrl(input.url)} did not answer: ${describeNetworkError(error)}.`, {
      cause: error,
      hint: 'Check that the registry is reachable, or serve what is cached with --offline.',
    });
  }
}

export function describeNetworkError(error: unknown): string {
  const code = (error as { code?: string })?.code;
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return 'it timed out';
  if (code === 'ECONNREFUSED') return 'the connection was refused';
  if (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET') return 'the connection was closed';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'the host name did not resolve';
  return (error as Error)?.message ?? String(error);
}

/**
 * Reads a whole (small) response body with a size cap. A gzipped body is unpacked (the cap
 * counts unpacked bytes): some registries send gzip unasked, nuget.org's registration hives
 * among them.
 */
export async function readUpstreamText(response: UpstreamResponse, maxBytes: number, url: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  const gzipped = String(response.headers['content-encoding'] ?? '').trim().toLowerCase() === 'gzip';
  const source: AsyncIterable<Buffer> = gzipped ? pipeline(response.body, createGunzip(), () => undefined) : (response.body as AsyncIterable<Buffer>);
  try {
    for await (const chunk of source) {
      size += chunk.length;
      if (size > maxBytes) {
        response.body.destroy();
        throw new UpstreamError(`The upstream registry sent more than ${maxBytes} bytes of metadata for ${redactUrl(url)}.`);
      }
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof UpstreamError) throw error;
    throw new UpstreamError(`The upstream registry at ${redactUrl(url)} broke off the response: ${describeNetworkError(error)}.`, { cause: error });
  }
  return Buffer.concat(chunks).toString('utf8');
}
