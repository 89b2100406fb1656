/**
 * A PEP 503 (HTML) project page read into the entries of a PEP 691 (JSON) one, so one
 * validator handles both. Mirrors and plain static servers (a directory tree of index.html
 * files) serve only HTML, whatever the request's Accept says. See docs/pypi-upstreams.md.
 *
 * PEP 503: every file is an <a> whose text is the file name and whose href may end in
 * `#<hash name>=<hex>`; data-requires-python, data-yanked and data-core-metadata (formerly
 * data-dist-info-metadata, "true" or "<hash name>=<hex>") carry the rest. A <base href>
 * changes what relative links are relative to.
 */

// An opening <a ...> (its attributes captured) or a closing </a>.
const ANCHOR_TAG = /<a\b([^>]*)>|<\/a\s*>/gi;
const BASE = /<base\b([^>]*)>/i;
const ATTRIBUTE = /([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** The page's files as PEP 691 file entries (filename, url, hashes, ...), in page order. */
export function readHtmlProjectPage(html: string, pageUrl: string): Record<string, unknown>[] {
  const baseHref = attributesOf(BASE.exec(html)?.[1] ?? '').href;
  const base = baseHref === undefined ? pageUrl : (resolve(baseHref, pageUrl) ?? pageUrl);
  const entries: Record<string, unknown>[] = [];
  for (const { rawAttributes, rawText } of anchors(html)) {
    const attributes = attributesOf(rawAttributes);
    if (attributes.href === undefined) continue;
    const url = resolve(attributes.href, base);
    if (!url) continue;
    const parsed = new URL(url);
    const fragment = new URLSearchParams(parsed.hash.slice(1));
    parsed.hash = '';
    const text = decodeEntities(rawText.replace(/<[^>]*>/g, '')).trim();
    const entry: Record<string, unknown> = {
      filename: text || lastSegment(parsed),
      url: parsed.toString(),
      hashes: Object.fromEntries(fragment.entries()),
    };
    if (attributes['data-requires-python'] !== undefined) entry['requires-python'] = attributes['data-requires-python'];
    // A bare data-yanked marks the file yanked with no reason given.
    if (attributes['data-yanked'] !== undefined) entry.yanked = attributes['data-yanked'] === '' ? true : attributes['data-yanked'];
    const metadata = attributes['data-core-metadata'] ?? attributes['data-dist-info-metadata'];
    if (metadata !== undefined) entry['core-metadata'] = metadataHashes(metadata);
    entries.push(entry);
  }
  return entries;
}

/**
 * Each <a ...> with its text, which ends at its </a> or, for an unclosed anchor, at the next
 * <a>. One pass over the page, whatever its markup.
 */
function* anchors(html: string): Generator<{ rawAttributes: string; rawText: string }> {
  let open: { rawAttributes: string; textStart: number } | undefined;
  for (const tag of html.matchAll(ANCHOR_TAG)) {
    const at = tag.index ?? 0;
    if (open) yield { rawAttributes: open.rawAttributes, rawText: html.slice(open.textStart, at) };
    open = tag[1] === undefined ? undefined : { rawAttributes: tag[1], textStart: at + tag[0].length };
  }
  if (open) yield { rawAttributes: open.rawAttributes, rawText: '' };
}

/** Attribute names lowercased, values with entities decoded; a bare attribute has value ''. */
function attributesOf(text: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const [, name, doubleQuoted, singleQuoted, bare] of text.matchAll(ATTRIBUTE)) {
    const key = name.toLowerCase();
    if (!(key in attributes)) attributes[key] = decodeEntities(doubleQuoted ?? singleQuoted ?? bare ?? '');
  }
  return attributes;
}

function metadataHashes(value: string): Record<string, string> | boolean {
  const match = /^([a-z0-9]+)=([0-9a-f]+)$/i.exec(value.trim());
  return match ? { [match[1].toLowerCase()]: match[2] } : true;
}

function lastSegment(url: URL): string {
  const segment = url.pathname.split('/').pop() ?? '';
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function resolve(href: string, base: string): string | undefined {
  try {
    return new URL(href.trim(), base).toString();
  } catch {
    return undefined;
  }
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number.parseInt(body.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? whole;
  });
}
