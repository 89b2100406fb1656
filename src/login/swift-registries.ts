/**
 * SwiftPM's registries.json, as `swift package-registry set` and `swift package-registry login`
 * leave it: the repository as the `[default]` registry, and for an https endpoint a token login
 * keyed by `host[:port]` whose check is POST <endpoint>login. The user file is
 * ~/.swiftpm/configuration/registries.json ($XDG_CONFIG_HOME/swiftpm/configuration when that is
 * set, as SwiftPM on Linux looks); the project file (`--scope-file project`) is
 * .swiftpm/configuration/registries.json in the working directory, which SwiftPM merges over the
 * user file. Every other registry, scope, host and key in the file is kept. What this follows
 * from SwiftPM's sources is in docs/formats/swift.md.
 */
import path from 'node:path';
import { firstSet } from './home-path.js';
import type { ConfigFileWriter, ConfigHome, LoginInput } from './login-writer.js';
import { ConfigSyntaxError } from './login-writer.js';

const CONFIGURATION_DIR = path.join('.swiftpm', 'configuration');
const FILE = 'registries.json';

/** SwiftPM's user configuration directory on Linux: $XDG_CONFIG_HOME/swiftpm, else ~/.swiftpm. */
export function swiftUserConfigurationDir({ env, homeDir }: ConfigHome): string {
  const xdg = firstSet(env, 'XDG_CONFIG_HOME');
  return xdg && path.isAbsolute(xdg) ? path.join(xdg, 'swiftpm', 'configuration') : path.join(homeDir, CONFIGURATION_DIR);
}

export const swiftUserRegistriesWriter: ConfigFileWriter = {
  locate: (home: ConfigHome) => path.join(swiftUserConfigurationDir(home), FILE),
  render: renderRegistries,
};

export const swiftProjectRegistriesWriter: ConfigFileWriter = {
  locate: ({ cwd }: ConfigHome) => path.join(cwd ?? process.cwd(), CONFIGURATION_DIR, FILE),
  render: renderRegistries,
};

type JsonObject = Record<string, unknown>;

function objectAt(parent: JsonObject, key: string): JsonObject {
  const value = parent[key];
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ConfigSyntaxError(`has a "${key}" that is not a JSON object`);
  return value as JsonObject;
}

/** The key SwiftPM files a registry's login under: the host lowercased, with the port when the URL names one. */
export function authenticationKey(endpoint: string): string {
  const url = new URL(endpoint);
  return url.port ? `${url.hostname.toLowerCase()}:${url.port}` : url.hostname.toLowerCase();
}

export function renderRegistries(current: string | undefined, input: LoginInput): string {
  let document: JsonObject = {};
  if (current !== undefined && current.trim() !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(current);
    } catch {
      throw new ConfigSyntaxError('is not valid JSON');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ConfigSyntaxError('is not a JSON object');
    document = parsed as JsonObject;
  }
  const url = new URL(input.endpoint);
  const registries = objectAt(document, 'registries');
  const authentication = objectAt(document, 'authentication');
  const previous = objectAt(registries, '[default]');
  registries['[default]'] = { ...previous, supportsAvailability: false, url: input.endpoint };
  const key = authenticationKey(input.endpoint);
  if (url.protocol === 'https:') {
    authentication[key] = { ...objectAt(authentication, key), loginAPIPath: `${url.pathname}login`, type: 'token' };
  } else {
    // `swift package-registry publish --allow-insecure-http` refuses a registry that has an
    // authentication entry; without one SwiftPM still sends the netrc token (login `token`) as Bearer.
    delete authentication[key];
  }
  const next: JsonObject = { ...document, authentication, registries, version: document.version ?? 1 };
  return `${JSON.stringify(next, null, 2)}\n`;
}
