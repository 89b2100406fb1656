import { createHash, randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { PackageKey } from '../../../src/core/model.js';
import { ResourceNotFoundError } from '../../../src/errors.js';
import { putPackageOriginConfiguration } from '../../../src/operations/origin-configuration.js';
import { createPackageGroup } from '../../../src/operations/package-groups.js';
import { updatePackageGroupOriginConfiguration } from '../../../src/operations/package-groups-origin.js';
import { listPackageVersions } from '../../../src/operations/package-versions.js';
import { beforeIndexUpdate } from '../../helpers/before-index-update.js';
import { refusedOnceHolderKept } from '../../helpers/refused-once-holder-kept.js';
import { fsError } from '../../helpers/failing-store.js';
import { holdBlobWrites } from '../../helpers/held-blob-writes.js';
import { buildJar, buildPom, clientMetadata, startMavenHarness, type MavenHarness } from '../../helpers/maven-harness.js';

let h: MavenHarness;
beforeAll(async () => {
  h = await startMavenHarness();
});

const keyOf = (repository: string, namespace: string, name: string): PackageKey => ({ domain: 'acme', repository, format: 'maven', namespace, name });

function addToCentral(group: string, artifact: string, version: string, description = 'from central') {
  const dir = `${group.replace(/\./g, '/')}/${artifact}/${version}`;
  const jar = buildJar({ [`${artifact}.txt`]: version });
  h.central.addFile(`${dir}/${artifact}-${version}.jar`, jar);
  h.central.addFile(
    `${dir}/${artifact}-${version}.pom`,
    buildPom({ groupId: group, artifactId: artifact, version, description, dependencies: [{ groupId: 'org.dep', artifactId: 'dep', version: '1.0' }] }),
  );
  return jar;
}

describe('through upstream repositories', () => {
  it('serves a version published in an upstream and keeps it in the repository asked, not in between', async () => {
    await h.deploy('org/team/core/1.0/core-1.0.pom', buildPom({ groupId: 'org.team', artifactId: 'core', version: '1.0' }), 'central-store');
    const jar = buildJar({ core: '1.0' });
    await h.deploy('org/team/core/1.0/core-1.0.jar', jar, 'central-store');
    await h.deploy('org/team/core/maven-metadata.xml', clientMetadata('org.team', 'core', ['1.0']), 'central-store');

    const metadata = await (await h.request('org/team/core/maven-metadata.xml')).text();
    expect(metadata).toContain('<version>1.0</version>');
    const response = await h.request('org/team/core/1.0/core-1.0.jar');
    expect(Buffer.from(await response.arrayBuffer()).equals(jar)).toBe(true);
    expect((await h.store.index.getPackage(keyOf('main', 'org.team', 'core')))?.versions['1.0'].assets.map((asset) => asset.name)).toEqual(['core-1.0.jar']);
    expect(await h.store.index.getPackage(keyOf('shared', 'org.team', 'core'))).toBeUndefined();
  });

  it('serves SNAPSHOTs of an upstream repository without keeping them', async () => {
    const V = '2.0-SNAPSHOT';
    await h.deploy(`org/team/core/${V}/core-2.0-20240101.010101-1.jar`, buildJar({ snap: '1' }), 'shared');
    await h.deploy(`org/team/core/${V}/core-2.0-20240101.010101-1.pom`, buildPom({ groupId: 'org.team', artifactId: 'core', version: V }), 'shared');
    await h.deploy(`org/team/core/maven-metadata.xml`, clientMetadata('org.team', 'core', [V]), 'shared');
    expect((await h.request(`org/team/core/${V}/core-${V}.jar`)).status).toBe(200);
    expect(await (await h.request(`org/team/core/${V}/maven-metadata.xml`)).text()).toContain('<buildNumber>1</buildNumber>');
    expect((await h.store.index.getPackage(keyOf('main', 'org.team', 'core')))?.versions[V]).toBeUndefined();
    expect(await (await h.request('org/team/core/maven-metadata.xml')).text()).toMatch(/<version>1\.0<\/version>\s*<version>2\.0-SNAPSHOT<\/version>/);
  });
});

describe('through the external connection', () => {
  it('asks for the checksum and the file at once, and keeps the file in the repository asked and the one holding the connection', async () => {
    const jar = addToCentral('io.public', 'lib', '3.1');
    const pom = await h.request('io/public/lib/3.1/lib-3.1.pom');
    expect(pom.status).toBe(200);
    const response = await h.request('io/public/lib/3.1/lib-3.1.jar');
    expect(Buffer.from(await response.arrayBuffer()).equals(jar)).toBe(true);
    // Each once: the bytes fetched beside the checksum are the ones stored.
    const requests = h.central.requests.filter((path) => path.includes('lib-3.1.jar'));
    expect(requests.sort()).toEqual(['/io/public/lib/3.1/lib-3.1.jar', '/io/public/lib/3.1/lib-3.1.jar.sha1']);
    for (const repository of ['main', 'central-store']) {
      const record = await h.store.index.getPackage(keyOf(repository, 'io.public', 'lib'));
      const version = record?.versions['3.1'];
      expect(version?.origin).toEqual({ domainEntryPoint: { externalConnectionName: 'public:maven-central' }, originType: 'EXTERNAL' });
      expect(version?.assets.map((asset) => asset.name).sort()).toEqual(['lib-3.1.jar', 'lib-3.1.pom']);
      expect(version?.summary).toBe('from central');
      expect(version?.dependencies).toEqual([{ dependencyType: 'compile', namespace: 'org.dep', package: 'dep', versionRequirement: '1.0' }]);
      expect(record?.originConfiguration.restrictions).toEqual({ publish: 'BLOCK', upstream: 'ALLOW' });
    }
    expect(await h.store.index.getPackage(keyOf('shared', 'io.public', 'lib'))).toBeUndefined();
  });

  it("writes and flushes a cold file's indexes while the file is flushed, and names the file only once it is durable", async () => {
    addToCentral('io.flush', 'order', '1.0');
    const keys = [keyOf('main', 'io.flush', 'order'), keyOf('central-store', 'io.flush', 'order')];
    // The POM makes the version; the jar then joins it (the two ways a file enters an index).
    for (const [file, versionsBefore] of [
      ['order-1.0.pom', []],
      ['order-1.0.jar', ['order-1.0.pom']],
    ] as const) {
      const writes = holdBlobWrites(h.store);
      try {
        const download = h.request(`io/flush/order/1.0/${file}`);
        await writes.held;
        // Both indexes' writes began beside the file's flush, their renames waiting for it...
        await vi.waitFor(() => expect(writes.updates).toEqual(expect.arrayContaining(keys.map((key) => ({ key, renameAfter: true })))), { timeout: 10_000 });
        // ...so neither index on disk names a file that is not durable yet.
        for (const key of keys) expect((await h.store.index.getPackage(key))?.versions['1.0']?.assets.map((asset) => asset.name) ?? []).toEqual(versionsBefore);
        writes.release();
        expect((await download).status).toBe(200);
        for (const key of keys) expect((await h.store.index.getPackage(key))?.versions['1.0'].assets.map((asset) => asset.name)).toContain(file);
      } finally {
        writes.restore();
      }
    }
  });

  it('names a cold file in no index when its write fails after the check (a full disk), and answers 507', async () => {
    addToCentral('io.flush', 'fails', '1.0');
    const keys = [keyOf('main', 'io.flush', 'fails'), keyOf('central-store', 'io.flush', 'fails')];
    const writes = holdBlobWrites(h.store);
    try {
      const download = h.request('io/flush/fails/1.0/fails-1.0.pom');
      await writes.held;
      await vi.waitFor(() => expect(writes.updates).toEqual(expect.arrayContaining(keys.map((key) => ({ key, renameAfter: true })))), { timeout: 10_000 });
      writes.fail();
      expect((await download).status).toBe(507);
      for (const key of keys) expect(await h.store.index.getPackage(key)).toBeUndefined();
    } finally {
      writes.restore();
    }
  });

  it('keeps a cold file in the repository asked only if the holder kept it: a block landing on the way is the same 404 as one set before, its reason in the status line', async () => {
    addToCentral('io.flush', 'refused', '1.0');
    const asked = keyOf('main', 'io.flush', 'refused');
    const holder = keyOf('central-store', 'io.flush', 'refused');
    // An operator blocks upstream versions of the package in the holder while the file is on its
    // way: the holder's index update (begun beside the asked repository's) then refuses it.
    const response = await beforeIndexUpdate(
      h.store,
      holder,
      () => putPackageOriginConfiguration(h.store, holder, { publish: 'ALLOW', upstream: 'BLOCK' }),
      () => h.request('io/flush/refused/1.0/refused-1.0.pom'),
    );
    expect(response.status).toBe(404);
    // mvn prints the status line of a failed transfer: the refusal is its reason phrase.
    expect(response.statusText).toBe(
      'Not Found: Versions of io.flush:refused from upstream are blocked in central-store by its origin controls (upstream=BLOCK).',
    );
    const body = await response.text();
    expect(body).toContain('upstream=BLOCK');
    expect(body).not.toContain(h.root);
    // Neither index names the version: the holder's refused it, so the asked repository's was never put in place.
    expect((await h.store.index.getPackage(holder))?.versions).toEqual({});
    expect(await h.store.index.getPackage(asked)).toBeUndefined();
    await expect(listPackageVersions(h.store, asked, {})).rejects.toBeInstanceOf(ResourceNotFoundError);
    // From now on the chain stops at the holder: the same 404, and still kept nowhere.
    const requestsBefore = h.central.requests.length;
    const later = await h.request('io/flush/refused/1.0/refused-1.0.pom');
    expect(later.status).toBe(404);
    expect(later.statusText).toBe('Not Found: refused-1.0.pom of io.flush:refused:1.0 is not in repository main or its upstreams.');
    expect(h.central.requests.length).toBe(requestsBefore);
    expect(await h.store.index.getPackage(asked)).toBeUndefined();
  });

  it("answers 404 too when the repository asked blocks upstream versions while the file is on its way (once the holder's copy is kept)", async () => {
    addToCentral('io.flush', 'asked-refuses', '1.0');
    const asked = keyOf('main', 'io.flush', 'asked-refuses');
    const holder = keyOf('central-store', 'io.flush', 'asked-refuses');
    const response = await refusedOnceHolderKept(
      h.store,
      asked,
      'central-store',
      () => putPackageOriginConfiguration(h.store, asked, { publish: 'ALLOW', upstream: 'BLOCK' }),
      () => h.request('io/flush/asked-refuses/1.0/asked-refuses-1.0.jar'),
    );
    expect(response.status).toBe(404);
    expect(response.statusText).toBe(
      'Not Found: Versions of io.flush:asked-refuses from upstream are blocked in main by its origin controls (upstream=BLOCK).',
    );
    expect(Object.keys((await h.store.index.getPackage(holder))?.versions ?? {})).toEqual(['1.0']);
    expect((await h.store.index.getPackage(asked))?.versions).toEqual({});
    // Set before the request, the block stops the walk in the repository asked: 404.
    const later = await h.request('io/flush/asked-refuses/1.0/asked-refuses-1.0.jar');
    expect(later.status).toBe(404);
    expect(later.statusText).toMatch(/^Not Found: asked-refuses-1\.0\.jar of io\.flush:asked-refuses:1\.0 is not in repository main/);
  });

  it('answers 404 for a file whose package group blocks the connection, without asking the registry', async () => {
    addToCentral('io.grouped', 'kept-out', '1.0');
    await createPackageGroup(h.store, { domain: 'acme', packageGroup: '/maven/io.grouped/kept-out$' });
    await updatePackageGroupOriginConfiguration(h.store, {
      domain: 'acme',
      packageGroup: '/maven/io.grouped/kept-out$',
      restrictions: { EXTERNAL_UPSTREAM: 'BLOCK' },
    });
    const response = await h.request('io/grouped/kept-out/1.0/kept-out-1.0.jar');
    expect(response.status).toBe(404);
    expect(response.statusText).toMatch(/^Not Found: kept-out-1\.0\.jar of io\.grouped:kept-out:1\.0 is not in repository main/);
    expect(h.central.requests.some((path) => path.startsWith('/io/grouped/kept-out'))).toBe(false);
  });

  it("keeps a cold file in no index when the holder's index write fails on a full disk (507, no server path in the body)", async () => {
    addToCentral('io.flush', 'unwritten', '1.0');
    const asked = keyOf('main', 'io.flush', 'unwritten');
    const holder = keyOf('central-store', 'io.flush', 'unwritten');
    const response = await beforeIndexUpdate(
      h.store,
      holder,
      () => Promise.reject(fsError('ENOSPC', 'open', `${h.root}/domains/acme/.index.json.tmp`)),
      () => h.request('io/flush/unwritten/1.0/unwritten-1.0.jar'),
    );
    expect(response.status).toBe(507);
    // Maven prints the reason phrase.
    expect(response.statusText).toBe('The store has no space left on its device.');
    expect(await response.text()).not.toContain(h.root);
    for (const key of [holder, asked]) expect(await h.store.index.getPackage(key)).toBeUndefined();
    // The disk has room again: the next request keeps the file in both.
    expect((await h.request('io/flush/unwritten/1.0/unwritten-1.0.jar')).status).toBe(200);
    for (const key of [holder, asked])
      expect((await h.store.index.getPackage(key))?.versions['1.0'].assets.map((asset) => asset.name)).toEqual(['unwritten-1.0.jar']);
  });

  it('merges the registry metadata with stored versions', async () => {
    addToCentral('io.public', 'lib', '3.2');
    const text = await (await h.request('io/public/lib/maven-metadata.xml')).text();
    expect(text).toMatch(/<version>3\.1<\/version>\s*<version>3\.2<\/version>/);
    expect(text).toContain('<release>3.2</release>');
  });

  it('passes on no registry version that is not one (a path, spaces, empty) and no lastUpdated that is not a timestamp', async () => {
    addToCentral('io.public', 'bent-list', '1.0');
    h.central.addFile(
      'io/public/bent-list/maven-metadata.xml',
      '<metadata><groupId>io.public</groupId><artifactId>bent-list</artifactId><versioning><versions>' +
        '<version>../../../com/internal/secret/1.0</version><version>a b</version><version>..</version><version>1.0</version><version></version>' +
        '</versions><lastUpdated>zz-not-a-time</lastUpdated></versioning></metadata>',
    );
    const response = await h.request('io/public/bent-list/maven-metadata.xml');
    expect(response.status).toBe(200);
    const text = await response.text();
    expect([...text.matchAll(/<version>([^<]*)<\/version>/g)].map((match) => match[1])).toEqual(['1.0']);
    expect(text).not.toContain('zz-not-a-time');
  });

  it('stores nothing when the file does not match the checksum the registry announced (502)', async () => {
    addToCentral('io.public', 'bent', '1.0');
    h.central.setFault('wrong-checksum');
    try {
      const before = h.storedState();
      const response = await h.request('io/public/bent/1.0/bent-1.0.jar');
      expect(response.status).toBe(502);
      expect(h.storedState()).toEqual(before);
    } finally {
      h.central.setFault('none');
    }
  });

  it('neither keeps nor serves a file the registry announces no checksum for (404)', async () => {
    addToCentral('io.public', 'unsigned', '1.0');
    h.central.setFault('no-checksums');
    try {
      const before = h.storedState();
      expect((await h.request('io/public/unsigned/1.0/unsigned-1.0.jar')).status).toBe(404);
      expect(h.storedState()).toEqual(before);
    } finally {
      h.central.setFault('none');
    }
  });

  it('asks for the file while its checksum is on its way (the registry answers the checksum only then)', async () => {
    const jar = addToCentral('io.public', 'together', '1.0');
    h.central.setFault('checksum-after-file');
    try {
      const response = await h.request('io/public/together/1.0/together-1.0.jar');
      expect(response.status).toBe(200);
      expect(Buffer.from(await response.arrayBuffer()).equals(jar)).toBe(true);
      const pom = await h.request('io/public/together/1.0/together-1.0.pom');
      expect(pom.status).toBe(200);
      expect((await h.store.index.getPackage(keyOf('main', 'io.public', 'together')))?.versions['1.0'].summary).toBe('from central');
    } finally {
      h.central.setFault('none');
    }
  });

  it('stores nothing when a file larger than what waits in memory does not match its checksum', async () => {
    const big = buildJar({ 'big.bin': randomBytes(600 * 1024).toString('base64') });
    h.central.addFile('io/public/bulky/1.0/bulky-1.0.jar', big);
    h.central.addFile('io/public/bulky/1.0/bulky-1.0.jar.sha1', createHash('sha1').update('other bytes').digest('hex'));
    const before = h.storedState();
    // Streamed to the client as it comes, it ends in a broken transfer, never a complete wrong file.
    const outcome = await h
      .request('io/public/bulky/1.0/bulky-1.0.jar')
      .then(async (response) =>
        response.status === 200 ? (Buffer.from(await response.arrayBuffer()).equals(big) ? 'complete' : 'wrong bytes') : response.status,
      )
      .catch(() => 'broken transfer');
    expect(['broken transfer', 502]).toContain(outcome);
    expect(h.storedState()).toEqual(before);
    expect((await h.request('io/public/bulky/1.0/bulky-1.0.jar.sha1')).status).not.toBe(200);
  });

  it('keeps the fields of a POM too large to wait in memory, read back from the store', async () => {
    const description = `long ${'x'.repeat(300 * 1024)}`;
    h.central.addFile(
      'io/public/wordy/2.0/wordy-2.0.pom',
      buildPom({
        groupId: 'io.public',
        artifactId: 'wordy',
        version: '2.0',
        description,
        dependencies: [{ groupId: 'org.dep', artifactId: 'dep', version: '2.0' }],
      }),
    );
    const response = await h.request('io/public/wordy/2.0/wordy-2.0.pom');
    expect(response.status).toBe(200);
    expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(300 * 1024);
    const version = (await h.store.index.getPackage(keyOf('main', 'io.public', 'wordy')))?.versions['2.0'];
    expect(version?.summary?.startsWith('long xxx')).toBe(true);
    expect(version?.dependencies).toEqual([{ dependencyType: 'compile', namespace: 'org.dep', package: 'dep', versionRequirement: '2.0' }]);
  });

  it('never fetches SNAPSHOTs from the registry', async () => {
    h.central.addFile('io/public/lib/4.0-SNAPSHOT/lib-4.0-SNAPSHOT.jar', buildJar());
    expect((await h.request('io/public/lib/4.0-SNAPSHOT/lib-4.0-SNAPSHOT.jar')).status).toBe(404);
    expect(h.central.requests.some((path) => path.includes('4.0-SNAPSHOT'))).toBe(false);
  });

  it('keeps public versions out of a package published here (origin controls)', async () => {
    addToCentral('com.mine', 'app', '9.0');
    await h.deploy('com/mine/app/1.0/app-1.0.pom', buildPom({ groupId: 'com.mine', artifactId: 'app', version: '1.0' }));
    await h.deploy('com/mine/app/maven-metadata.xml', clientMetadata('com.mine', 'app', ['1.0']));
    expect((await h.request('com/mine/app/9.0/app-9.0.jar')).status).toBe(404);
    const metadata = await (await h.request('com/mine/app/maven-metadata.xml')).text();
    expect(metadata).toContain('<version>1.0</version>');
    expect(metadata).not.toContain('9.0');
    expect(h.central.requests.some((path) => path.startsWith('/com/mine/app'))).toBe(false);
  });

  it('keeps public versions out for readers downstream of the repository the package was published in', async () => {
    addToCentral('com.team', 'shield', '9.9');
    await h.deploy('com/team/shield/1.0/shield-1.0.pom', buildPom({ groupId: 'com.team', artifactId: 'shield', version: '1.0' }), 'shared');
    await h.deploy('com/team/shield/maven-metadata.xml', clientMetadata('com.team', 'shield', ['1.0']), 'shared');
    const metadata = await (await h.request('com/team/shield/maven-metadata.xml')).text();
    expect(metadata).toContain('<version>1.0</version>');
    expect(metadata).not.toContain('9.9');
    expect((await h.request('com/team/shield/9.9/shield-9.9.jar')).status).toBe(404);
    expect(h.central.requests.some((path) => path.startsWith('/com/team/shield'))).toBe(false);
  });

  it('refuses a direct publish of a package that came from the registry (publish=BLOCK)', async () => {
    const response = await h.put('io/public/lib/5.0/lib-5.0.jar', buildJar());
    expect(response.status).toBe(403);
  });
});
