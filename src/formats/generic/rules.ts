/** Generic packages' rules for the layers outside this folder (core/format-rules.ts): the namespace is required. */
import { packageFlags, shellWord } from '../../core/command-line.js';
import { defineFormatRules } from '../../core/format-rules.js';

// The format's name, which PackageFormat is made of (core/model.ts).
declare module '../../core/model.js' {
  interface PackageFormatNames {
    generic: true;
  }
}

export const genericRules = defineFormatRules({
  format: 'generic',
  namespace: 'required',
  installSnippets: ({ domain, repository, namespace, name, version, firstAsset }) => {
    const flags = packageFlags({ domain, repository, format: 'generic', namespace, name });
    const asset = shellWord(firstAsset ?? 'ASSET');
    return [
      { label: 'artifact-cli', text: `artifact-cli get-package-version-asset ${flags} --package-version ${shellWord(version)} --asset ${asset} ${asset}` },
    ];
  },
});
