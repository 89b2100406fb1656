/**
 * Splicing elements into an XML file found by xml-text.ts. New elements take the indentation and
 * line endings the file already uses; text outside the elements being replaced is not touched.
 */
import { childrenNamed, escapeXml, parseXml, type XmlElement } from './xml-text.js';

/** An element to write: attributes in order, then either text or child elements. */
export interface XmlSpec {
  name: string;
  attributes?: [string, string][];
  text?: string;
  children?: XmlSpec[];
}

interface Layout {
  eol: string;
  unit: string;
}

interface UpsertOptions {
  /** The child of the root element that holds the items (created when missing). */
  container: string;
  item: XmlSpec;
  /** Whether an existing child of the container is the item being written. */
  isSame(element: XmlElement, text: string): boolean;
  /** Where a new item goes: 'first' when order decides which entry wins. */
  position: 'first' | 'last';
}

/** Replaces the first matching item, removes repeats of it, or adds it; the container is added when missing. */
export function upsertItem(text: string, options: UpsertOptions): string {
  const root = parseXml(text);
  const layout = layoutOf(text, root);
  const container = childrenNamed(root, options.container)[0];
  if (!container) return insertChild(text, root, { name: options.container, children: [options.item] }, layout, 'last');
  const matches = container.children.filter((child) => options.isSame(child, text));
  if (matches.length === 0) return insertChild(text, container, options.item, layout, options.position);
  // Later repeats go first, so the offsets of the first match stay valid.
  let result = text;
  for (const repeat of matches.slice(1).reverse()) result = removeElement(result, repeat);
  const first = matches[0];
  return result.slice(0, first.start) + render(options.item, layout, indentAt(result, first.start)) + result.slice(first.end);
}

/** Removes every matching item of a container (used to take back what an earlier login wrote). */
export function removeItems(text: string, container: string, isSame: (element: XmlElement, text: string) => boolean): string {
  const holder = childrenNamed(parseXml(text), container)[0];
  if (!holder) return text;
  let result = text;
  for (const element of holder.children.filter((child) => isSame(child, text)).reverse()) result = removeElement(result, element);
  return result;
}

function insertChild(text: string, parent: XmlElement, spec: XmlSpec, layout: Layout, position: 'first' | 'last'): string {
  const parentIndent = indentAt(text, parent.start);
  const childIndent =
    parent.children.length > 0 && indentAt(text, parent.children[0].start) !== '' ? indentAt(text, parent.children[0].start) : parentIndent + layout.unit;
  const rendered = layout.eol + childIndent + render(spec, layout, childIndent);
  if (parent.isSelfClosing) {
    const openTag = text.slice(parent.start, parent.openEnd).replace(/\s*\/>$/, '>');
    return text.slice(0, parent.start) + openTag + rendered + layout.eol + parentIndent + `</${parent.name}>` + text.slice(parent.end);
  }
  const inner = text.slice(parent.openEnd, parent.closeStart);
  if (position === 'first' && inner.trim() !== '') {
    return text.slice(0, parent.openEnd) + rendered + text.slice(parent.openEnd);
  }
  // Insert after the last content, keeping the white space that leads to the closing tag.
  const trailing = /\s*$/.exec(inner)?.[0] ?? '';
  const insertAt = parent.closeStart - trailing.length;
  const beforeClose = trailing.includes('\n') ? trailing : layout.eol + parentIndent;
  return text.slice(0, insertAt) + rendered + beforeClose + text.slice(parent.closeStart);
}

/** Removes an element, and its line when it stood alone on it. */
function removeElement(text: string, element: XmlElement): string {
  const lineStart = text.lastIndexOf('\n', element.start - 1) + 1;
  const lineEnd = text.indexOf('\n', element.end);
  const isAlone = text.slice(lineStart, element.start).trim() === '' && text.slice(element.end, lineEnd === -1 ? text.length : lineEnd).trim() === '';
  if (!isAlone) return text.slice(0, element.start) + text.slice(element.end);
  return text.slice(0, lineStart) + text.slice(lineEnd === -1 ? text.length : lineEnd + 1);
}

function render(spec: XmlSpec, layout: Layout, indent: string): string {
  return renderLines(spec, layout.unit).join(layout.eol + indent);
}

function renderLines(spec: XmlSpec, unit: string): string[] {
  const attributes = (spec.attributes ?? []).map(([name, value]) => ` ${name}="${escapeXml(value)}"`).join('');
  if (spec.children && spec.children.length > 0) {
    const inner = spec.children.flatMap((child) => renderLines(child, unit).map((line) => unit + line));
    return [`<${spec.name}${attributes}>`, ...inner, `</${spec.name}>`];
  }
  if (spec.text !== undefined) return [`<${spec.name}${attributes}>${escapeXml(spec.text)}</${spec.name}>`];
  return [`<${spec.name}${attributes} />`];
}

/** The white space before an element on its line, or '' when other text precedes it there. */
function indentAt(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  return before.trim() === '' ? before : '';
}

/** The file's line ending and one level of indentation (from the root's first indented child; two spaces if none). */
function layoutOf(text: string, root: XmlElement): Layout {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const rootIndent = indentAt(text, root.start);
  for (const child of root.children) {
    const indent = indentAt(text, child.start);
    if (indent.length > rootIndent.length && indent.startsWith(rootIndent)) return { eol, unit: indent.slice(rootIndent.length) };
  }
  return { eol, unit: '  ' };
}
