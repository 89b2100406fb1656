/**
 * Refuses an external-connection URL that leads back to this artifact-cli server: every read
 * through it would ask the server itself, which asks itself again (docs/upstreams.md).
 */
import os from 'node:os';
import type { Config } from '../config/config.js';
import { UpstreamError } from '../errors.js';

const ANY_ADDRESS = new Set(['0.0.0.0', '::', '']);

/** Throws when `url` is one of this server's own addresses (its host and port, or its publicUrl). */
export function refuseSelfReference(config: Config, connection: string, url: string, source: string): void {
  if (!pointsAtSelf(config, url)) return;
  throw new UpstreamError(
    `${connection} points at this artifact-cli server itself (${url}), taken from ${source}; reads through it would ask the server itself.`,
    {
      hint: `Set externalConnections["${connection}"] in the artifact-cli config file to the public registry's URL (docs/upstreams.md).`,
    },
  );
}

export function pointsAtSelf(config: Config, url: string): boolean {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return false;
  }
  const publicUrl = config.server.publicUrl;
  if (publicUrl && underPublicUrl(target, publicUrl)) return true;
  if (portOf(target) !== config.server.port) return false;
  const host = bare(target.hostname);
  const bound = bare(config.server.host);
  if (host === bound) return true;
  // Bound to every address, any address of this machine reaches it; bound to loopback, any loopback name.
  if (ANY_ADDRESS.has(bound)) return isLoopback(host) || localAddresses().has(host);
  return isLoopback(bound) && isLoopback(host);
}

function underPublicUrl(target: URL, publicUrl: string): boolean {
  let base: URL;
  try {
    base = new URL(publicUrl);
  } catch {
    return false;
  }
  if (base.protocol !== target.protocol || bare(base.hostname) !== bare(target.hostname) || portOf(base) !== portOf(target)) return false;
  const prefix = base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`;
  return prefix === '/' || `${target.pathname}/`.startsWith(prefix);
}

function portOf(url: URL): number {
  if (url.port) return Number(url.port);
  return url.protocol === 'https:' ? 443 : 80;
}

function bare(host: string): string {
  return host.replace(/^\[|\]$/g, '').toLowerCase();
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host) || host === '::ffff:127.0.0.1';
}

function localAddresses(): Set<string> {
  const addresses = new Set<string>();
  for (const list of Object.values(os.networkInterfaces())) for (const entry of list ?? []) addresses.add(entry.address.toLowerCase());
  addresses.add(os.hostname().toLowerCase());
  return addresses;
}
