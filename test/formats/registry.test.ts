/**
 * A new format is a new folder plus one line in the registry, and nothing else (docs/architecture.md,
 * "Format rules"): every folder under src/formats/ declares its name and rules in rules.ts and has
 * one line in the registry, the code outside src/formats/ reads the rules instead of naming or
 * listing formats, and the rules stay light enough for the package commands to load.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { defineFormatRules } from '../../src/core/format-rules.js';
import type { PackageFormat, PackageRecord } from '../../src/core/model.js';
import { normalizePackageWith } from '../../src/core/package-names.js';
import { parsePackageGroupPattern } from '../../src/core/package-group-pattern.js';
import { EXTERNAL_CONNECTIONS } from '../../src/formats/external-connections.js';
import { FORMAT_RULES, formatRules, isPackageFormat, loadFormats, PACKAGE_FORMATS, type RegisteredFormatName } from '../../src/formats/registry.js';
import { TOOL_LOGINS, type LoginTool } from '../../src/login/login-tools.js';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src');
const FORMATS_DIR = path.join(SRC, 'formats');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

const relative = (file: string) => path.relative(SRC, file).split(path.sep).join('/');
const withoutComments = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
const formatFolders = () =>
  readdirSync(FORMATS_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);

describe('the format registry', () => {
  it('has one line for each folder under src/formats/, and each folder declares its own rules', async () => {
    const folders = formatFolders();
    expect(folders.length).toBeGreaterThanOrEqual(8);
    expect([...PACKAGE_FORMATS].sort()).toEqual([...folders].sort());
    for (const folder of folders) {
      const declared = Object.values((await import(path.join(FORMATS_DIR, folder, 'rules.ts'))) as Record<string, unknown>);
      expect(declared, `src/formats/${folder}/rules.ts`).toContain(formatRules(folder as PackageFormat));
      expect(formatRules(folder as PackageFormat).format).toBe(folder);
    }
  });

  it("takes the type PackageFormat from the names the rules.ts files declare, each its own folder's", () => {
    // Checked by the compiler (npm run typecheck): every declared name has a registry line, and
    // every line's format is a declared name. Nothing else in src/ adds to PackageFormatNames.
    expectTypeOf<RegisteredFormatName>().toEqualTypeOf<PackageFormat>();
    const declaring = sourceFiles(SRC).filter((file) => /\binterface PackageFormatNames\b/.test(readFileSync(file, 'utf8')));
    expect(declaring.map(relative).sort()).toEqual(['core/model.ts', ...formatFolders().map((folder) => `formats/${folder}/rules.ts`)].sort());
    expect(withoutComments(readFileSync(path.join(SRC, 'core/model.ts'), 'utf8'))).toMatch(/export interface PackageFormatNames \{\}/);
    for (const folder of formatFolders()) {
      const text = withoutComments(readFileSync(path.join(FORMATS_DIR, folder, 'rules.ts'), 'utf8'));
      const declared = /declare module '\.\.\/\.\.\/core\/model\.js' \{\s*interface PackageFormatNames \{\s*([^}]*)\}/.exec(text);
      expect(declared?.[1].trim(), `src/formats/${folder}/rules.ts`).toBe(`${folder}: true;`);
    }
  });

  it('tells a registered format name from anything else', () => {
    for (const name of PACKAGE_FORMATS) expect(isPackageFormat(name)).toBe(true);
    for (const name of ['conda', 'NPM', '', 'toString', '__proto__', undefined, 1]) expect(isPackageFormat(name), String(name)).toBe(false);
  });

  it("loads each line's server code under the format's own name", async () => {
    const loaded = await loadFormats();
    expect([...loaded.keys()]).toEqual(PACKAGE_FORMATS);
    for (const [name, format] of loaded) expect(format.name).toBe(name);
  });

  it("declares CodeArtifact's namespace rule for each format", () => {
    const rules = Object.fromEntries(FORMAT_RULES.map((entry) => [entry.format, entry.namespace]));
    expect(rules).toEqual({
      npm: 'optional',
      pypi: 'forbidden',
      maven: 'required',
      nuget: 'forbidden',
      generic: 'required',
      ruby: 'forbidden',
      swift: 'required',
      cargo: 'forbidden',
    });
  });

  it('refuses a format it has no line for', () => {
    expect(() => formatRules('conda' as PackageFormat)).toThrow(/No rules registered for format conda/);
  });

  it('gathers the external connections from the rules, each named by one format', () => {
    const named = FORMAT_RULES.flatMap((rules) => rules.externalConnections);
    expect(new Set(named).size).toBe(named.length);
    expect(Object.keys(EXTERNAL_CONNECTIONS).sort()).toEqual([...named].sort());
    expect(EXTERNAL_CONNECTIONS['public:crates-io']).toBe('cargo');
  });

  it('offers only login tools that set up a client of the same format', () => {
    for (const rules of FORMAT_RULES) {
      for (const tool of rules.loginTools) expect(TOOL_LOGINS[tool as LoginTool]?.format, `${rules.format}: login --tool ${tool}`).toBe(rules.format);
    }
  });
});

describe('code outside a format folder takes what it knows of a format from the rules', () => {
  // A made-up format's rules, to show the shared code follows whatever a descriptor declares.
  const shouting = defineFormatRules({
    format: 'conda' as PackageFormat,
    namespace: 'required',
    namespaceWord: 'channel',
    normalizeName: (name) => name.toUpperCase(),
    splitWholeName: (name) => (name.includes('::') ? { namespace: name.split('::')[0], name: name.split('::')[1] } : undefined),
    copyPackageMetadata: (destination, copied) => {
      destination.formatMetadata = { copied: [...copied] };
    },
  });

  it('normalises, requires namespaces and takes whole names apart as the descriptor says', () => {
    expect(normalizePackageWith(shouting, 'forge', 'numpy')).toEqual({ format: 'conda', namespace: 'forge', name: 'NUMPY' });
    expect(() => normalizePackageWith(shouting, undefined, 'numpy')).toThrow('--namespace is required for conda packages.');
    expect(() => normalizePackageWith(shouting, undefined, 'forge::numpy')).toThrow('holds a channel as well as a name; the channel goes in --namespace.');
  });

  it('holds package group patterns to the descriptor of their format', () => {
    const rules = FORMAT_RULES.map((each) => (each.format === 'maven' ? { ...shouting, format: each.format } : each));
    expect(() => parsePackageGroupPattern('/maven/forge/numpy$', rules)).toThrow('maven names are written normalised: NUMPY.');
    expect(parsePackageGroupPattern('/maven/forge/NUMPY$', rules).name).toBe('NUMPY');
    // The formats a pattern may name are the ones passed in: core has no list of its own.
    expect(parsePackageGroupPattern('/conda/forge/NUMPY$', [shouting]).format).toBe('conda');
    expect(() => parsePackageGroupPattern('/npm/*', [shouting])).toThrow('"npm" is not a package format (conda).');
  });

  it('leaves everything as written where the descriptor declares nothing', () => {
    const plain = defineFormatRules({ format: 'conda' as PackageFormat, namespace: 'optional' });
    const record = { formatMetadata: { kept: true } } as unknown as PackageRecord;
    plain.copyPackageMetadata(record, ['1.0'], []);
    expect(record.formatMetadata).toEqual({ kept: true });
    expect(plain.normalizeVersion('01.0')).toBe('01.0');
    expect(plain.displayName('ns', 'name')).toBe('ns:name');
    expect(plain.installSnippets({ domain: 'd', repository: 'r', name: 'n', version: '1' })).toEqual([]);
  });

  // Where a format's name may still be written outside its folder, and why.
  const ALLOWED: Record<string, string> = {
    'cli/aws-input-shapes.ts': "CodeArtifact's API model: its enum of formats",
    'api/handlers-packages.ts': 'PublishPackageVersion: the API operation CodeArtifact defines for generic packages only',
    'cli/commands/generic.ts': 'publish-package-version: the same operation from the CLI',
    'login/login-tools.ts': 'keyed by login tool: npm, maven, nuget, cargo and swift are also the names of tools',
  };

  // What naming or listing formats looks like: a comparison with a format's name, a case of one, a
  // list of names (an array, or a union type as PackageFormat once was) and a table keyed by them.
  const names = `(${PACKAGE_FORMATS.join('|')})`;
  const quoted = `['"]${names}['"]`;
  const FORMAT_NAMING: Record<string, RegExp> = {
    comparison: new RegExp(`\\bformat\\w*\\s*[!=]==?\\s*${quoted}|${quoted}\\s*[!=]==?\\s*[\\w.]*format`, 'gi'),
    case: new RegExp(`\\bcase\\s+${quoted}\\s*:`, 'g'),
    array: new RegExp(`\\[\\s*${quoted}\\s*,\\s*${quoted}`, 'g'),
    union: new RegExp(`${quoted}\\s*\\|\\s*${quoted}`, 'g'),
    table: new RegExp(`^\\s*${names}\\s*:\\s*[[{'"]`, 'gm'),
  };
  const namingIn = (text: string) => Object.values(FORMAT_NAMING).flatMap((pattern) => [...text.matchAll(pattern)].map((match) => match[0].trim()));

  it('has no list of format names (array or union), case of a format name, comparison with a format name or table keyed by format outside src/formats/<format>/', () => {
    const outside = sourceFiles(SRC).filter((file) => !/^formats\/[^/]+\//.test(relative(file)));
    expect(outside.length).toBeGreaterThan(100);
    expect(outside.map(relative)).toEqual(
      expect.arrayContaining(['core/model.ts', 'formats/registry.ts', 'store/fs-index-store.ts', 'core/package-group-pattern.ts']),
    );
    const found = outside.flatMap((file) => namingIn(withoutComments(readFileSync(file, 'utf8'))).map((hit) => `src/${relative(file)}: ${hit}`));
    const unexplained = found.filter((hit) => !Object.keys(ALLOWED).some((file) => hit.startsWith(`src/${file}:`)));
    expect(unexplained).toEqual([]);
    // Each allowance is still needed; an unused one is dropped rather than left to hide a new case.
    for (const file of Object.keys(ALLOWED))
      expect(
        found.some((hit) => hit.startsWith(`src/${file}:`)),
        file,
      ).toBe(true);
  });

  it('the check above finds what it looks for, and lets a single name in a package key pass', () => {
    const samples: Record<string, string> = {
      comparison: "if (format !== 'nuget') x();",
      case: "switch (key.format) {\n case 'npm': break;\n}",
      array: "export const PACKAGE_FORMATS = ['npm', 'pypi', 'maven'];",
      union: "export type PackageFormat = 'npm' | 'pypi' | 'maven';",
      table: "const T = {\n  maven: ['mvn'],\n};",
    };
    expect(Object.keys(samples).sort()).toEqual(Object.keys(FORMAT_NAMING).sort());
    for (const [kind, sample] of Object.entries(samples)) expect([...sample.matchAll(FORMAT_NAMING[kind])].length, kind).toBeGreaterThan(0);
    expect(namingIn("const key = { domain, repository, format: 'npm', name };\nlistPackages(domain, repository, 'pypi');")).toEqual([]);
  });
});

describe('the rules stay light', () => {
  it("registry.ts reaches, by static imports, only core/, errors.ts and the formats' rules files", () => {
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = withoutComments(readFileSync(file, 'utf8'));
      // Static imports only: `import type` is erased and `import()` loads later.
      for (const match of text.matchAll(/^import\s+(?!type\b)[^;]*?from\s+'(\.[^']+)'/gm)) {
        visit(path.resolve(path.dirname(file), match[1]).replace(/\.js$/, '.ts'));
      }
    };
    visit(path.join(FORMATS_DIR, 'registry.ts'));
    const reached = [...seen].map(relative);
    expect(reached).toContain('formats/npm/rules.ts');
    expect(reached.filter((file) => !/^(core\/|errors\.ts$|formats\/registry\.ts$|formats\/[^/]+\/)/.test(file))).toEqual([]);
    // Inside a format folder only the rules and the pure helpers they use: no server, no store.
    const inFolders = reached.filter((file) => /^formats\/[^/]+\//.test(file));
    for (const file of inFolders)
      expect(withoutComments(readFileSync(path.join(SRC, file), 'utf8')), file).not.toMatch(/from '(\.\.\/)+(server|store|operations|upstream|config)\//);
  });
});
