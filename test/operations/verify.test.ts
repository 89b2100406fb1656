import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyStore } from '../../src/operations/verify.js';
import { DOMAIN, genericKey, makePackageStore, publishGeneric, putVersions, sha256, versionRecord } from './packages-fixture.js';
import { stringContaining } from '../helpers/matchers.js';
import { parseJson } from '../helpers/json.js';

async function publishedStore() {
  const fixture = await makePackageStore();
  await publishGeneric(fixture.store, { version: '1.0', content: 'first' });
  await publishGeneric(fixture.store, { version: '2.0', content: 'second' });
  return fixture;
}

describe('verifyStore', () => {
  it('finds nothing wrong in a healthy store and says what it checked', async () => {
    const { store } = await publishedStore();
    // Six JSON files: the domain, its kept asset-size total, three repositories and the package.
    expect(await verifyStore(store)).toEqual({ blobsChecked: 2, indexesChecked: 6, assetsChecked: 2, problems: [] });
  });

  it('finds a flipped byte in a blob, naming the blob and the asset that uses it', async () => {
    const { store } = await publishedStore();
    const blob = store.blobs.pathOf(sha256('first'));
    const bytes = await fs.readFile(blob);
    bytes[0] ^= 0x01;
    await fs.writeFile(blob, bytes);
    const { problems } = await verifyStore(store);
    expect(problems).toEqual([
      { path: blob, problem: stringContaining('content does not match its name') },
      { path: store.index.packageLocation(genericKey()), problem: stringContaining('version 1.0 asset tool.bin: its blob') },
    ]);
  });

  it('finds a deleted blob', async () => {
    const { store } = await publishedStore();
    const blob = store.blobs.pathOf(sha256('second'));
    await fs.rm(blob);
    const { problems } = await verifyStore(store);
    expect(problems).toEqual([{ path: store.index.packageLocation(genericKey()), problem: `version 2.0 asset tool.bin: its blob ${blob} is missing` }]);
  });

  it('finds a truncated index', async () => {
    const { root, store } = await publishedStore();
    const repositoryFile = path.join(root, 'domains', DOMAIN, 'repositories', 'other', 'repository.json');
    const text = await fs.readFile(repositoryFile, 'utf8');
    await fs.writeFile(repositoryFile, text.slice(0, text.length / 2));
    const { problems } = await verifyStore(store);
    expect(problems).toEqual([{ path: repositoryFile, problem: stringContaining('is not valid JSON') }]);
  });

  it('finds indexes of the wrong shape, sizes that disagree and records in the wrong place', async () => {
    const { root, store } = await publishedStore();
    const domainFile = path.join(root, 'domains', DOMAIN, 'domain.json');
    await fs.writeFile(domainFile, '[]');
    const record = parseJson<{ versions: Record<string, { status: string; assets: { size: number }[] }> }>(
      await fs.readFile(store.index.packageLocation(genericKey()), 'utf8'),
    );
    record.versions['1.0'].assets[0].size = 999;
    record.versions['2.0'].status = 'Gone';
    await fs.writeFile(store.index.packageLocation(genericKey()), JSON.stringify(record));
    const misplaced = store.index.packageLocation({ ...genericKey(), name: 'elsewhere' });
    await putVersions(store, genericKey(), [versionRecord('3.0')]);
    await fs.copyFile(store.index.packageLocation(genericKey()), misplaced);
    const problems = (await verifyStore(store)).problems.map((entry) => `${path.basename(entry.path)}: ${entry.problem}`);
    expect(problems).toEqual([
      'domain.json: is not a JSON object',
      'elsewhere.json: version 2.0 has an unknown status "Gone"',
      'elsewhere.json: holds package generic/ns/tool, which belongs elsewhere',
      'elsewhere.json: version 1.0 asset tool.bin records 999 bytes but its blob has 5',
      'tool.json: version 2.0 has an unknown status "Gone"',
      'tool.json: version 1.0 asset tool.bin records 999 bytes but its blob has 5',
    ]);
  });
});
