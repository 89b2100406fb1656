/**
 * Readmes as HTML. Readmes are untrusted: markdown-it renders with raw HTML off (tags show as
 * text), links only to http(s), mailto and the page itself, each with rel="noopener noreferrer",
 * and images become links, so a readme never makes the browser load anything (the page's CSP
 * would refuse it anyway). markdown-it is loaded the first time a readme is shown.
 */
import type MarkdownIt from 'markdown-it';

let renderer: Promise<MarkdownIt> | undefined;

const SAFE_SCHEMES = new Set(['http', 'https', 'mailto']);

/** Relative links and the schemes above; control characters and spaces are ignored as browsers do. */
function isSafeLink(url: string): boolean {
  // eslint-disable-next-line no-control-regex
  const bare = url.replace(/[\u0000-\u0020\u007f]/g, '');
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(bare);
  if (scheme) return SAFE_SCHEMES.has(scheme[1].toLowerCase());
  return !bare.startsWith('//') && !bare.startsWith('\\\\');
}

async function load(): Promise<MarkdownIt> {
  const { default: MarkdownItClass } = await import('markdown-it');
  const md = new MarkdownItClass({ html: false, linkify: true, typographer: false });
  md.validateLink = isSafeLink;
  const renderToken = md.renderer.renderToken.bind(md.renderer);
  md.renderer.rules.link_open = (tokens, index, options) => {
    tokens[index].attrSet('rel', 'noopener noreferrer');
    return renderToken(tokens, index, options);
  };
  // The page has its own h1 and h2 ("Readme"): the readme's headings start below them.
  const shiftHeading = (tokens: { tag: string }[], index: number) => {
    const level = Number(tokens[index].tag.slice(1));
    if (level) tokens[index].tag = `h${Math.min(6, level + 2)}`;
  };
  md.renderer.rules.heading_open = (tokens, index, options) => {
    shiftHeading(tokens, index);
    return renderToken(tokens, index, options);
  };
  md.renderer.rules.heading_close = (tokens, index, options) => {
    shiftHeading(tokens, index);
    return renderToken(tokens, index, options);
  };
  md.renderer.rules.image = (tokens, index) => {
    const token = tokens[index];
    const src = token.attrGet('src') ?? '';
    const alt = md.utils.escapeHtml(token.content || src);
    return `<a href="${md.utils.escapeHtml(src)}" rel="noopener noreferrer">[image: ${alt}]</a>`;
  };
  return md;
}

export async function renderMarkdown(text: string): Promise<string> {
  renderer ??= load();
  return (await renderer).render(text);
}
