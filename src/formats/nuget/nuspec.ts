/**
 * Reading a .nuspec: the XML manifest inside every .nupkg. Elements are matched by local name,
 * because the namespace changes with the schema year (2010/07 ... 2013/05). The document comes
 * from a client, so the parser gets no DOCTYPE (no entity expansion at all) and a nesting limit.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { markupCount } from '../../core/markup-count.js';
import { ValidationError } from '../../errors.js';

export interface NuspecDependency {
  id: string;
  /** The version attribute as written; missing means any version. */
  range?: string;
}

export interface NuspecDependencyGroup {
  /** Missing for a flat dependency list, which applies to every framework. */
  targetFramework?: string;
  dependencies: NuspecDependency[];
}

export interface Nuspec {
  id: string;
  /** The version element as written, before normalisation. */
  version: string;
  title?: string;
  authors?: string;
  owners?: string;
  description?: string;
  summary?: string;
  releaseNotes?: string;
  copyright?: string;
  tags: string[];
  projectUrl?: string;
  iconUrl?: string;
  licenseUrl?: string;
  /** `<license type="expression|file">`. */
  license?: { type: string; value: string };
  requireLicenseAcceptance: boolean;
  /** Path of the readme file inside the package. */
  readme?: string;
  repository?: { type?: string; url?: string; commit?: string };
  packageTypes: { name: string; version?: string }[];
  dependencyGroups: NuspecDependencyGroup[];
  minClientVersion?: string;
  language?: string;
}

const REPEATED = new Set(['group', 'dependency', 'packageType']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  // Versions must stay strings: "1.0" is not the number 1.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  maxNestedTags: 32,
  isArray: (name) => REPEATED.has(name),
});

type XmlNode = Record<string, unknown>;

/** Decodes the bytes (UTF-8, or UTF-16 when a byte order mark says so) and parses them. */
export function parseNuspecBytes(bytes: Buffer): Nuspec {
  let text: string;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) text = bytes.subarray(2).toString('utf16le');
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) text = Buffer.from(bytes.subarray(2)).swap16().toString('utf16le');
  else text = bytes.toString('utf8');
  return parseNuspec(text.replace(/^\uFEFF/, ''));
}

// Parsing is paid per element, not per byte: a megabyte of tiny elements would hold the event
// loop for a quarter of a second. Real nuspecs have tens to a few thousand tags.
const MAX_MARKUP = 20_000;

export function parseNuspec(text: string): Nuspec {
  // A nuspec never needs a DOCTYPE; refusing one rules out entity tricks (billion laughs, XXE).
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw invalid('it declares a DOCTYPE or entities, which a .nuspec never needs');
  if (markupCount(text) > MAX_MARKUP) throw invalid(`it has more than ${MAX_MARKUP} tags, far more than a package description needs`);
  const validation = XMLValidator.validate(text);
  if (validation !== true) throw invalid(`it is not well-formed XML (${validation.err.msg} at line ${validation.err.line})`);
  let document: XmlNode;
  try {
    document = parser.parse(text) as XmlNode;
  } catch (error) {
    throw invalid(`it could not be read as XML (${(error as Error).message})`);
  }
  const metadata = child(child(document, 'package'), 'metadata');
  if (!metadata) throw invalid('it has no <package><metadata> element');
  const id = textOf(metadata.id);
  const version = textOf(metadata.version);
  if (!id) throw invalid('<id> is missing or empty');
  if (!version) throw invalid('<version> is missing or empty');
  const license = child(metadata, 'license');
  const repository = child(metadata, 'repository');
  return {
    id,
    version,
    title: textOf(metadata.title),
    authors: textOf(metadata.authors),
    owners: textOf(metadata.owners),
    description: textOf(metadata.description),
    summary: textOf(metadata.summary),
    releaseNotes: textOf(metadata.releaseNotes),
    copyright: textOf(metadata.copyright),
    tags: (textOf(metadata.tags) ?? '').split(/[\s,;]+/).filter(Boolean),
    projectUrl: textOf(metadata.projectUrl),
    iconUrl: textOf(metadata.iconUrl),
    licenseUrl: textOf(metadata.licenseUrl),
    license: license && textOf(license) ? { type: attribute(license, 'type') ?? 'expression', value: textOf(license) as string } : undefined,
    requireLicenseAcceptance: textOf(metadata.requireLicenseAcceptance)?.toLowerCase() === 'true',
    readme: textOf(metadata.readme),
    repository: repository ? { type: attribute(repository, 'type'), url: attribute(repository, 'url'), commit: attribute(repository, 'commit') } : undefined,
    packageTypes: readPackageTypes(child(metadata, 'packageTypes')),
    dependencyGroups: readDependencyGroups(child(metadata, 'dependencies')),
    minClientVersion: attribute(metadata, 'minClientVersion'),
    language: textOf(metadata.language),
  };
}

function readDependencyGroups(dependencies: XmlNode | undefined): NuspecDependencyGroup[] {
  if (!dependencies) return [];
  const groups = nodes(dependencies.group);
  if (groups.length > 0) {
    return groups.map((group) => ({ targetFramework: attribute(group, 'targetFramework'), dependencies: readDependencies(group) }));
  }
  const flat = readDependencies(dependencies);
  return flat.length ? [{ dependencies: flat }] : [];
}

function readDependencies(parent: XmlNode): NuspecDependency[] {
  return nodes(parent.dependency).map((entry) => {
    const id = attribute(entry, 'id');
    if (!id) throw invalid('a <dependency> has no id');
    return { id, range: attribute(entry, 'version') };
  });
}

function readPackageTypes(parent: XmlNode | undefined): Nuspec['packageTypes'] {
  if (!parent) return [];
  return nodes(parent.packageType)
    .map((entry) => ({ name: attribute(entry, 'name') ?? '', version: attribute(entry, 'version') }))
    .filter((entry) => entry.name);
}

function invalid(reason: string): ValidationError {
  return new ValidationError(`The package's .nuspec is not valid: ${reason}.`, {
    hint: 'Build the package with `dotnet pack` or `nuget pack`, which write a valid .nuspec.',
  });
}

function child(node: unknown, name: string): XmlNode | undefined {
  if (!isNode(node)) return undefined;
  const value = node[name];
  if (isNode(value)) return value;
  // <element/> with no attributes parses as ''.
  return typeof value === 'string' ? {} : undefined;
}

function nodes(value: unknown): XmlNode[] {
  return Array.isArray(value) ? value.map((entry) => (isNode(entry) ? entry : {})) : [];
}

/** The text of an element: a plain string, or '#text' when the element also has attributes. */
function textOf(value: unknown): string | undefined {
  const raw = isNode(value) ? value['#text'] : value;
  if (typeof raw !== 'string') return undefined;
  const trimmed = raw.trim();
  return trimmed === '' ? undefined : trimmed;
}

function attribute(node: XmlNode, name: string): string | undefined {
  const value = node[`@_${name}`];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function isNode(value: unknown): value is XmlNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
