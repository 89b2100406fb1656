/**
 * Connections through an HTTP proxy. An https:// upstream is reached through a CONNECT tunnel,
 * with TLS end to end between artifact-cli and the registry (the proxy sees only the host
 * name); an http:// one is asked of the proxy directly, with the full URL as the request target.
 */
import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';

/** The Proxy-Authorization header for a proxy URL with user info, else none. */
export function proxyAuthorization(proxy: URL): Record<string, string> {
  if (!proxy.username && !proxy.password) return {};
  const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return { 'proxy-authorization': `Basic ${Buffer.from(credentials).toString('base64')}` };
}

/** The proxy as messages show it: never its credentials. */
export function proxyLabel(proxy: URL): string {
  return `http://${proxy.host}`;
}

// Without a time limit of its own, a proxy that never answers CONNECT would hold the request
// forever: the request's own timer starts only once it has a socket.
const DEFAULT_CONNECT_TIMEOUT_MS = 30_000;

/** Keeps TLS connections to upstreams, each through its own CONNECT tunnel, pooled per upstream. */
class TunnelAgent extends https.Agent {
  constructor(
    private readonly proxy: URL,
    options: https.AgentOptions,
  ) {
    super(options);
  }

  override createConnection(requestOptions: http.RequestOptions, callback?: (error: Error | null, socket: Duplex) => void): Duplex | undefined {
    // Node hands over the request's options merged with the agent's TLS ones (servername, ca...).
    const options = requestOptions as tls.ConnectionOptions & http.RequestOptions;
    const done = (error: Error | null, socket?: Duplex) => callback?.(error, socket as Duplex);
    const target = `${options.host?.includes(':') ? `[${options.host}]` : options.host}:${options.port}`;
    const connect = http.request({
      host: this.proxy.hostname,
      port: this.proxy.port || 80,
      method: 'CONNECT',
      path: target,
      headers: { host: target, ...proxyAuthorization(this.proxy) },
      agent: false,
    });
    const timeoutMs = options.timeout ?? DEFAULT_CONNECT_TIMEOUT_MS;
    connect.setTimeout(timeoutMs, () =>
      connect.destroy(Object.assign(new Error(`the proxy at ${proxyLabel(this.proxy)} did not open a tunnel within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })),
    );
    connect.once('connect', (response, socket) => {
      connect.setTimeout(0);
      if (response.statusCode !== 200) {
        socket.destroy();
        done(new Error(`the proxy at ${proxyLabel(this.proxy)} answered ${response.statusCode} to CONNECT ${target}`));
        return;
      }
      // `path` is the request's path here; to tls.connect it would name a local socket.
      const { path: _requestPath, host: rawHost, ...tlsOptions } = options;
      const host = rawHost ?? undefined;
      done(null, tls.connect({ ...tlsOptions, host, socket, servername: options.servername ?? (isIpAddress(host) ? undefined : host) }));
    });
    connect.once('error', (error: Error) => done(error));
    connect.end();
    return undefined;
  }
}

function isIpAddress(host: string | null | undefined): boolean {
  return !host || /^[\d.]+$/.test(host) || host.includes(':');
}

const tunnels = new Map<string, TunnelAgent>();

/** One tunnelling agent per proxy, so connections through it are reused like direct ones. */
export function tunnelAgentFor(proxy: URL, options: https.AgentOptions): https.Agent {
  let agent = tunnels.get(proxy.href);
  if (!agent) {
    agent = new TunnelAgent(proxy, options);
    tunnels.set(proxy.href, agent);
  }
  return agent;
}
