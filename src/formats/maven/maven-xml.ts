/**
 * Reading the two XML documents Maven exchanges (POMs and maven-metadata.xml) and writing the
 * latter. The documents come from clients and public registries, so a DOCTYPE is refused (no
 * entity expansion, no external entities), nesting is capped, and only the five predefined
 * entities and character references are decoded. Values stay strings: "1.10" is not 1.1.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { markupCount } from '../../core/markup-count.js';

export type XmlNode = Record<string, unknown>;

/** Elements that repeat in POMs and metadata; always arrays, even with one entry. */
const REPEATED = new Set(['dependency', 'license', 'version', 'snapshotVersion', 'plugin']);

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
  maxNestedTags: 64,
  isArray: (name, path) => REPEATED.has(name) && isListEntry(String(path), name),
});

/**
 * `version` is a list entry only inside `<versions>`; a POM's own `<version>` and a dependency's
 * are single values. The same goes for `plugin` inside `<plugins>` and so on.
 */
function isListEntry(path: string, name: string): boolean {
  const parent = path.split('.').slice(-2, -1)[0];
  return parent === `${name}s` || (name === 'dependency' && parent === 'dependencies');
}

export class XmlProblem extends Error {}

// Markup, not bytes, is what costs: 4 MB of tiny elements takes a second and 200 MB to parse.
// A POM with a thousand dependencies has about 10,000 '<', the metadata of an artifact with
// 10,000 versions about 20,000.
const MAX_MARKUP = 200_000;

/** Parses a document or throws XmlProblem with a reason a person can act on. */
export function parseXml(text: string): XmlNode {
  const body = text.replace(/^\uFEFF/, '');
  if (/<!DOCTYPE|<!ENTITY/i.test(body)) throw new XmlProblem('it declares a DOCTYPE or entities, which Maven documents never need');
  if (markupCount(body) > MAX_MARKUP) throw new XmlProblem(`it has more than ${MAX_MARKUP} tags, far more than any POM or metadata needs`);
  if (badCharacterReference(body)) throw new XmlProblem('it refers to a character XML does not allow (a surrogate or a control character)');
  const validation = XMLValidator.validate(body);
  if (validation !== true) throw new XmlProblem(`it is not well-formed XML (${validation.err.msg} at line ${validation.err.line})`);
  try {
    return parser.parse(body) as XmlNode;
  } catch (error) {
    throw new XmlProblem(`it could not be read as XML (${(error as Error).message})`);
  }
}

/**
 * A character reference XML forbids: the parser would drop it silently, turning "2.0&#xD800;"
 * into a version "2.0" that the document never named. XML 1.0 allows tab, newline, carriage
 * return, U+0020-U+D7FF, U+E000-U+FFFD and U+10000-U+10FFFF.
 */
function badCharacterReference(text: string): boolean {
  if (!text.includes('&#')) return false;
  for (const match of text.matchAll(/&#(?:x([0-9a-fA-F]+)|([0-9]+));/g)) {
    const code = match[1] !== undefined ? parseInt(match[1], 16) : parseInt(match[2], 10);
    const allowed =
      code === 0x9 ||
      code === 0xa ||
      code === 0xd ||
      (code >= 0x20 && code <= 0xd7ff) ||
      (code >= 0xe000 && code <= 0xfffd) ||
      (code >= 0x10000 && code <= 0x10ffff);
    if (!allowed) return true;
  }
  return false;
}

export function childNode(node: unknown, name: string): XmlNode | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const value = (node as XmlNode)[name];
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as XmlNode) : undefined;
}

export function childNodes(node: unknown, name: string): XmlNode[] {
  if (!node || typeof node !== 'object') return [];
  const value = (node as XmlNode)[name];
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.filter((entry): entry is XmlNode => !!entry && typeof entry === 'object');
}

/** The text of a leaf element, or undefined when it is missing, empty or not a leaf. */
export function childText(node: unknown, name: string): string | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const value = (node as XmlNode)[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function childTexts(node: unknown, name: string): string[] {
  if (!node || typeof node !== 'object') return [];
  const value = (node as XmlNode)[name];
  const list = Array.isArray(value) ? value : [value];
  return list.filter((entry): entry is string => typeof entry === 'string' && entry !== '');
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** `<name>text</name>` with the text escaped; nothing for an undefined value. */
export function element(name: string, text: string | undefined): string {
  return text === undefined ? '' : `<${name}>${escapeXml(text)}</${name}>`;
}
