/**
 * What `npm pack` ships: only what runs (bin/ and the bundle it loads), never tests, sources or
 * docs, and every file and package the bundle imports. Building happens on prepack and, in a
 * checkout, before tests and `npm start`, never on a user's `npm install` of the package.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { PROJECT_DIR } from './helpers/run-cli.js';

interface PackResult {
  files: { path: string }[];
}

const manifest = JSON.parse(readFileSync(path.join(PROJECT_DIR, 'package.json'), 'utf8')) as {
  bin: Record<string, string>;
  engines: { node: string };
  homepage?: string;
  repository?: { type: string; url: string };
  bugs?: { url: string };
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
};

// Scripts are skipped: the tests run after `npm run build` (pretest), and packing must not build again.
function packedFiles(): Set<string> {
  const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: PROJECT_DIR, encoding: 'utf8' });
  const [result] = JSON.parse(output) as PackResult[];
  return new Set(result.files.map((file) => file.path));
}

// `from "x"`, `import "x"`, `import("x")` and `new URL("x", import.meta.url)` in built JavaScript.
// A module specifier has no spaces or parentheses, which keeps out prose in strings ("from '.command()'").
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s*|\bnew URL\(\s*)["']([^"'\s()]+)["']/g;

function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

describe('the published package', () => {
  const files = packedFiles();

  it('holds no tests, sources, docs or build scripts', () => {
    const unwanted = [...files].filter((file) => /^(test|src|docs|scripts|bench|fixtures|\.ci)\//.test(file));
    expect(unwanted).toEqual([]);
    expect(files.has('LICENSE')).toBe(true);
  });

  it('holds each bin and every file of the bundle it loads', () => {
    const bins = Object.values(manifest.bin);
    expect(bins.length).toBeGreaterThan(0);
    for (const bin of bins) expect(files.has(bin)).toBe(true);
    const bundle = readdirSync(path.join(PROJECT_DIR, 'dist', 'bundle')).map((name) => `dist/bundle/${name}`);
    expect(bundle).toContain('dist/bundle/main.js');
    expect(bundle.filter((file) => !files.has(file))).toEqual([]);
  });

  it('ships every file the bin imports, and lists every package it imports as a dependency', () => {
    const missing: string[] = [];
    const queue = Object.values(manifest.bin);
    const seen = new Set<string>();
    while (queue.length > 0) {
      const file = queue.shift()!;
      if (seen.has(file)) continue;
      seen.add(file);
      const text = readFileSync(path.join(PROJECT_DIR, file), 'utf8');
      for (const match of text.matchAll(SPECIFIER)) {
        const specifier = match[1];
        if (specifier.startsWith('.')) {
          const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
          if (!files.has(target)) missing.push(`${file} imports ${target}, which is not packed`);
          else if (target.endsWith('.js')) queue.push(target);
        } else if (!isBuiltin(specifier) && !/^[a-z]+:/.test(specifier) && !(packageNameOf(specifier) in manifest.dependencies)) {
          missing.push(`${file} imports ${specifier}, which is not a dependency`);
        }
      }
    }
    expect(seen.has('dist/bundle/main.js')).toBe(true);
    expect(seen.size).toBeGreaterThan(10);
    expect(missing).toEqual([]);
  });

  it('builds on prepack, before tests and before start, not on install', () => {
    expect(manifest.scripts.prepare).toBeUndefined();
    expect(manifest.scripts.install).toBeUndefined();
    expect(manifest.scripts.postinstall).toBeUndefined();
    expect(manifest.scripts.prepack).toContain('npm run build');
    expect(manifest.scripts.pretest).toContain('npm run build');
    expect(manifest.scripts.prestart).toContain('scripts/ensure-built.mjs');
  });

  it('says where the project lives: repository, bugs and homepage', () => {
    expect(manifest.repository?.type).toBe('git');
    expect(manifest.repository?.url).toMatch(/^git\+https:\/\/.+\.git$/);
    const home = manifest.repository?.url.replace(/^git\+/, '').replace(/\.git$/, '');
    expect(manifest.homepage).toBe(`${home}#readme`);
    expect(manifest.bugs?.url).toBe(`${home}/issues`);
  });

  it('asks for a Node that every runtime dependency supports', () => {
    const unmet: string[] = [];
    for (const name of Object.keys(manifest.dependencies)) {
      const theirs = (JSON.parse(readFileSync(path.join(PROJECT_DIR, 'node_modules', name, 'package.json'), 'utf8')) as { engines?: { node?: string } }).engines
        ?.node;
      if (theirs && !semver.subset(manifest.engines.node, theirs)) unmet.push(`${name} needs ${theirs}`);
    }
    expect(unmet).toEqual([]);
    // The range is not looser than it needs be either: its oldest release is one a dependency asks for.
    expect(semver.minVersion(manifest.engines.node)?.version).toBe('20.19.0');
  });
});
