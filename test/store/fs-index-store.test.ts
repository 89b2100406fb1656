import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PackageFormat, PackageKey, PackageRecord } from '../../src/core/model.js';
import { ChangeMarker } from '../../src/store/change-marker.js';
import { FsIndexStore } from '../../src/store/fs-index-store.js';
import { CorruptIndexError } from '../../src/store/json-file.js';
import { PROJECT_DIR } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const ADD_VERSION = path.join(PROJECT_DIR, 'test', 'fixtures', 'add-version.mjs');

function runNode(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

function emptyPackage(key: PackageKey): PackageRecord {
  return {
    format: key.format,
    namespace: key.namespace,
    name: key.name,
    originConfiguration: { restrictions: { publish: 'ALLOW', upstream: 'ALLOW' } },
    versions: {},
  };
}

describe('FsIndexStore', () => {
  it('loses no update when 20 processes add versions to one package index at once', async () => {
    const root = makeTempDir();
    const versions = Array.from({ length: 20 }, (_, i) => `1.0.${i}`);
    // All 20 start together, so they really contend for the same lock.
    const results = await Promise.all(versions.map((version) => runNode([ADD_VERSION, root, version])));
    for (const result of results) expect(result, result.stderr).toMatchObject({ code: 0 });

    const store = new FsIndexStore(root);
    const key: PackageKey = { domain: 'race', repository: 'repo', format: 'npm', name: 'shared' };
    const text = await fs.readFile(store.packageLocation(key), 'utf8');
    const record = JSON.parse(text) as PackageRecord;
    expect(Object.keys(record.versions).sort()).toEqual([...versions].sort());
  });

  it('names the file when a package index is not valid JSON, and leaves it untouched on update', async () => {
    const store = new FsIndexStore(makeTempDir());
    const key: PackageKey = { domain: 'dom', repository: 'repo', format: 'npm', name: 'broken' };
    const file = store.packageLocation(key);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, '{"format": "npm", "versions": {');

    const read = store.getPackage(key);
    await expect(read).rejects.toBeInstanceOf(CorruptIndexError);
    await expect(store.getPackage(key)).rejects.toThrow(file);
    // A summary for a whole-repository view fails the same way: a rejection, never a throw.
    const summary = store.summarizePackage(key, 'test', (record) => record?.name);
    await expect(summary).rejects.toBeInstanceOf(CorruptIndexError);
    await expect(store.updatePackage(key, () => emptyPackage(key))).rejects.toThrow(file);
    expect(await fs.readFile(file, 'utf8')).toBe('{"format": "npm", "versions": {');
  });

  it('keeps names that look like paths inside the repository directory', async () => {
    const store = new FsIndexStore(makeTempDir());
    const base = { domain: 'dom', repository: 'repo', format: 'npm' as const };
    const keys: PackageKey[] = [
      { ...base, namespace: 'types', name: 'node' },
      { ...base, namespace: '_', name: '_' },
      { ...base, name: '..' },
      { ...base, name: '.hidden' },
      { ...base, name: 'a%2Fb' },
    ];
    const packagesDir = path.join(store.root, 'domains', 'dom', 'repositories', 'repo', 'packages');
    for (const key of keys) {
      const location = store.packageLocation(key);
      expect(path.relative(packagesDir, location).startsWith('..')).toBe(false);
      await store.updatePackage(key, () => emptyPackage(key));
    }
    const listed = await store.listPackages('dom', 'repo');
    expect(listed.map((ref) => `${ref.namespace ?? '(none)'}/${ref.name}`).sort()).toEqual(
      ['types/node', '_/_', '(none)/..', '(none)/.hidden', '(none)/a%2Fb'].sort(),
    );
  });

  it('lists the packages of the formats it is opened with, or of every directory when given none', async () => {
    const root = makeTempDir();
    const writer = new FsIndexStore(root);
    const kept: PackageKey = { domain: 'dom', repository: 'repo', format: 'npm', name: 'kept' };
    // A format this build does not register, as another version of the tool could leave behind.
    const stray = { domain: 'dom', repository: 'repo', format: 'conda' as PackageFormat, name: 'stray' };
    await writer.updatePackage(kept, () => emptyPackage(kept));
    await writer.updatePackage(stray, () => emptyPackage(stray));
    const registered = new FsIndexStore(root, undefined, ['npm', 'pypi']);
    expect(await registered.listPackages('dom', 'repo')).toEqual([{ format: 'npm', namespace: undefined, name: 'kept' }]);
    expect((await writer.listPackages('dom', 'repo')).map((ref) => ref.format).sort()).toEqual(['conda', 'npm']);
  });

  it("lists in order, and a sampling process sees its own and other processes' changes in the next listing", async () => {
    const root = makeTempDir();
    const changes = new ChangeMarker(root);
    const server = new FsIndexStore(root, changes);
    const other = new FsIndexStore(root);
    const key = (name: string, namespace?: string): PackageKey => ({ domain: 'dom', repository: 'repo', format: 'npm', namespace, name });
    const names = async () => {
      changes.sampleThisTurn();
      return (await server.listPackages('dom', 'repo')).map((ref) => `${ref.namespace ?? ''}/${ref.name}`);
    };
    for (const name of ['b', 'a', 'B']) await server.updatePackage(key(name), () => emptyPackage(key(name)));
    await server.updatePackage(key('z', 'scope'), () => emptyPackage(key('z', 'scope')));
    expect(await names()).toEqual(['/B', '/a', '/b', 'scope/z']);
    // Remembered while nothing changed: the same frozen array.
    expect(await server.listPackages('dom', 'repo')).toBe(await server.listPackages('dom', 'repo'));
    await server.updatePackage(key('c'), () => emptyPackage(key('c')));
    expect(await names()).toEqual(['/B', '/a', '/b', '/c', 'scope/z']);
    await server.updatePackage(key('a'), () => undefined);
    expect(await names()).toEqual(['/B', '/b', '/c', 'scope/z']);
    await other.updatePackage(key('d'), () => emptyPackage(key('d')));
    await new Promise((resolve) => setImmediate(resolve));
    expect(await names()).toEqual(['/B', '/b', '/c', '/d', 'scope/z']);
  });

  it('deletes a record when the mutation returns undefined', async () => {
    const store = new FsIndexStore(makeTempDir());
    const key: PackageKey = { domain: 'dom', repository: 'repo', format: 'pypi', name: 'gone' };
    await store.updatePackage(key, () => emptyPackage(key));
    expect(await store.getPackage(key)).toMatchObject({ name: 'gone' });
    await store.updatePackage(key, () => undefined);
    expect(await store.getPackage(key)).toBeUndefined();
  });

  it('refuses domain and repository names that would escape the root', () => {
    const store = new FsIndexStore(makeTempDir());
    expect(() => store.packageLocation({ domain: '..', repository: 'repo', format: 'npm', name: 'x' })).toThrow(/Domain name/);
    expect(() => store.packageLocation({ domain: 'dom', repository: '../x', format: 'npm', name: 'x' })).toThrow(/Repository name/);
  });
});
