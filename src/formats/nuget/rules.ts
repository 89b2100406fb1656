/** NuGet's rules for the layers outside this folder (core/format-rules.ts): ids and versions in NuGet's normal form. */
import { shellWord } from '../../core/command-line.js';
import { defineFormatRules } from '../../core/format-rules.js';
import { parseNuGetVersion, versionKey } from './nuget-version.js';

// The format's name, which PackageFormat is made of (core/model.ts).
declare module '../../core/model.js' {
  interface PackageFormatNames {
    nuget: true;
  }
}

export const nugetRules = defineFormatRules({
  format: 'nuget',
  namespace: 'forbidden',
  // NuGet ids compare without regard to case; the store keeps them lowercased.
  normalizeName: (name) => name.toLowerCase(),
  // 1.0 -> 1.0.0, 1.01.1 -> 1.1.1, build metadata dropped, as CodeArtifact normalises API input;
  // what NuGet would not parse stays as typed, to fail as "not found" rather than here.
  normalizeVersion: (version) => {
    const parsed = parseNuGetVersion(version);
    return parsed ? versionKey(parsed) : version;
  },
  externalConnections: ['public:nuget-org'],
  loginTools: ['dotnet', 'nuget'],
  installSnippets: ({ name, version }) => [{ label: '.NET CLI', text: `dotnet add package ${shellWord(name)} --version ${shellWord(version)}` }],
});
