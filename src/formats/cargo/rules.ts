/** Cargo's rules for the layers outside this folder (core/format-rules.ts): lowercased crate names. */
import { shellWord } from '../../core/command-line.js';
import { defineFormatRules } from '../../core/format-rules.js';

// The format's name, which PackageFormat is made of (core/model.ts).
declare module '../../core/model.js' {
  interface PackageFormatNames {
    cargo: true;
  }
}

export const cargoRules = defineFormatRules({
  format: 'cargo',
  namespace: 'forbidden',
  // Crates are stored under the lowercased name their index path uses (docs/formats/cargo.md).
  normalizeName: (name) => name.toLowerCase(),
  externalConnections: ['public:crates-io'],
  loginTools: ['cargo'],
  installSnippets: ({ domain, repository, name, version }) => {
    // The registry name `login --tool cargo` writes by default (docs/formats/cargo.md).
    const registry = `${domain}-${repository}`.replace(/[^A-Za-z0-9_-]/g, '-');
    return [
      { label: 'Cargo', text: `cargo add ${shellWord(`${name}@${version}`)} --registry ${shellWord(registry)}` },
      { label: 'Cargo.toml', text: `${name} = { version = ${JSON.stringify(version)}, registry = ${JSON.stringify(registry)} }` },
    ];
  },
});
