/** The lines that put a package version to use with its client, and the login that sets the client up. */
import { shellWord } from '../../core/command-line.js';
import type { InstallSnippet } from '../../core/format-rules.js';
import type { PackageKey } from '../../core/model.js';
import { formatRules } from '../../formats/registry.js';

export type Snippet = InstallSnippet;

/** The format's own install lines (its rules.ts), for this version. */
export function installSnippets(key: PackageKey, version: string, firstAsset?: string): Snippet[] {
  const { domain, repository, namespace, name } = key;
  return formatRules(key.format).installSnippets({ domain, repository, namespace, name, version, firstAsset });
}

export function loginSnippets(key: PackageKey, baseUrl: string): Snippet[] {
  return formatRules(key.format).loginTools.map((tool) => ({
    label: `login for ${tool}`,
    text: `artifact-cli login --tool ${tool} --domain ${shellWord(key.domain)} --repository ${shellWord(key.repository)} --endpoint-url ${shellWord(baseUrl)}`,
  }));
}
