/**
 * The URL behind each public:* connection. The config file can override any of them; the npm
 * one defaults to the registry npm itself is configured with, read from npm at run time.
 */
import { execFile } from 'node:child_process';
import type { Config } from '../config/config.js';
import { UpstreamError } from '../errors.js';

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

// The one public registry here that keeps its files on a host of their own; asset-origins.ts
// allows it only while the connection is left at its default address.
const PUBLIC_ASSET_ORIGINS: Readonly<Record<string, readonly string[]>> = {
  'public:pypi': ['https://files.pythonhosted.org'],
};

/** Origins besides its own that a public:* connection at its default address keeps files on. */
export function defaultAssetOrigins(connection: string): readonly string[] {
  return Object.hasOwn(PUBLIC_ASSET_ORIGINS, connection) ? PUBLIC_ASSET_ORIGINS[connection] : [];
}

let npmRegistry: Promise<string> | undefined;

/** Asks npm once per process; the answer includes npm's own default when nothing is set. */
function readNpmRegistry(): Promise<string> {
  npmRegistry ??= new Promise<string>((resolve, reject) => {
    execFile('npm', ['config', 'get', 'registry'], { timeout: 15_000 }, (error, stdout) => {
      const url = stdout?.trim();
      if (error || !url || !/^https?:\/\//.test(url)) {
        npmRegistry = undefined;
        reject(
          new UpstreamError('Could not read the npm registry from npm\'s configuration for public:npmjs.', {
            cause: error,
            hint: 'Set externalConnections["public:npmjs"] in the artifact-cli config file.',
          }),
        );
      } else {
        resolve(url);
      }
    });
  });
  return npmRegistry;
}

export async function externalConnectionUrl(config: Config, connection: string): Promise<string> {
  const configured = config.externalConnections[connection];
  const url = configured ?? (connection === 'public:npmjs' ? await readNpmRegistry() : PUBLIC_DEFAULTS[connection]);
  if (!url) throw new UpstreamError(`No URL is known for the external connection ${connection}.`, { hint: `Set externalConnections["${connection}"] in the config file.` });
  return url.endsWith('/') || url.endsWith('.json') ? url : `${url}/`;
}
