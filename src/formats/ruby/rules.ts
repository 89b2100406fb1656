/** RubyGems' rules for the layers outside this folder (core/format-rules.ts): gems have no namespace. */
import { defineFormatRules } from '../../core/format-rules.js';

// The format's name, which PackageFormat is made of (core/model.ts).
declare module '../../core/model.js' {
  interface PackageFormatNames {
    ruby: true;
  }
}

export const rubyRules = defineFormatRules({
  format: 'ruby',
  namespace: 'forbidden',
  externalConnections: ['public:ruby-gems-org'],
  installSnippets: ({ name, version }) => [{ label: 'Gemfile', text: `gem ${JSON.stringify(name)}, ${JSON.stringify(version)}` }],
});
