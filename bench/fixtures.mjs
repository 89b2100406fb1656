// The package universe of the stand-in public registry: about 150 real-world-shaped packages
// (a dependency tree several levels deep, several majors each, tarballs from 1 KB to 400 KB,
// a few scoped names, one express-sized package with 288 versions), generated from a fixed
// seed so every run and every machine gets the same bytes. Generated once into a cache
// directory outside git and reused; bump FIXTURE_VERSION when the shape changes.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildTarball } from './tarball.mjs';

const FIXTURE_VERSION = 3;
export const REGISTRY_PLACEHOLDER = '{{REGISTRY}}/';
export const PACKAGE_COUNT = 150;
const TOP_LEVEL = 20;
export const MID_SIZE_PACKAGE = 'bench-express';

const WORDS = [
  'array',
  'buffer',
  'cache',
  'debug',
  'event',
  'fetch',
  'glob',
  'hash',
  'inline',
  'json',
  'kind',
  'lexer',
  'merge',
  'node',
  'object',
  'parse',
  'query',
  'range',
  'stream',
  'token',
  'utf',
  'value',
  'watch',
  'yaml',
  'zip',
  'path',
  'color',
  'time',
];
const CODE_WORDS = [
  'function',
  'return',
  'const',
  'let',
  'if',
  'else',
  'for',
  'while',
  'new',
  'this',
  'module',
  'exports',
  'require',
  'null',
  'undefined',
  'true',
  'false',
  'typeof',
  'throw',
  'Error',
  'value',
  'options',
  'callback',
  'result',
  'index',
  'length',
  'push',
  'slice',
  'prototype',
  'Object',
  'keys',
  'string',
  'number',
  'buffer',
  'encoding',
  'stream',
  'emit',
  'on',
];

/** A small seeded PRNG (mulberry32): same seed, same fixture. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Source-like text that gzips about as well as real JavaScript (3-4x). */
function sourceText(rand, bytes) {
  const lines = [];
  let size = 0;
  while (size < bytes) {
    const words = [];
    const count = 3 + Math.floor(rand() * 9);
    for (let i = 0; i < count; i++) {
      const pick = rand();
      words.push(pick < 0.7 ? CODE_WORDS[Math.floor(rand() * CODE_WORDS.length)] : `${WORDS[Math.floor(rand() * WORDS.length)]}${Math.floor(rand() * 1000)}`);
    }
    const line = `${'  '.repeat(Math.floor(rand() * 4))}${words.join(' ')};`;
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join('\n');
}

function versionsOf(majors, minors, patches) {
  const versions = [];
  for (let major = 1; major <= majors; major++) {
    for (let minor = 0; minor < minors; minor++) for (let patch = 0; patch < patches; patch++) versions.push(`${major}.${minor}.${patch}`);
  }
  return versions;
}

/** Names, versions, dependency ranges and tarball sizes; no bytes yet. */
function planUniverse() {
  const rand = random(20261125);
  const names = new Set([MID_SIZE_PACKAGE]);
  while (names.size < PACKAGE_COUNT) {
    const name = `${WORDS[Math.floor(rand() * WORDS.length)]}-${WORDS[Math.floor(rand() * WORDS.length)]}${names.size % 9 === 0 ? '-js' : ''}`;
    const scoped = names.size % 13 === 5 ? `@benchorg/${name}` : name;
    if (![...names].some((known) => known.endsWith(name))) names.add(scoped);
  }
  const packages = [...names].map((name, index) => {
    const express = name === MID_SIZE_PACKAGE;
    const versions = express ? versionsOf(4, 18, 4) : versionsOf(1 + Math.floor(rand() * 4), 1 + Math.floor(rand() * 6), 1 + Math.floor(rand() * 4));
    // Log-uniform compressed sizes: most packages are small, a few are large.
    const packedBytes = express ? 55_000 : Math.round(1_500 * Math.pow(400_000 / 1_500, rand() ** 2));
    return { index, name, versions, latest: versions.at(-1), packedBytes, dependencies: {} };
  });
  const major = (pkg) => Number(pkg.latest.split('.')[0]);
  // Every package below the top level gets a parent nearer the top, so the tree reaches all of them.
  for (let child = TOP_LEVEL; child < PACKAGE_COUNT; child++) {
    const parent = packages[Math.floor(rand() * child)];
    parent.dependencies[packages[child].name] = `^${major(packages[child])}.0.0`;
  }
  for (const pkg of packages) {
    const extra = Math.floor(rand() * 3);
    for (let i = 0; i < extra && pkg.index + 1 < PACKAGE_COUNT; i++) {
      const target = packages[pkg.index + 1 + Math.floor(rand() * (PACKAGE_COUNT - pkg.index - 1))];
      // Now and then an older major, as real trees have, so some packages install twice.
      const older = major(target) > 1 && rand() < 0.15;
      pkg.dependencies[target.name] = `^${older ? major(target) - 1 : major(target)}.0.0`;
    }
  }
  const project = {
    name: 'bench-project',
    version: '1.0.0',
    private: true,
    dependencies: Object.fromEntries(packages.slice(0, TOP_LEVEL).map((pkg) => [pkg.name, `^${major(pkg)}.0.0`])),
  };
  return { packages, project };
}

export function tarballPath(name, version) {
  return `${name}/-/${name.split('/').pop()}-${version}.tgz`;
}

/** Writes tarballs and packuments (full and abbreviated, with a URL placeholder) under dir. */
function writeUniverse(dir, { packages }) {
  const rand = random(7);
  for (const pkg of packages) {
    const body = sourceText(rand, pkg.packedBytes * 3.2);
    // Installs take the newest version of a major, so those carry the full size; the rest are
    // small, which keeps the fixture (and its generation) small without changing any packument.
    const small = sourceText(rand, 4_000);
    const lastOfMajor = new Set(pkg.versions.filter((version, position) => pkg.versions[position + 1]?.split('.')[0] !== version.split('.')[0]));
    const readme = `# ${pkg.name}\n\n${sourceText(rand, 800)}\n`;
    const versions = {};
    const abbreviated = {};
    const time = { created: '2020-01-01T00:00:00.000Z' };
    pkg.versions.forEach((version, position) => {
      const manifest = {
        name: pkg.name,
        version,
        description: `The ${pkg.name} package`,
        main: 'index.js',
        license: 'MIT',
        repository: { type: 'git', url: `git+https://example.invalid/${pkg.name}.git` },
        dependencies: pkg.dependencies,
        engines: { node: '>=14' },
      };
      const built = buildTarball({
        'package.json': JSON.stringify(manifest, null, 2),
        'index.js': lastOfMajor.has(version) ? body : small,
        'README.md': readme,
      });
      const file = path.join(dir, 'tarballs', tarballPath(pkg.name, version));
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, built.bytes);
      const dist = {
        tarball: `${REGISTRY_PLACEHOLDER}${tarballPath(pkg.name, version)}`,
        integrity: built.integrity,
        shasum: built.shasum,
        fileCount: built.fileCount,
        unpackedSize: built.unpackedSize,
      };
      versions[version] = { ...manifest, _id: `${pkg.name}@${version}`, maintainers: [{ name: 'bench', email: 'bench@example.invalid' }], dist };
      abbreviated[version] = { name: pkg.name, version, dependencies: pkg.dependencies, engines: manifest.engines, license: 'MIT', dist };
      time[version] = new Date(Date.UTC(2020, 0, 1) + position * 86_400_000).toISOString();
    });
    time.modified = time[pkg.latest];
    const distTags = { latest: pkg.latest };
    const full = { _id: pkg.name, name: pkg.name, 'dist-tags': distTags, versions, time, description: `The ${pkg.name} package`, license: 'MIT', readme };
    const short = { name: pkg.name, modified: time.modified, 'dist-tags': distTags, versions: abbreviated };
    const base = path.join(dir, 'packuments', encodeURIComponent(pkg.name));
    mkdirSync(path.dirname(base), { recursive: true });
    writeFileSync(`${base}.full.json`, JSON.stringify(full));
    writeFileSync(`${base}.abbreviated.json`, JSON.stringify(short));
  }
}

