/** Builds real npm tarballs (package/package.json inside a gzipped tar) for tests and benchmarks. */
import { createHash } from 'node:crypto';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tar from 'tar';

export interface TarballSpec {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  /** Extra files under package/, name -> content. */
  files?: Record<string, string>;
  /** More package.json fields (peerDependencies, bin, os, ...), written as given. */
  manifest?: Record<string, unknown>;
}

export interface BuiltTarball {
  bytes: Buffer;
  integrity: string;
  shasum: string;
  manifest: Record<string, unknown>;
}

export function buildNpmTarball(spec: TarballSpec): BuiltTarball {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'npm-tarball-'));
  try {
    const manifest = {
      name: spec.name,
      version: spec.version,
      description: `${spec.name} for tests`,
      main: 'index.js',
      dependencies: spec.dependencies ?? {},
      ...spec.manifest,
    };
    mkdirSync(path.join(dir, 'package'));
    writeFileSync(path.join(dir, 'package', 'package.json'), JSON.stringify(manifest, null, 2));
    writeFileSync(path.join(dir, 'package', 'index.js'), `module.exports = ${JSON.stringify(`${spec.name}@${spec.version}`)};\n`);
    for (const [name, content] of Object.entries(spec.files ?? {})) writeFileSync(path.join(dir, 'package', name), content);
    const file = path.join(dir, 'out.tgz');
    tar.create({ gzip: true, cwd: dir, file, sync: true, portable: true }, ['package']);
    const bytes = readFileSync(file);
    return {
      bytes,
      integrity: `sha512-${createHash('sha512').update(bytes).digest('base64')}`,
      shasum: createHash('sha1').update(bytes).digest('hex'),
      manifest,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
