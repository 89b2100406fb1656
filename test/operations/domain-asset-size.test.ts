/**
 * DescribeDomain's assetSizeBytes in a sampling process (the server) is kept up to date from
 * what changed, not by reading every package again: it matches a full count after publish,
 * copy, dispose, delete and another process's write, and an unchanged domain reads no package.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import type { PackageKey } from '../../src/core/model.js';
import { copyPackageVersions } from '../../src/operations/copy-versions.js';
import { createDomain, describeDomain } from '../../src/operations/domains.js';
import { publishGenericAsset } from '../../src/operations/generic-publish.js';
import { deletePackage } from '../../src/operations/packages.js';
import { createRepository } from '../../src/operations/repositories.js';
import { deletePackageVersions, disposePackageVersions } from '../../src/operations/version-status.js';
import { openStore, type Store } from '../../src/store/store.js';
import { countEveryPackage } from '../helpers/asset-size-count.js';
import { makeTempDir } from '../helpers/temp-dir.js';

function publish(store: Store, repository: string, name: string, version: string, content: Buffer) {
  return publishGenericAsset(store, {
    domain: 'acme',
    repository,
    namespace: 'ns',
    package: name,
    version,
    assetName: 'file.bin',
    assetSha256: createHash('sha256').update(content).digest('hex'),
    content,
  });
}

const key = (repository: string, name: string): PackageKey => ({ domain: 'acme', repository, format: 'generic', namespace: 'ns', name });

describe('assetSizeBytes of a domain', () => {
  it('stays right across publish, copy, dispose, delete and writes by another process', async () => {
    const root = makeTempDir('artifact-cli-domain-size-');
    const server = openStore(root);
    await createDomain(server, { domain: 'acme' });
    await createRepository(server, { domain: 'acme', repository: 'main' });
    await createRepository(server, { domain: 'acme', repository: 'copies' });
    // As the server does before each turn's requests.
    const sized = async () => {
      server.changes.sample();
      return (await describeDomain(server, 'acme')).domain.assetSizeBytes;
    };
    // Every package read afresh, and what a one-shot process answers (domain-asset-size-file.ts): the same.
    const counted = async () => {
      const full = await countEveryPackage(openStore(root), 'acme');
      expect((await describeDomain(openStore(root), 'acme')).domain.assetSizeBytes).toBe(full);
      return full;
    };

    expect(await sized()).toBe(0);
    await publish(server, 'main', 'a', '1', Buffer.alloc(100, 1));
    await publish(server, 'main', 'a', '2', Buffer.alloc(200, 2));
    expect(await sized()).toBe(300);
    // The same bytes in another package count once.
    await publish(server, 'main', 'b', '1', Buffer.alloc(100, 1));
    await publish(server, 'main', 'b', '2', Buffer.alloc(50, 3));
    expect(await sized()).toBe(350);
    await copyPackageVersions(server, {
      domain: 'acme',
      sourceRepository: 'main',
      destinationRepository: 'copies',
      package: { format: 'generic', namespace: 'ns', name: 'a' },
      versions: ['1', '2'],
    });
    expect(await sized()).toBe(350);
    expect(await sized()).toBe(await counted());
    await disposePackageVersions(server, key('main', 'b'), { versions: ['2'] });
    expect(await sized()).toBe(await counted());
    await deletePackageVersions(server, key('copies', 'a'), { versions: ['2'] });
    expect(await sized()).toBe(await counted());
    await deletePackage(server, key('main', 'a'));
    expect(await sized()).toBe(await counted());
    expect(await counted()).toBe(100);

    // Another process publishes: the server learns of it from the change marker.
    await publish(openStore(root), 'copies', 'c', '1', Buffer.alloc(1000, 4));
    expect(await sized()).toBe(1100);
    expect(await sized()).toBe(await counted());
  });

  it('reads no package for an unchanged domain, and only the changed one after a publish', async () => {
    const root = makeTempDir('artifact-cli-domain-size-');
    const server = openStore(root);
    await createDomain(server, { domain: 'acme' });
    await createRepository(server, { domain: 'acme', repository: 'main' });
    for (let i = 0; i < 20; i++) await publish(server, 'main', `p${i}`, '1', Buffer.alloc(10 + i, i));
    server.changes.sample();
    await describeDomain(server, 'acme');
    const reads = vi.spyOn(server.index, 'summarizePackage');
    server.changes.sample();
    await describeDomain(server, 'acme');
    expect(reads).not.toHaveBeenCalled();
    await publish(server, 'main', 'p3', '2', Buffer.alloc(7, 99));
    reads.mockClear();
    server.changes.sample();
    expect((await describeDomain(server, 'acme')).domain.assetSizeBytes).toBe((await describeDomain(openStore(root), 'acme')).domain.assetSizeBytes);
    expect(reads.mock.calls.map(([read]) => read.name)).toEqual(['p3']);
  });
});
