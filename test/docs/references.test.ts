/**
 * Every document a comment or page cites must be in the repository: a reader of the project can
 * follow only what is here. Checks src/, test/, docs/ and README.md for paths to docs/*.md,
 * for the outside reference notes the code once cited, for bare protocols/*.md paths, and (in
 * Markdown) for relative links.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { filesUnder, ROOT } from './repository-files.js';

const SCANNED = ['src', 'test', 'docs', 'README.md'];
const TEXT = /\.(ts|mts|mjs|js|md|json|py)$/;
// Built from pieces so that this file does not cite them itself.
const OUTSIDE_NOTES = new RegExp(`\\b(?:${['CODEARTIFACT', 'DESIGN', 'STYLE'].join('|')})\\.md\\b`, 'g');
const DOCS_PATH = /(?<![\w./-])docs\/[\w./-]*?\.md\b/g;
const BARE_PROTOCOLS = /(?<![\w.-]\/|[\w.-])protocols\/[\w.-]+\.md\b/g;
const MARKDOWN_LINK = /\]\(([^)\s]+?)(?:#[^)\s]*)?\)/g;

interface Citation {
  file: string;
  line: number;
  cited: string;
}

function lineOf(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

/** Every citation in a file that does not lead to a file of the repository. */
export function brokenCitations(file: string, text: string): Citation[] {
  const broken: Citation[] = [];
  const report = (index: number, cited: string) => broken.push({ file, line: lineOf(text, index), cited });
  for (const match of text.matchAll(OUTSIDE_NOTES)) report(match.index, match[0]);
  for (const match of text.matchAll(DOCS_PATH)) {
    if (!existsSync(path.join(ROOT, match[0]))) report(match.index, match[0]);
  }
  for (const match of text.matchAll(BARE_PROTOCOLS)) {
    const here = path.join(ROOT, path.dirname(file), match[0]);
    if (!existsSync(here)) report(match.index, match[0]);
  }
  if (file.endsWith('.md')) {
    for (const match of text.matchAll(MARKDOWN_LINK)) {
      const target = match[1];
      if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) continue;
      if (!existsSync(path.join(ROOT, path.dirname(file), decodeURI(target)))) report(match.index, target);
    }
  }
  return broken;
}

describe('citations of documents', () => {
  it('finds every kind of broken citation it is meant to find', () => {
    const sample = [
      `// see ${'CODEARTIFACT'}.md §1.1`,
      '// see docs/reference/no-such-page.md',
      '// see protocols/no-such.md',
      '[gone](no-such-page.md)',
      '// fine: docs/reference/statuses.md, [ok](statuses.md), [web](https://example.invalid/x.md)',
    ].join('\n');
    const cited = brokenCitations('docs/reference/sample.md', sample).map((citation) => citation.cited);
    expect(cited).toEqual([`${'CODEARTIFACT'}.md`, 'docs/reference/no-such-page.md', 'protocols/no-such.md', 'no-such-page.md']);
  });

  it('src/, test/, docs/ and README.md cite only files the repository has', () => {
    const self = path.relative(ROOT, fileURLToPath(import.meta.url));
    const files = SCANNED.flatMap((entry) => filesUnder(entry, TEXT)).filter((file) => file !== self);
    expect(files.length).toBeGreaterThan(100);
    const broken = files.flatMap((file) => brokenCitations(file, readFileSync(path.join(ROOT, file), 'utf8')));
    expect(broken.map(({ file, line, cited }) => `${file}:${line} cites ${cited}`)).toEqual([]);
  });
});
