/**
 * syncPackages in-process (the CLI's test, test/cli/sync-integrity.test.ts, runs the built
 * CLI): the lockfile's sha512 integrity is compared with the stored tarball, whichever of the
 * SRI entries it is, and a mismatch is reported per package while the rest are synced.
 */
import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load-config.js';
import { syncPackages } from '../../../src/formats/npm/sync.js';
import { createDomain } from '../../../src/operations/domains.js';
import { associateExternalConnection, createRepository, requireRepository } from '../../../src/operations/repositories.js';
import { openStore } from '../../../src/store/store.js';
import { startFakeNpmRegistry, type FakeNpmRegistry } from '../../helpers/fake-npm-registry.js';
import { buildNpmTarball } from '../../helpers/npm-tarball.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

let registry: FakeNpmRegistry | undefined;
afterAll(async () => registry?.close());

describe('syncPackages and lockfile integrity', () => {
  it('compares the sha512 entry of the pinned integrity, reports a mismatch per package, and syncs the rest', async () => {
    registry = await startFakeNpmRegistry();
    const good = registry.add({ name: 'good-lib', version: '1.0.0' });
    const served = registry.add({ name: 'pinned-lib', version: '1.0.0' });
    registry.add({ name: 'unpinned-lib', version: '2.0.0' });
    const other = buildNpmTarball({ name: 'pinned-lib', version: '1.0.0', files: { 'extra.js': 'other bytes' } });
    const root = makeTempDir('artifact-cli-sync-');
    const store = openStore(root);
    await createDomain(store, { domain: 'acme' });
    await createRepository(store, { domain: 'acme', repository: 'store' });
    await associateExternalConnection(store, 'acme', 'store', 'public:npmjs');
    const config = await loadConfig({ root }, {}, root);
    config.externalConnections = { 'public:npmjs': `${registry.url}/` };
    const context = { deps: { store, config, log: () => undefined }, domain: 'acme', repository: await requireRepository(store, 'acme', 'store') };
    const sha1 = `sha1-${createHash('sha1').update('x').digest('base64')}`;

    const first = await syncPackages(context, [
      // The sha512 entry second, after another digest: it is the one compared.
      { name: 'pinned-lib', version: '1.0.0', integrity: `${sha1}  ${other.integrity}` },
      { name: 'good-lib', version: '1.0.0', integrity: good.integrity },
      // A lockfile entry without integrity, or with none that is sha512, is synced unchecked.
      { name: 'unpinned-lib', version: '2.0.0', integrity: sha1 },
    ]);
    expect(first).toEqual({
      fetched: ['good-lib@1.0.0', 'unpinned-lib@2.0.0'],
      alreadyPresent: [],
      failed: [{ package: 'pinned-lib', version: '1.0.0', error: 'pinned-lib@1.0.0 does not match the integrity the lockfile pinned.' }],
    });

    const matching = await syncPackages(context, [
      { name: 'pinned-lib', version: '1.0.0', integrity: `${served.integrity} ${sha1}` },
      { name: 'good-lib', version: '1.0.0' },
    ]);
    expect(matching).toEqual({ fetched: [], alreadyPresent: ['good-lib@1.0.0', 'pinned-lib@1.0.0'], failed: [] });
  });
});
