/**
 * Which proxy, if any, a request to an upstream goes through, from the environment variables
 * curl, pip and npm read: http_proxy / HTTP_PROXY for http:// URLs, https_proxy / HTTPS_PROXY
 * for https:// ones (the lower-case name wins), and no_proxy / NO_PROXY for the hosts that are
 * reached directly. The rules are in docs/upstreams.md ("Proxies").
 */
import { isIP } from 'node:net';

export interface ProxyEnv {
  http_proxy?: string;
  HTTP_PROXY?: string;
  https_proxy?: string;
  HTTPS_PROXY?: string;
  no_proxy?: string;
  NO_PROXY?: string;
}

/** The proxy URL for `target`, or undefined to connect directly. Throws on a proxy URL that cannot be used. */
export function proxyFor(target: URL, env: ProxyEnv): URL | undefined {
  const raw =
    target.protocol === 'https:' ? (env.https_proxy ?? env.HTTPS_PROXY) : target.protocol === 'http:' ? (env.http_proxy ?? env.HTTP_PROXY) : undefined;
  if (!raw?.trim()) return undefined;
  if (bypassesProxy(target, env.no_proxy ?? env.NO_PROXY)) return undefined;
  return parseProxyUrl(raw.trim(), target.protocol === 'https:' ? 'https_proxy' : 'http_proxy');
}

/** curl's reading: no scheme means http://; only http:// proxies are spoken to. */
function parseProxyUrl(raw: string, name: string): URL {
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`);
  } catch {
    throw new Error(`${name} is not a URL`);
  }
  if (url.protocol !== 'http:') throw new Error(`${name} uses ${url.protocol.slice(0, -1)}://; artifact-cli speaks to http:// proxies only`);
  return url;
}

/**
 * True when `noProxy` names the target's host. Unset, it names the loopback host, which no
 * proxy elsewhere could reach; set (even to nothing), it names exactly its entries.
 */
export function bypassesProxy(target: URL, noProxy: string | undefined): boolean {
  const host = unbracket(target.hostname).toLowerCase();
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  if (noProxy === undefined) return host === 'localhost' || host === '::1' || /^127\./.test(host);
  return noProxy
    .split(/[\s,]+/)
    .filter(Boolean)
    .some((entry) => entryMatches(entry.toLowerCase(), host, port));
}

function entryMatches(entry: string, host: string, port: string): boolean {
  if (entry === '*') return true;
  let pattern = entry;
  // "host:port" or "[v6]:port" limits the entry to one port; a bare IPv6 address has colons too.
  const withPort = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(pattern);
  if (withPort && isIP(unbracket(pattern)) !== 6) {
    if (withPort[2] !== port) return false;
    pattern = withPort[1];
  }
  pattern = unbracket(pattern).replace(/^\*?\./, '');
  if (isIP(pattern) || isIP(host)) return pattern === host;
  // A domain entry covers the domain itself and every name under it.
  return host === pattern || host.endsWith(`.${pattern}`);
}

function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}
