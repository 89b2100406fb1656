/**
 * What the layers outside a format's folder need to know about that format, as data and pure
 * functions: how names, namespaces and versions are written and stored, how assets are shown,
 * what a copy carries along. Each format folder declares its own in `rules.ts`, and
 * `formats/registry.ts` lists them; core only defines the shape (docs/architecture.md, "Format
 * rules"), so nothing here names a format.
 */
import type { AssetRecord, PackageFormat, PackageRecord, VersionRecord } from './model.js';

/** CodeArtifact's rule for the namespace of a format's packages in API calls. */
export type NamespaceRule = 'required' | 'forbidden' | 'optional';

/** The namespace and name of a package someone wrote as one string. */
export interface WholeName {
  namespace: string;
  name: string;
}

/** A line that puts a package version to use with its client, for the web pages. */
export interface InstallSnippet {
  label: string;
  text: string;
}

/** The package an install snippet is for, with the asset to name when the client needs one. */
export interface InstallTarget {
  domain: string;
  repository: string;
  namespace?: string;
  name: string;
  version: string;
  firstAsset?: string;
}

export interface FormatRules {
  readonly format: PackageFormat;
  readonly namespace: NamespaceRule;
  /** What the format's people call a namespace in messages: npm's scope, Maven's group. */
  readonly namespaceWord: string;
  /** The stored name for what a user or client typed. */
  normalizeName(name: string): string;
  /** The stored namespace for what a user or client typed. */
  normalizeNamespace(namespace: string): string;
  /** The stored version for what a user typed; as given when the format keeps versions verbatim. */
  normalizeVersion(version: string): string;
  /** A name written whole (`@scope/name`, `group:artifact`) taken apart, or undefined. */
  splitWholeName(name: string): WholeName | undefined;
  /** How people write the package. */
  displayName(namespace: string | undefined, name: string): string;
  /** The assets as the API shows them. */
  presentAssets(assets: readonly AssetRecord[]): AssetRecord[];
  /** The asset a request names, also under the other names the format answers to. */
  findAsset(name: string, version: Pick<VersionRecord, 'version' | 'assets'>, requested: string): AssetRecord | undefined;
  /** The file name a browser download of the asset is offered under. */
  downloadFileName(name: string, version: string, asset: AssetRecord): string;
  /**
   * copy-package-versions: carries format metadata of the copied versions from the source
   * records (nearest first) into the destination record, in place.
   */
  copyPackageMetadata(destination: PackageRecord, copied: readonly string[], sources: readonly PackageRecord[]): void;
  /** The external connections (`public:...`) whose packages are of this format. */
  readonly externalConnections: readonly string[];
  /** The `login --tool` names that set up this format's clients. */
  readonly loginTools: readonly string[];
  /** The lines that install the version with the format's clients. */
  installSnippets(target: InstallTarget): InstallSnippet[];
  /** Whether a readme is shown as written rather than rendered as Markdown. */
  readmeIsPlainText(readme: string): boolean;
}

/** A format's declaration: its name and namespace rule, and whatever differs from the defaults. */
export type FormatRulesDeclaration = Pick<FormatRules, 'format' | 'namespace'> & Partial<FormatRules>;

/**
 * The rules of a format that keeps everything as written: a declaration overrides what it must.
 * The name's own type is kept, so the registry can check that every name has its line.
 */
export function defineFormatRules<Name extends PackageFormat>(declaration: FormatRulesDeclaration & { format: Name }): FormatRules & { readonly format: Name } {
  return {
    namespaceWord: 'namespace',
    normalizeName: (name) => name,
    normalizeNamespace: (namespace) => namespace,
    normalizeVersion: (version) => version,
    splitWholeName: () => undefined,
    displayName: (namespace, name) => (namespace ? `${namespace}:${name}` : name),
    presentAssets: (assets) => [...assets],
    findAsset: (_name, version, requested) => version.assets.find((asset) => asset.name === requested),
    downloadFileName: (_name, _version, asset) => asset.name,
    copyPackageMetadata: () => undefined,
    externalConnections: [],
    loginTools: [],
    installSnippets: () => [],
    readmeIsPlainText: () => false,
    ...declaration,
  };
}