/** The cached fixture directory, generated on first use. */
export function ensureUniverse() {
  const dir = path.join(os.tmpdir(), `artifact-cli-bench-fixtures-v${FIXTURE_VERSION}`);
  if (existsSync(path.join(dir, 'plan.json'))) return { dir, ...JSON.parse(readFileSync(path.join(dir, 'plan.json'), 'utf8')) };
  const staging = `${dir}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  const plan = planUniverse();
  writeUniverse(staging, plan);
  writeFileSync(path.join(staging, 'plan.json'), JSON.stringify(plan));
  rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
  return { dir, ...plan };
}

/** A package record of `count` versions in the store's own shape, for the 3,000-version tests. */
export function manyVersionsRecord(name, count) {
  const versions = {};
  for (let i = 0; i < count; i++) {
    const version = `${1 + Math.floor(i / 100)}.${Math.floor(i / 10) % 10}.${i % 10}`;
    const sha = (seed) => Buffer.alloc(seed, i % 256).toString('hex');
    const manifest = { name, version, description: `${name} for the benchmark`, main: 'index.js', license: 'MIT', dependencies: { 'left-pad': '^1.3.0' } };
    versions[version] = {
      version,
      status: 'Published',
      revision: `rev-${i}`,
      publishedTime: new Date(Date.UTC(2015, 0, 1) + i * 3_600_000).toISOString(),
      origin: { domainEntryPoint: { repositoryName: 'main' }, originType: 'INTERNAL' },
      assets: [{ name: `${name}-${version}.tgz`, size: 2048, hashes: { 'SHA-256': sha(32), 'SHA-1': sha(20), 'SHA-512': sha(64), MD5: sha(16) } }],
      dependencies: [{ dependencyType: 'regular', package: 'left-pad', versionRequirement: '^1.3.0' }],
      summary: manifest.description,
      licenses: [{ name: 'MIT' }],
      formatMetadata: manifest,
    };
  }
  const latest = Object.keys(versions).at(-1);
  return {
    format: 'npm',
    name,
    originConfiguration: { restrictions: { publish: 'ALLOW', upstream: 'BLOCK' } },
    formatMetadata: { 'dist-tags': { latest } },
    versions,
  };
}
