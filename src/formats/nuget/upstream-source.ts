/**
 * The NuGet source behind an external connection (public:nuget-org or a configured URL). Its
 * service index is resolved once and cached like every other document, through the shared
 * MetadataCache: fresh copies are reused, old ones revalidated, and stale ones served with a
 * warning when the source is down.
 */
import { createHash } from 'node:crypto';
import { UpstreamError } from '../../errors.js';
import type { ServerDeps } from '../../server/route.js';
import { checkAssetUrl } from '../../upstream/asset-origins.js';
import type { ExternalSource } from '../../upstream/external.js';
import { readUpstreamText, redactUrl, upstreamGet } from '../../upstream/http-client.js';
import { freshUntil, metadataCacheFor, type CachedDocument, type MetadataCache, type MetadataKey } from '../../upstream/metadata-cache.js';
import type { ExternalVersion } from './package-view.js';
import {
  parseCatalogLeafHash,
  parseRegistrationIndex,
  parseRegistrationPage,
  parseServiceIndex,
  parseVersionsIndex,
  type RegistrationPageRef,
  type UpstreamResources,
} from './upstream-documents.js';

// nuget.org pages hold 64 versions; this covers packages with thousands of them.
const MAX_REGISTRATION_PAGES = 100;
const MAX_CATALOG_LEAF_BYTES = 1024 * 1024;

/** Versions an upstream document lists, with the cached documents they came from (for render caching). */
export interface ExternalListing {
  versions: ExternalVersion[];
  documents: object[];
  /** When the first of the documents it came from goes stale (ms since 1970). */
  validUntil: number;
}

/** The service index URL of a connection: configured as one, or as the source's base URL. */
function serviceIndexUrl(url: string): string {
  return url.endsWith('.json') ? url : `${url}v3/index.json`;
}

export class NuGetUpstream {
  private readonly cache: MetadataCache;

  constructor(
    private readonly deps: ServerDeps,
    private readonly domain: string,
    readonly source: ExternalSource,
  ) {
    this.cache = metadataCacheFor(deps);
  }

  private key(namespace: string, name: string): MetadataKey {
    return { domain: this.domain, repository: this.source.repository.name, format: 'nuget', namespace, name };
  }

  /** The source's resources; undefined only offline, when its service index was never cached. */
  async resources(): Promise<UpstreamResources | undefined> {
    return (await this.serviceIndex())?.document as UpstreamResources | undefined;
  }

  private async serviceIndex(): Promise<CachedDocument | undefined> {
    const url = serviceIndexUrl(this.source.url);
    const cached = await this.cache.get({ key: this.key('service-index', 'index'), url, accept: 'application/json', parse: parseServiceIndex });
    if (cached) return cached;
    if (this.deps.config.offline) return undefined;
    throw new UpstreamError(`The NuGet source of ${this.source.connectionName} has no service index at ${redactUrl(url)}.`);
  }

  /** The versions in the upstream's flat container, or undefined when it does not know the id. */
  async versions(name: string): Promise<ExternalListing | undefined> {
    const index = await this.serviceIndex();
    if (!index) return undefined;
    const resources = index.document as UpstreamResources;
    const cached = await this.cache.get({
      key: this.key('versions', name),
      url: this.named(`${resources.packageBaseAddress}${name}/index.json`),
      accept: 'application/json',
      parse: parseVersionsIndex,
    });
    if (!cached) return undefined;
    const versions = cached.document as ExternalVersion[];
    return { versions, documents: [versions], validUntil: Math.min(freshUntil(this.deps, index), freshUntil(this.deps, cached)) };
  }

  /**
   * Every version the upstream's registration describes, or undefined when it has none.
   * `persist`: false for a download, which needs one version's digest and keeps the version
   * record; the documents then stay in memory (metadata-cache.ts).
   */
  async registration(name: string, persist = true): Promise<ExternalListing | undefined> {
    const serviceIndex = await this.serviceIndex();
    const registrationsBaseUrl = (serviceIndex?.document as UpstreamResources | undefined)?.registrationsBaseUrl;
    if (!serviceIndex || !registrationsBaseUrl) return undefined;
    const index = await this.cache.get({
      key: this.key('registration', name),
      url: this.named(`${registrationsBaseUrl}${name}/index.json`),
      accept: 'application/json',
      parse: parseRegistrationIndex,
      persist,
    });
    if (!index) return undefined;
    const pages = index.document as RegistrationPageRef[];
    if (pages.length > MAX_REGISTRATION_PAGES) {
      throw new UpstreamError(
        `The registration of ${name} at ${this.source.connectionName} has ${pages.length} pages; at most ${MAX_REGISTRATION_PAGES} are read.`,
      );
    }
    const listing: ExternalListing = {
      versions: [],
      documents: [pages],
      validUntil: Math.min(freshUntil(this.deps, serviceIndex), freshUntil(this.deps, index)),
    };
    for (const page of pages) {
      if (page.entries) {
        listing.versions.push(...page.entries);
        continue;
      }
      const pageName = `${name}.${createHash('sha256').update(page.url).digest('hex').slice(0, 16)}`;
      const fetched = await this.cache.get({
        key: this.key('registration-page', pageName),
        url: this.named(page.url),
        accept: 'application/json',
        parse: parseRegistrationPage,
        persist,
      });
      if (!fetched) continue;
      const entries = fetched.document as ExternalVersion[];
      listing.versions.push(...entries);
      listing.documents.push(entries);
      listing.validUntil = Math.min(listing.validUntil, freshUntil(this.deps, fetched));
    }
    return listing;
  }

  /**
   * A URL the source's own documents named (service index resources, registration pages, catalog
   * entries): fetched only on the source's origin or an allowed one, as files are.
   */
  private named(url: string): string {
    checkAssetUrl(this.deps.config, this.source, url);
    return url;
  }

  nupkgUrl(resources: UpstreamResources, name: string, key: string): string {
    return `${resources.packageBaseAddress}${name}/${key}/${name}.${key}.nupkg`;
  }

  /**
   * What the upstream says of one version: its registration entry, and the SHA-512 (base64) it
   * announces for the nupkg, from that entry or from the catalog document the entry points to
   * (where nuget.org keeps it). Both are undefined when the source says nothing.
   */
  async describe(name: string, key: string): Promise<{ entry?: ExternalVersion; packageHash?: string }> {
    const entry = (await this.registration(name, false))?.versions.find((candidate) => candidate.key === key);
    if (!entry) return {};
    if (entry.packageHash || !entry.catalogUrl) return { entry, packageHash: entry.packageHash };
    return { entry, packageHash: await this.catalogHash(entry.catalogUrl) };
  }

  private async catalogHash(url: string): Promise<string | undefined> {
    if (this.deps.config.offline) throw new UpstreamError('The digest of this package is not cached and the server is offline.');
    const response = await upstreamGet({ url: this.named(url), headers: { accept: 'application/json' }, timeoutMs: this.deps.config.upstream.timeoutMs });
    if (response.statusCode !== 200) {
      await response.body.dump();
      throw new UpstreamError(`The upstream answered ${response.statusCode} for the catalog entry ${redactUrl(url)}, which holds the package's digest.`);
    }
    const text = await readUpstreamText(response, MAX_CATALOG_LEAF_BYTES, url);
    try {
      return parseCatalogLeafHash(text);
    } catch (error) {
      throw new UpstreamError(`The catalog entry at ${redactUrl(url)} is not usable: ${(error as Error).message}.`, { cause: error });
    }
  }
}
