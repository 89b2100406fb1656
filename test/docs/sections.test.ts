/**
 * A reader sent to a section must find it: every `page.md#anchor` link in the Markdown and every
 * `page.md, "Heading"` citation in src/, test/ and docs/ names a heading the page has.
 * (references.test.ts checks that the pages themselves exist.)
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { filesUnder, ROOT } from './repository-files.js';

const SCANNED = ['src', 'test', 'docs', 'README.md', 'CONTRIBUTING.md'];
const TEXT = /\.(ts|mts|mjs|js|md)$/;
const ANCHORED_LINK = /\]\(([^)\s#]*)#([^)\s]+)\)/g;
const SECTION_CITATION = /([\w./-]+\.md)\)?,? "([^"\n]+)"/g;

/** The headings of a page, as written (inline code marks dropped), leaving out fenced code. */
function headingsOf(text: string): string[] {
  const prose = text.replace(/^```[\s\S]*?^```/gm, '');
  return [...prose.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)].map((match) => match[1].replaceAll('`', ''));
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces made '-', repeats numbered. */
function anchorsOf(text: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const heading of headingsOf(text)) {
    const base = heading
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(base) ?? 0;
    anchors.add(count === 0 ? base : `${base}-${count}`);
    seen.set(base, count + 1);
  }
  return anchors;
}

/** The page a citation names: from the repository's root, docs/, or the citing file's folder. */
function pageOf(cited: string, citingFile: string): string | undefined {
  return [cited, path.join('docs', cited), path.join(path.dirname(citingFile), cited)]
    .map((candidate) => path.join(ROOT, candidate))
    .find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
}

/** Every link anchor or cited section in a file that its page does not have. */
export function brokenSections(file: string, text: string, read: (page: string) => string): string[] {
  const broken: string[] = [];
  if (file.endsWith('.md')) {
    for (const [, target, anchor] of text.matchAll(ANCHORED_LINK)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
      const page = target === '' ? path.join(ROOT, file) : path.join(ROOT, path.dirname(file), decodeURI(target));
      if (!page.endsWith('.md') || !existsSync(page)) continue;
      if (!anchorsOf(read(page)).has(anchor)) broken.push(`${target}#${anchor}`);
    }
  }
  for (const [, cited, section] of text.matchAll(SECTION_CITATION)) {
    const page = pageOf(cited, file);
    // A heading may go on after a colon ("RubyGems and PyPI: the server's CPU ..."); citing its head is enough.
    const found = page === undefined || headingsOf(read(page)).some((heading) => heading === section || heading.startsWith(`${section}:`));
    if (!found) broken.push(`${cited}, "${section}"`);
  }
  return broken;
}

describe('sections that links and comments point to', () => {
  const read = (page: string) => readFileSync(page, 'utf8');

  it('finds a missing anchor and a missing cited section, and passes ones that exist', () => {
    const sample = [
      '[ok](storage.md#gc-and-verify) [gone](storage.md#no-such-section) [here](#a-heading)',
      '// fine: (docs/storage.md, "gc and verify"); wrong: (docs/storage.md, "Garbage")',
      '# A heading',
    ].join('\n');
    expect(brokenSections(path.join('docs', 'sample.md'), sample, (page) => (page.endsWith('sample.md') ? sample : read(page)))).toEqual([
      'storage.md#no-such-section',
      'docs/storage.md, "Garbage"',
    ]);
  });

  it('every anchor and cited section in src/, test/, docs/, README.md and CONTRIBUTING.md exists', () => {
    const self = path.relative(ROOT, fileURLToPath(import.meta.url));
    const files = SCANNED.flatMap((entry) => filesUnder(entry, TEXT)).filter((file) => file !== self);
    expect(files.length).toBeGreaterThan(100);
    const broken = files.flatMap((file) => brokenSections(file, readFileSync(path.join(ROOT, file), 'utf8'), read).map((cited) => `${file} cites ${cited}`));
    expect(broken).toEqual([]);
  });
});
