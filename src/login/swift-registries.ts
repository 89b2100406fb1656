/**
 * SwiftPM's registries.json, as `swift package-registry set` and `swift package-registry login`
 * leave it: the repository as the `[default]` registry, and for its host a token login whose
 * check is POST <endpoint>login. The user file is ~/.swiftpm/configuration/registries.json; the
 * project file (`--scope-file project`) is .swiftpm/configuration/registries.json in the
 * working directory, which SwiftPM reads for the package there and prefers over the user file.
 * Every other registry, scope, host and key in the file is kept.
 */
import path from 'node:path';
import type { ConfigFileWriter, ConfigHome, LoginInput } from './login-writer.js';
import { ConfigSyntaxError } from './login-writer.js';

const CONFIGURATION_PATH = path.join('.swiftpm', 'configuration', 'registries.json');

export const swiftUserRegistriesWriter: ConfigFileWriter = {
  locate: ({ homeDir }: ConfigHome) => path.join(homeDir, CONFIGURATION_PATH),
  render: renderRegistries,
};

export const swiftProjectRegistriesWriter: ConfigFileWriter = {
  locate: ({ cwd }: ConfigHome) => path.join(cwd ?? process.cwd(), CONFIGURATION_PATH),
  render: renderRegistries,
};

type JsonObject = Record<string, unknown>;

function objectAt(parent: JsonObject, key: string): JsonObject {
  const value = parent[key];
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ConfigSyntaxError(`has a "${key}" that is not a JSON object`);
  return value as JsonObject;
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
  // SwiftPM keys logins by host name (the port is not part of it), as netrc does.
  authentication[url.hostname] = { ...objectAt(authentication, url.hostname), loginAPIPath: `${url.pathname}login`, type: 'token' };
  const next: JsonObject = { ...document, authentication, registries, version: document.version ?? 1 };
  return `${JSON.stringify(next, null, 2)}\n`;
}
