/**
 * Which hosts the server fetches upstream files from (docs/upstreams.md). A registry's metadata
 * names where its files are (npm's dist.tarball, PyPI's file URLs, NuGet's resource URLs); taken
 * as they come, any registry, or anyone who can change its answers, could make the server fetch
 * from hosts only it can reach (loopback, the local network) and tell the client what it found.
 * So a file is fetched only from the origin of the registry that described it, from origins the
 * operator lists in upstream.assetOrigins, or, for a public:* connection left at its default
 * address, from the one file host that registry is known to use.
 */
import type { Config } from '../config/config.js';
import { UpstreamError } from '../errors.js';
import { defaultAssetOrigins } from './external-urls.js';
import type { ExternalSource } from './external.js';

/** What a file's URL is checked against: the registry that described it. */
export type AssetSource = Pick<ExternalSource, 'url' | 'connectionName'>;

function originOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `url` may be fetched for `source`: same origin as the registry, or an allowed one. */
export function isAllowedAssetUrl(config: Config, source: AssetSource, url: string): boolean {
  const origin = originOf(url);
  if (origin === undefined) return false;
  if (origin === originOf(source.url)) return true;
  if (config.upstream.assetOrigins?.includes(origin)) return true;
  // Only while the connection's address is the built-in one: a configured address is its own origin.
  return config.externalConnections[source.connectionName] === undefined && defaultAssetOrigins(source.connectionName).includes(origin);
}

/** Throws UpstreamError (502) for a URL the registry may not make the server fetch. */
export function checkAssetUrl(config: Config, source: AssetSource, url: string): void {
  if (isAllowedAssetUrl(config, source, url)) return;
  // The refused origin came from the registry's answer; the registry's own address is not shown.
  const origin = originOf(url);
  throw new UpstreamError(
    `The registry behind ${source.connectionName} named a file on ${origin ?? 'an address that is not http(s)'}, which is not the registry's own origin; it was not fetched.`,
    {
      hint: origin ? `If the registry really keeps its files there, add "${origin}" to upstream.assetOrigins in the config file.` : undefined,
    },
  );
}
