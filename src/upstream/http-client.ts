/**
 * HTTP to upstream registries: connections are reused and bounded per origin, every request
 * has a time limit, and failures become UpstreamError with credentials redacted.
 *
 * This uses Node's own http/https agents rather than undici: undici 7 (the last line that runs
 * on Node 20) fails an internal assertion, uncatchably, when an upstream closes a connection
 * while a response body is paused for backpressure (undici issue 5360, fixed only in undici 8,
 * which needs Node 22). A registry that answers HTTP/1.0 or `Connection: close` under load
 * would take the whole server down; Node's parser handles that case.
 *
 * HTTP_PROXY, HTTPS_PROXY and NO_PROXY are honoured (proxy-env.ts, proxy-agents.ts), read at
 * each request so a test or embedding process can change them.
 */
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { UpstreamError } from '../errors.js';
import { endIfCrawling, UpstreamCrawl } from './crawl-guard.js';
import { proxyAuthorization, tunnelAgentFor } from './proxy-agents.js';
import { proxyFor } from './proxy-env.js';

// Enough parallel downloads for a cold `npm ci`, few enough not to hammer one registry.
const CONNECTIONS_PER_ORIGIN = 16;
const AGENT_OPTIONS = { keepAlive: true, maxSockets: CONNECTIONS_PER_ORIGIN, maxFreeSockets: CONNECTIONS_PER_ORIGIN };

const agents = {
  'http:': new http.Agent(AGENT_OPTIONS),
  'https:': new https.Agent(AGENT_OPTIONS),
};

/** A response body: a readable stream that can also be drained and thrown away. */
export type UpstreamBody = IncomingMessage & { dump(): Promise<void> };

export interface UpstreamResponse {
  statusCode: number;
  headers: IncomingHttpHeaders;
  body: UpstreamBody;
}

export interface UpstreamRequest {
  url: string;
  headers?: Record<string, string>;
  timeoutMs: number;
}

class UpstreamTimeout extends Error {
  readonly code = 'ETIMEDOUT';
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
    return await send(url, headers, input.timeoutMs);
  } catch (error) {
    throw new UpstreamError(`The upstream registry at ${redactUrl(input.url)} did not answer: ${describeNetworkError(error)}.`, {
      cause: error,
      hint: 'Check that the registry is reachable, or serve what is cached with --offline.',
    });
  }
}

/**
 * One GET. The socket's idle timer is the time limit: it covers waiting for the headers and
 * any stall while the body streams, and ends the request with ETIMEDOUT either way; a body that
 * trickles is ended by endIfCrawling.
 */
function send(url: URL, headers: Record<string, string>, timeoutMs: number): Promise<UpstreamResponse> {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return Promise.reject(new Error(`unsupported protocol ${url.protocol}`));
  let proxy: URL | undefined;
  try {
    proxy = proxyFor(url, process.env);
  } catch (error) {
    return Promise.reject(error);
  }
  return new Promise((resolve, reject) => {
    const onResponse = (response: IncomingMessage) => {
      const body = Object.assign(response, {
        dump: () =>
          new Promise<void>((done) => {
            response
              .once('end', done)
              .once('close', done)
              .once('error', () => done());
            response.resume();
          }),
      });
      endIfCrawling(response, timeoutMs);
      resolve({ statusCode: response.statusCode ?? 0, headers: response.headers, body });
    };
    let request: http.ClientRequest;
    if (!proxy) {
      const protocol = url.protocol as keyof typeof agents;
      request = (protocol === 'https:' ? https : http).get(url, { headers, agent: agents[protocol] }, onResponse);
    } else if (url.protocol === 'https:') {
      request = https.get(url, { headers, agent: tunnelAgentFor(proxy, AGENT_OPTIONS), timeout: timeoutMs }, onResponse);
    } else {
      // Plain HTTP goes to the proxy itself, with the whole URL as the request target.
      request = http.get(
        {
          host: proxy.hostname,
          port: proxy.port || 80,
          path: url.href,
          headers: { ...headers, host: url.host, ...proxyAuthorization(proxy) },
          agent: agents['http:'],
        },
        onResponse,
      );
    }
    request.setTimeout(timeoutMs, () => request.destroy(new UpstreamTimeout(`no answer within ${timeoutMs} ms`)));
    request.once('error', reject);
  });
}

export function describeNetworkError(error: unknown): string {
  const code = (error as { code?: string })?.code;
  if (code === 'ETIMEDOUT') return 'it timed out';
  if (code === 'ECONNREFUSED') return 'the connection was refused';
  if (code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || (error as Error)?.message === 'aborted') return 'the connection was closed';
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
  const gzipped =
    String(response.headers['content-encoding'] ?? '')
      .trim()
      .toLowerCase() === 'gzip';
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
    // Through gunzip the loop sees a premature close; the body holds the reason.
    const crawled = response.body.errored;
    if (crawled instanceof UpstreamCrawl)
      throw new UpstreamError(`The upstream registry at ${redactUrl(url)} sent its answer too slowly: ${crawled.message}.`, { cause: crawled });
    throw new UpstreamError(`The upstream registry at ${redactUrl(url)} broke off the response: ${describeNetworkError(error)}.`, { cause: error });
  }
  return Buffer.concat(chunks).toString('utf8');
}
