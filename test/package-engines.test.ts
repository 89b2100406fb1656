/**
 * package.json's `engines` promises only Node versions on which every production dependency,
 * direct or not, says it runs: installing on an older Node must warn, not fail at run time.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { PROJECT_DIR } from './helpers/run-cli.js';

interface Manifest {
  name: string;
  engines?: { node?: string };
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Manifest;

/** Where Node would find `name` from `dir`: the nearest node_modules holding it. */
function locate(name: string, dir: string): string | undefined {
  for (let current = dir; ; current = path.dirname(current)) {
    const candidate = path.join(current, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (path.dirname(current) === current) return undefined;
  }
}

/** Every installed production dependency, with the folder it was found in. */
function productionDependencies(): { dir: string; manifest: Manifest }[] {
  const found = new Map<string, Manifest>();
  const queue = [PROJECT_DIR];
  while (queue.length > 0) {
    const dir = queue.shift()!;
    const manifest = read(path.join(dir, 'package.json'));
    for (const name of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })) {
      const location = locate(name, dir);
      if (!location || found.has(location)) continue;
      found.set(location, read(path.join(location, 'package.json')));
      queue.push(location);
    }
  }
  return [...found].map(([dir, manifest]) => ({ dir, manifest }));
}

describe('engines', () => {
  const ours = read(path.join(PROJECT_DIR, 'package.json')).engines?.node;

  it('is set and is a valid range', () => {
    expect(ours && semver.validRange(ours)).toBeTruthy();
  });

  it('lies inside what every production dependency supports', () => {
    const dependencies = productionDependencies();
    expect(dependencies.length).toBeGreaterThan(10);
    const outside = dependencies
      .filter(({ manifest }) => manifest.engines?.node && !semver.subset(ours!, manifest.engines.node, { includePrerelease: false }))
      .map(({ manifest }) => `${manifest.name} needs node ${manifest.engines!.node}`);
    expect(outside).toEqual([]);
  });

  it('allows the Node this test runs on', () => {
    expect(semver.satisfies(process.versions.node, ours!)).toBe(true);
  });
});
