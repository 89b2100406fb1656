/**
 * Builds real Python distributions for tests: a pure-Python wheel (zip with a .dist-info
 * folder holding METADATA, WHEEL and RECORD, installable by pip) and an sdist (tar.gz with
 * PKG-INFO at its top). Options bend them into the broken shapes the bad-input tests need.
 */
import AdmZip from 'adm-zip';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tar from 'tar';

// Fixed timestamps make a spec always build the same bytes, so tests can rebuild to compare.
const BUILD_TIME = new Date('2024-01-01T00:00:00Z');

export interface DistSpec {
  name: string;
  version: string;
  requiresDist?: string[];
  requiresPython?: string;
  summary?: string;
  description?: string;
  /** Module files, path -> content; defaults to <module>/__init__.py with a VERSION constant. */
  files?: Record<string, string>;
  /** What METADATA / PKG-INFO says, when it should differ from name and version. */
  metadataName?: string;
  metadataVersion?: string;
}

export interface BuiltDist {
  fileName: string;
  bytes: Buffer;
  sha256: string;
  /** The METADATA bytes inside a wheel (what PEP 658 serves). */
  metadata?: Buffer;
}

export function moduleName(name: string): string {
  return name.toLowerCase().replace(/[-.]+/g, '_');
}

/** The name part of wheel and PEP 625 sdist file names. */
export function fileStem(name: string, version: string): string {
  return `${name.replace(/[-_.]+/g, '_')}-${version}`;
}

export function coreMetadata(spec: DistSpec): string {
  const lines = ['Metadata-Version: 2.1', `Name: ${spec.metadataName ?? spec.name}`, `Version: ${spec.metadataVersion ?? spec.version}`];
  lines.push(`Summary: ${spec.summary ?? `${spec.name} for tests`}`);
  if (spec.requiresPython) lines.push(`Requires-Python: ${spec.requiresPython}`);
  for (const requirement of spec.requiresDist ?? []) lines.push(`Requires-Dist: ${requirement}`);
  lines.push('Description-Content-Type: text/markdown', '', spec.description ?? `# ${spec.name}\n\nA package built by the tests.\n`);
  return lines.join('\n');
}

function moduleFiles(spec: DistSpec): Record<string, string> {
  return spec.files ?? { [`${moduleName(spec.name)}/__init__.py`]: `VERSION = ${JSON.stringify(spec.version)}\n` };
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function buildWheel(spec: DistSpec): BuiltDist {
  const stem = fileStem(spec.name, spec.version);
  const distInfo = `${fileStem(spec.metadataName ?? spec.name, spec.metadataVersion ?? spec.version)}.dist-info`;
  const entries: [string, Buffer][] = Object.entries(moduleFiles(spec)).map(([file, text]) => [file, Buffer.from(text)]);
  const metadata = Buffer.from(coreMetadata(spec));
  entries.push([`${distInfo}/METADATA`, metadata]);
  entries.push([`${distInfo}/WHEEL`, Buffer.from('Wheel-Version: 1.0\nGenerator: artifact-cli-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n')]);
  const record = entries.map(([file, bytes]) => `${file},sha256=${createHash('sha256').update(bytes).digest('base64url')},${bytes.length}`);
  record.push(`${distInfo}/RECORD,,`);
  entries.push([`${distInfo}/RECORD`, Buffer.from(`${record.join('\n')}\n`)]);
  const zip = new AdmZip();
  for (const [file, bytes] of entries) {
    zip.addFile(file, bytes);
    zip.getEntry(file)!.header.time = BUILD_TIME;
  }
  const bytes = zip.toBuffer();
  return { fileName: `${stem}-py3-none-any.whl`, bytes, sha256: sha256(bytes), metadata };
}

export function buildSdist(spec: DistSpec): BuiltDist {
  const stem = fileStem(spec.name, spec.version);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pypi-sdist-'));
  try {
    const top = path.join(dir, stem);
    for (const [file, text] of Object.entries({
      ...moduleFiles(spec),
      'PKG-INFO': coreMetadata(spec),
      'setup.py': 'from setuptools import setup\nsetup()\n',
    })) {
      mkdirSync(path.dirname(path.join(top, file)), { recursive: true });
      writeFileSync(path.join(top, file), text);
    }
    const out = path.join(dir, 'out.tar.gz');
    tar.create({ gzip: true, cwd: dir, file: out, sync: true, portable: true, mtime: BUILD_TIME }, [stem]);
    const bytes = readFileSync(out);
    return { fileName: `${stem}.tar.gz`, bytes, sha256: sha256(bytes) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
