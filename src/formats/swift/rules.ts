/** Swift's rules for the layers outside this folder (core/format-rules.ts): scope and name compare without case. */
import { defineFormatRules } from '../../core/format-rules.js';

// The format's name, which PackageFormat is made of (core/model.ts).
declare module '../../core/model.js' {
  interface PackageFormatNames {
    swift: true;
  }
}

export const swiftRules = defineFormatRules({
  format: 'swift',
  namespace: 'required',
  namespaceWord: 'scope',
  normalizeName: (name) => name.toLowerCase(),
  normalizeNamespace: (namespace) => namespace.toLowerCase(),
  installSnippets: ({ namespace, name, version }) => [
    { label: 'Package.swift', text: `.package(id: ${JSON.stringify(`${namespace}.${name}`)}, exact: ${JSON.stringify(version)})` },
  ],
});
