/** Readme rendering: raw HTML stays text, only safe links survive, each with rel, images never load. */
import { describe, expect, it } from 'vitest';
import { looksLikeRestructuredText } from '../../src/formats/pypi/readme-markup.js';
import { renderMarkdown } from '../../src/server/web/markdown.js';

describe('renderMarkdown', () => {
  it('shows raw HTML as text', async () => {
    const out = await renderMarkdown('<script>alert(1)</script>\n\n<img src=x onerror=alert(2)> and <svg onload=alert(3)>');
    expect(out).not.toMatch(/<(script|img|svg)/i);
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(out).toContain('&lt;img src=x onerror=alert(2)&gt;');
  });

  it.each([
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    'java\tscript:alert(1)',
    ' javascript:alert(1)',
    'javascript&colon;alert(1)',
    'vbscript:msgbox(1)',
    'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
    'data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9ImFsZXJ0KDEpIi8+',
    'file:///etc/passwd',
    '//attacker.invalid/x',
  ])('drops the link %j', async (target) => {
    const out = await renderMarkdown(`[click](${target}) <${target}>`);
    expect(out).not.toMatch(/href="(?!https?:)/i);
  });

  it('keeps http, https, mailto and relative links, each with rel="noopener noreferrer"', async () => {
    const out = await renderMarkdown(
      '[a](https://example.invalid/a) [b](http://example.invalid/b) [c](mailto:x@example.invalid) [d](guide/usage.html) [e](#usage) https://example.invalid/auto',
    );
    const links = [...out.matchAll(/<a ([^>]*)>/g)].map((match) => match[1]);
    expect(links).toHaveLength(6);
    for (const link of links) expect(link).toContain('rel="noopener noreferrer"');
    expect(out).toContain('href="guide/usage.html"');
  });

  it('turns images into links, so nothing is fetched, and starts headings below the page’s own', async () => {
    const out = await renderMarkdown('# Title\n\n## Part\n\n![badge](https://example.invalid/badge.svg)');
    expect(out).not.toContain('<img');
    expect(out).toContain('<a href="https://example.invalid/badge.svg" rel="noopener noreferrer">[image: badge]</a>');
    expect(out).toContain('<h3>Title</h3>');
    expect(out).toContain('<h4>Part</h4>');
  });
});

describe('looksLikeRestructuredText', () => {
  it('tells reStructuredText from Markdown', () => {
    expect(looksLikeRestructuredText('Title\n=====\n\nUsage::\n\n    pip install x\n')).toBe(true);
    expect(looksLikeRestructuredText('Intro\n\n.. code-block:: python\n\n   x = 1\n')).toBe(true);
    expect(looksLikeRestructuredText('# Title\n\nSome *Markdown*.\n')).toBe(false);
  });
});
