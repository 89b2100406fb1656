/**
 * A small XML reader that records where each element starts and ends in the text, so the
 * writers can splice their own elements in and leave every other byte of the user's file
 * (comments, formatting, declarations) exactly as it was. It checks that tags nest and
 * attributes are quoted, and refuses anything else it cannot read rather than guess.
 */
import { ConfigSyntaxError } from './login-writer.js';

export interface XmlElement {
  name: string;
  attributes: Map<string, string>;
  /** Offset of '<' of the start tag. */
  start: number;
  /** Offset just after the start tag's '>'. */
  openEnd: number;
  /** Offset of the end tag's '<' (openEnd for an empty-element tag). */
  closeStart: number;
  /** Offset just after the element. */
  end: number;
  isSelfClosing: boolean;
  children: XmlElement[];
}

/** Parses a document and returns its root element. */
export function parseXml(text: string): XmlElement {
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let index = 0;
  while (true) {
    const open = text.indexOf('<', index);
    if (open === -1) break;
    if (text.startsWith('<!--', open)) index = skipPast(text, open, '-->', 'a comment');
    else if (text.startsWith('<![CDATA[', open)) index = skipPast(text, open, ']]>', 'a CDATA section');
    else if (text.startsWith('<?', open)) index = skipPast(text, open, '?>', 'a processing instruction');
    else if (text.startsWith('<!', open)) index = skipDeclaration(text, open);
    else if (text.startsWith('</', open)) index = closeElement(text, open, stack);
    else {
      const element = readStartTag(text, open);
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(element);
      else if (root) fail(`has a second top-level element <${element.name}> at ${position(text, open)}`);
      else root = element;
      if (!element.isSelfClosing) stack.push(element);
      index = element.openEnd;
    }
  }
  if (stack.length > 0) fail(`never closes <${stack[stack.length - 1].name}>`);
  if (!root) fail('has no XML element');
  return root;
}

/** The element's text content with entities decoded (CDATA markers dropped), trimmed. */
export function textOf(text: string, element: XmlElement): string {
  const inner = text.slice(element.openEnd, element.closeStart).replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, (_, data: string) => escapeXml(data));
  return decodeEntities(inner.replace(/<!--[\s\S]*?-->/g, '')).trim();
}

export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((child) => child.name === name);
}

/** Escapes text for element content and for attribute values in either quote style. */
export function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

function readStartTag(text: string, start: number): XmlElement {
  const name = /^[^\s/>]+/.exec(text.slice(start + 1))?.[0];
  if (!name) fail(`has a '<' that starts no tag at ${position(text, start)}`);
  const attributes = new Map<string, string>();
  let index = start + 1 + name.length;
  while (index < text.length) {
    while (/\s/.test(text[index] ?? '')) index += 1;
    if (text.startsWith('/>', index)) return element(name, attributes, start, index + 2, true);
    if (text[index] === '>') return element(name, attributes, start, index + 1, false);
    const attribute = /^([^\s=/>]+)\s*=\s*(["'])/.exec(text.slice(index));
    if (!attribute) fail(`has an unreadable attribute in <${name}> at ${position(text, index)}`);
    const valueStart = index + attribute[0].length;
    const valueEnd = text.indexOf(attribute[2], valueStart);
    if (valueEnd === -1) fail(`has an unterminated attribute value in <${name}> at ${position(text, index)}`);
    attributes.set(attribute[1], decodeEntities(text.slice(valueStart, valueEnd)));
    index = valueEnd + 1;
  }
  return fail(`never finishes the tag <${name}> at ${position(text, start)}`);
}

function element(name: string, attributes: Map<string, string>, start: number, openEnd: number, isSelfClosing: boolean): XmlElement {
  return { name, attributes, start, openEnd, closeStart: openEnd, end: openEnd, isSelfClosing, children: [] };
}

function closeElement(text: string, start: number, stack: XmlElement[]): number {
  const match = /^<\/([^\s>]+)\s*>/.exec(text.slice(start));
  const open = stack.pop();
  if (!match || !open || open.name !== match[1]) {
    fail(`has a closing tag that does not match ${open ? `<${open.name}>` : 'any open tag'} at ${position(text, start)}`);
  }
  open.closeStart = start;
  open.end = start + match[0].length;
  return open.end;
}

function skipPast(text: string, start: number, terminator: string, what: string): number {
  const end = text.indexOf(terminator, start);
  if (end === -1) fail(`never closes ${what} opened at ${position(text, start)}`);
  return end + terminator.length;
}

/** <!DOCTYPE ...> may hold an internal subset in brackets, with quoted strings that contain '>'. */
function skipDeclaration(text: string, start: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let index = start + 2; index < text.length; index += 1) {
    const char = text[index];
    if (quote) {
      if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '[') depth += 1;
    else if (char === ']') depth -= 1;
    else if (char === '>' && depth <= 0) return index + 1;
  }
  return fail(`never closes the declaration at ${position(text, start)}`);
}

function decodeEntities(value: string): string {
  return value.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);/g, (_, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(parseInt(entity.slice(1), 10));
    return { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }[entity] ?? '';
  });
}

function position(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${before[before.length - 1].length + 1}`;
}

function fail(problem: string): never {
  throw new ConfigSyntaxError(`is not well-formed XML: it ${problem}`);
}
