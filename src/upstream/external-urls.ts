/**
 * The URL behind each public:* connection. The config file can override any of them; the npm
 * one defaults to the registry npm's global configuration names (npm-public-registry.ts).
 * None may lead back to this server (self-reference.ts).
 */
import type { Config } from '../config/config.js';
import { UpstreamError } from '../errors.js';
import { readNpmPublicRegistry } from './npm-public-registry.js';
import { refuseSelfReference } from './self-reference.js';

// Registries other than npm's have one well-known public address each.
const PUBLIC_DEFAULTS: Readonly<Record<string, string>> = {
  'public:pypi': 'https://pypi.org/',
  'public:maven-central': 'https://repo1.maven.org/maven2/',
  'public:maven-googleandroid': 'https://maven.google.com/',
  'public:maven-gradleplugins': 'https://plugins.gradle.org/m2/',
  'public:maven-commonsware': 'https://repo.commonsware.com/',
  'public:maven-clojars': 'https://repo.clojars.org/',
  'public:nuget-org': 'https://api.nuget.org/v3/index.json',
  'public:ruby-gems-org': 'https://rubygems.org/',
  'public:crates-io': 'https://index.crates.io/',
};

// The public registries that keep their files on a host of their own (PyPI's files, the crates
// named by the public cargo index's `dl`); asset-origins.ts allows each only while its
// connection is left at its default address.
const PUBLIC_ASSET_ORIGINS: Readonly<Record<string, readonly string[]>> = {
  'public:pypi': ['https://files.pythonhosted.org'],
  'public:crates-io': ['https://static.crates.io'],
};

/** Origins besides its own that a public:* connection at its default address keeps files on. */
export function defaultAssetOrigins(connection: string): readonly string[] {
  return Object.hasOwn(PUBLIC_ASSET_ORIGINS, connection) ? PUBLIC_ASSET_ORIGINS[connection] : [];
}

export async function externalConnectionUrl(config: Config, connection: string): Promise<string> {
  const configured = config.externalConnections[connection];
  const fromNpm = configured === undefined && connection === 'public:npmjs';
  const url = configured ?? (fromNpm ? await readNpmPublicRegistry() : PUBLIC_DEFAULTS[connection]);
  if (!url)
    throw new UpstreamError(`No URL is known for the external connection ${connection}.`, {
      hint: `Set externalConnections["${connection}"] in the config file.`,
    });
  const source =
    configured !== undefined
      ? `externalConnections["${connection}"] in the artifact-cli config`
      : fromNpm
        ? "npm's global configuration"
        : 'the built-in default';
  refuseSelfReference(config, connection, url, source);
  return url.endsWith('/') || url.endsWith('.json') ? url : `${url}/`;
}
