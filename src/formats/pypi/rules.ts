/** PyPI's rules for the layers outside this folder (core/format-rules.ts): PEP 503 names, no namespace. */
import { shellWord } from '../../core/command-line.js';
import { defineFormatRules } from '../../core/format-rules.js';
import { normalizePypiName } from './pep503.js';
import { looksLikeRestructuredText } from './readme-markup.js';

// The format's name, which PackageFormat is made of (core/model.ts).
declare module '../../core/model.js' {
  interface PackageFormatNames {
    pypi: true;
  }
}

export const pypiRules = defineFormatRules({
  format: 'pypi',
  namespace: 'forbidden',
  normalizeName: normalizePypiName,
  externalConnections: ['public:pypi'],
  loginTools: ['pip', 'twine'],
  installSnippets: ({ name, version }) => [{ label: 'pip', text: `pip install ${shellWord(`${name}==${version}`)}` }],
  readmeIsPlainText: looksLikeRestructuredText,
});
