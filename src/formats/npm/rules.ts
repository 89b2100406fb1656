/** npm's rules for the layers outside this folder (core/format-rules.ts): scopes, package.tgz, dist-tags. */
import { shellWord } from '../../core/command-line.js';
import { defineFormatRules } from '../../core/format-rules.js';
import { copyDistTags } from './copied-dist-tags.js';
import { findNpmAsset, npmDownloadFileName, presentedNpmAssets } from './tarball-asset.js';

// The format's name, which PackageFormat is made of (core/model.ts).
declare module '../../core/model.js' {
  interface PackageFormatNames {
    npm: true;
  }
}

export const npmRules = defineFormatRules({
  format: 'npm',
  namespace: 'optional',
  namespaceWord: 'scope',
  // The scope is stored without its '@', as CodeArtifact stores it.
  normalizeNamespace: (namespace) => (namespace.startsWith('@') ? namespace.slice(1) : namespace),
  splitWholeName: (name) => {
    const parts = /^@([^/@]+)\/([^/@]+)$/.exec(name);
    return parts ? { namespace: parts[1], name: parts[2] } : undefined;
  },
  displayName: (namespace, name) => (namespace ? `@${namespace}/${name}` : name),
  presentAssets: presentedNpmAssets,
  findAsset: findNpmAsset,
  downloadFileName: npmDownloadFileName,
  copyPackageMetadata: copyDistTags,
  externalConnections: ['public:npmjs'],
  loginTools: ['npm', 'pnpm', 'yarn'],
  installSnippets: ({ namespace, name, version }) => {
    const spec = shellWord(`${namespace ? `@${namespace}/` : ''}${name}@${version}`);
    return [
      { label: 'npm', text: `npm install ${spec}` },
      { label: 'pnpm', text: `pnpm add ${spec}` },
      { label: 'Yarn', text: `yarn add ${spec}` },
    ];
  },
});
