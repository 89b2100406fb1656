/**
 * Cargo's user files, found through CARGO_HOME (default ~/.cargo) as cargo finds them:
 * config.toml gets `[registries.<name>] index = "sparse+<endpoint>"`, and credentials.toml the
 * token under the same name (docs/formats/cargo.md, "Setting up cargo"). Everything else in both files is
 * kept. Cargo reads credentials.toml for a registry that requires auth only when a credential
 * provider is configured, so `[registry] global-credential-providers` gets `cargo:token` unless
 * the list already has it (a list of other providers is kept, with `cargo:token` added).
 */
import path from 'node:path';
import { expandHome, firstSet } from './home-path.js';
import type { ConfigFileWriter, ConfigHome, LoginInput } from './login-writer.js';
import { getTomlValue, setTomlValue, tomlString } from './toml-text.js';

function cargoHome({ env, homeDir }: ConfigHome): string {
  const configured = firstSet(env, 'CARGO_HOME');
  return configured ? expandHome(configured, homeDir) : path.join(homeDir, '.cargo');
}

/** The registry name login writes: --registry-name, else `<domain>-<repository>` in cargo's allowed characters. */
export function cargoRegistryName(input: LoginInput): string {
  return input.registryName ?? `${input.domain}-${input.repository}`.replace(/[^A-Za-z0-9_-]/g, '-');
}

export const cargoConfigWriter: ConfigFileWriter = {
  locate: (home) => path.join(cargoHome(home), 'config.toml'),
  render(current, input) {
    const name = cargoRegistryName(input);
    let text = setTomlValue(current, ['registries', name], 'index', tomlString(`sparse+${input.endpoint}`));
    const providers = getTomlValue(text, ['registry'], 'global-credential-providers');
    if (providers === undefined) return setTomlValue(text, ['registry'], 'global-credential-providers', '["cargo:token"]');
    if (!providers.includes('"cargo:token"') && !providers.includes("'cargo:token'")) {
      const inner = providers
        .replace(/^\[|\]$/g, '')
        .trim()
        .replace(/,$/, '');
      text = setTomlValue(text, ['registry'], 'global-credential-providers', `[${inner ? `${inner}, ` : ''}"cargo:token"]`);
    }
    return text;
  },
};

export const cargoCredentialsWriter: ConfigFileWriter = {
  locate: (home) => path.join(cargoHome(home), 'credentials.toml'),
  render: (current, input) => setTomlValue(current, ['registries', cargoRegistryName(input)], 'token', tomlString(input.token)),
};

export function cargoInstructions(input: LoginInput): string[] {
  const name = cargoRegistryName(input);
  return [`Publish with: cargo publish --registry ${name}`, `Depend on crates with: my-crate = { version = "1", registry = "${name}" }`];
}
