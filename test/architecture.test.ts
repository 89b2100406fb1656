/**
 * The layers of docs/architecture.md, checked on every import of every file in src/: core/
 * depends on nothing above it, store/ on core/ only, and no format folder on another.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SRC = path.join(ROOT, 'src');

// Static imports and re-exports, side-effect imports, and import() with a literal path.
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;
const BLOCK_COMMENT = /\/\*[\s\S]*?\*\//g;
const LINE_COMMENT = /^\s*\/\/.*$/gm;

/** Where a file under src/ sits: its top folder, or 'formats/<name>' inside a format's folder. */
export function layerOf(relative: string): string {
  const parts = relative.split('/');
  if (parts.length === 1) return parts[0].replace(/\.[mc]?[jt]s$/, '');
  if (parts[0] === 'formats' && parts.length > 2) return `formats/${parts[1]}`;
  return parts[0];
}

// What each guarded layer may import besides itself. errors.ts is the one error hierarchy.
const ALLOWED: Record<string, readonly string[]> = {
  errors: [],
  core: ['errors'],
  store: ['core', 'errors'],
  config: ['core', 'errors'],
};

/** The rule an import from `from` to `to` (both relative to src/) breaks, if any. */
export function brokenRule(from: string, to: string): string | undefined {
  const a = layerOf(from);
  const b = layerOf(to);
  if (a === b) return undefined;
  const allowed = ALLOWED[a];
  if (allowed && !allowed.includes(b)) return `${a}/ may import only ${allowed.join(', ') || 'nothing'}`;
  if (a.startsWith('formats/') && b.startsWith('formats/')) return 'formats never import each other';
  if (b === 'cli' && a !== 'cli') return 'only cli/ imports cli/';
  return undefined;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.[mc]?ts$/.test(entry.name) ? [full] : [];
  });
}

/** Every import inside src/ as [importing file, imported file], both relative to src/. */
function importsOf(file: string): [string, string][] {
  const text = readFileSync(file, 'utf8').replace(BLOCK_COMMENT, '').replace(LINE_COMMENT, '');
  const edges: [string, string][] = [];
  for (const match of text.matchAll(IMPORT)) {
    const specifier = match[1];
    if (!specifier.startsWith('.')) continue;
    const target = path.resolve(path.dirname(file), specifier);
    edges.push([path.relative(SRC, file).split(path.sep).join('/'), path.relative(SRC, target).split(path.sep).join('/')]);
  }
  return edges;
}

describe('architecture: the layers of docs/architecture.md', () => {
  it('names each broken rule', () => {
    expect(brokenRule('core/names.ts', 'store/store.js')).toBe('core/ may import only errors');
    expect(brokenRule('core/names.ts', 'cli/main.js')).toBe('core/ may import only errors');
    expect(brokenRule('core/names.ts', 'operations/tokens.js')).toBe('core/ may import only errors');
    expect(brokenRule('store/lock.ts', 'formats/registry.js')).toBe('store/ may import only core, errors');
    expect(brokenRule('store/lock.ts', 'operations/tokens.js')).toBe('store/ may import only core, errors');
    expect(brokenRule('store/lock.ts', 'server/serve.js')).toBe('store/ may import only core, errors');
    expect(brokenRule('formats/npm/publish.ts', 'formats/pypi/pep440.js')).toBe('formats never import each other');
    expect(brokenRule('operations/tokens.ts', 'cli/main.js')).toBe('only cli/ imports cli/');
    expect(brokenRule('formats/npm/publish.ts', 'formats/format.js')).toBeUndefined();
    expect(brokenRule('formats/registry.ts', 'formats/npm/index.js')).toBeUndefined();
    expect(brokenRule('core/names.ts', 'errors.js')).toBeUndefined();
    expect(brokenRule('cli/commands/sync.ts', 'formats/npm/sync.js')).toBeUndefined();
  });

  it('every import in src/ keeps the layers', () => {
    const edges = sourceFiles(SRC).flatMap(importsOf);
    // The parser must really see the imports, or this test would pass on nothing.
    expect(edges.length).toBeGreaterThan(1000);
    expect(edges.some(([from, to]) => from === 'cli/commands/sync.ts' && to === 'formats/npm/sync.js')).toBe(true);
    const broken = edges.flatMap(([from, to]) => {
      const rule = brokenRule(from, to);
      return rule ? [`src/${from} imports src/${to}: ${rule}`] : [];
    });
    expect(broken).toEqual([]);
  });
});
