import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { AccessDeniedError, ConflictError, ResourceNotFoundError, ValidationError } from '../../src/errors.js';
import { publishGenericAsset, validateGenericAssetName } from '../../src/operations/generic-publish.js';
import { DOMAIN, genericKey, makePackageStore, publishGeneric, putVersions, sha256 } from './packages-fixture.js';
import { anyValue, objectContaining } from '../helpers/matchers.js';

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

describe('validateGenericAssetName', () => {
  it.each(['tool.tar.gz', 'Ünïcode-名前_1.bin', 'a~!@^&()-_+[]{};,.b', 'two words', 'x'])('accepts %j', (name) => {
    expect(validateGenericAssetName(name)).toBe(name);
  });

  it.each(['.', '..', 'a/b', 'a\\b', ' lead', 'trail ', 'two  spaces', 'tab\there', 'new\nline', 'pct%20', 'star*', 'a'.repeat(256), ''])(
    'refuses %j',
    (name) => {
      expect(() => validateGenericAssetName(name)).toThrow(ValidationError);
    },
  );
});

describe('publishGenericAsset', () => {
  it('publishes a one-asset version with the API result shape', async () => {
    const { store } = await makePackageStore();
    const result = await publishGeneric(store, { version: '1.0', content: 'hello' });
    expect(result).toEqual({
      format: 'generic',
      namespace: 'ns',
      package: 'tool',
      version: '1.0',
      versionRevision: anyValue(String),
      status: 'Published',
      asset: { name: 'tool.bin', size: 5, hashes: objectContaining({ 'SHA-256': sha256('hello') }) },
    });
    const stored = (await store.index.getPackage(genericKey()))!.versions['1.0'];
    expect(stored).toMatchObject({
      status: 'Published',
      revision: result.versionRevision,
      origin: { originType: 'INTERNAL', domainEntryPoint: { repositoryName: 'main' } },
    });
    expect(await fs.readFile(store.blobs.pathOf(sha256('hello')), 'utf8')).toBe('hello');
  });

  it('keeps a version Unfinished while --unfinished is given and publishes it with the last asset', async () => {
    const { store } = await makePackageStore();
    const first = await publishGeneric(store, { version: '1.0', assetName: 'a.bin', unfinished: true });
    const second = await publishGeneric(store, { version: '1.0', assetName: 'b.bin', unfinished: true });
    const last = await publishGeneric(store, { version: '1.0', assetName: 'c.bin' });
    expect([first.status, second.status, last.status]).toEqual(['Unfinished', 'Unfinished', 'Published']);
    expect(new Set([first.versionRevision, second.versionRevision, last.versionRevision]).size).toBe(3);
    expect((await store.index.getPackage(genericKey()))!.versions['1.0'].assets.map((asset) => asset.name)).toEqual(['a.bin', 'b.bin', 'c.bin']);
  });

  it('treats the same asset with identical bytes as success and with other bytes as a Conflict', async () => {
    const { store } = await makePackageStore();
    const first = await publishGeneric(store, { version: '1.0', content: 'same', unfinished: true });
    const again = await publishGeneric(store, { version: '1.0', content: 'same', unfinished: true });
    expect(again.versionRevision).toBe(first.versionRevision);
    await expect(publishGeneric(store, { version: '1.0', content: 'different', unfinished: true })).rejects.toThrow(ConflictError);
    const finished = await publishGeneric(store, { version: '1.0', content: 'same' });
    expect(finished.status).toBe('Published');
    // A retried final call after success changes nothing.
    expect(await publishGeneric(store, { version: '1.0', content: 'same' })).toEqual(finished);
  });

  it('refuses to add assets to a Published version', async () => {
    const { store } = await makePackageStore();
    await publishGeneric(store, { version: '1.0' });
    const before = await store.index.getPackage(genericKey());
    await expect(publishGeneric(store, { version: '1.0', assetName: 'late.bin', content: 'late' })).rejects.toThrow(
      /is Published; assets can be added only while a version is Unfinished/,
    );
    await expect(publishGeneric(store, { version: '1.0', assetName: 'late.bin', content: 'late', unfinished: true })).rejects.toThrow(ConflictError);
    expect(await store.index.getPackage(genericKey())).toEqual(before);
  });

  it('stores nothing when the digest does not match', async () => {
    const { root, store } = await makePackageStore();
    const before = await filesUnder(root);
    const attempt = publishGenericAsset(store, {
      domain: DOMAIN,
      repository: 'main',
      namespace: 'ns',
      package: 'tool',
      version: '1.0',
      assetName: 'tool.bin',
      assetSha256: sha256('what was announced'),
      content: Readable.from([Buffer.from('what was '), Buffer.from('sent')]),
    });
    await expect(attempt).rejects.toThrow(/SHA256 digest of the content does not match/);
    expect(await filesUnder(root)).toEqual(before);
  });

  it('validates every part before reading any bytes', async () => {
    const { store } = await makePackageStore();
    const base = {
      domain: DOMAIN,
      repository: 'main',
      namespace: 'ns',
      package: 'tool',
      version: '1.0',
      assetName: 'a.bin',
      assetSha256: sha256('x'),
      content: Buffer.from('x'),
    };
    await expect(publishGenericAsset(store, { ...base, assetSha256: sha256('x').toUpperCase() })).rejects.toThrow(/lowercase hex/);
    await expect(publishGenericAsset(store, { ...base, assetName: '../a' })).rejects.toThrow(ValidationError);
    await expect(publishGenericAsset(store, { ...base, namespace: '' })).rejects.toThrow(/--namespace is required/);
    await expect(publishGenericAsset(store, { ...base, version: 'a b' })).rejects.toThrow(ValidationError);
    await expect(publishGenericAsset(store, { ...base, repository: 'missing' })).rejects.toThrow(ResourceNotFoundError);
  });

  it('respects publish=BLOCK', async () => {
    const { store } = await makePackageStore();
    await putVersions(store, genericKey(), [], { publish: 'BLOCK', upstream: 'ALLOW' });
    await expect(publishGeneric(store, { version: '1.0' })).rejects.toThrow(AccessDeniedError);
  });
});
