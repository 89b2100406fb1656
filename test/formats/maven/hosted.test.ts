import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildJar, buildPom, clientMetadata, clientSnapshotMetadata, startMavenHarness, type MavenHarness } from '../../helpers/maven-harness.js';

const DIR = 'com/acme/util';
const hex = (algorithm: string, bytes: Buffer | string) => createHash(algorithm).update(bytes).digest('hex');

let h: MavenHarness;
beforeAll(async () => {
  h = await startMavenHarness();
});

async function deployRelease(version: string, jar = buildJar({ v: version })) {
  const pom = buildPom({
    groupId: 'com.acme',
    artifactId: 'util',
    version,
    description: 'Utilities',
    dependencies: [
      { groupId: 'org.slf4j', artifactId: 'slf4j-api', version: '2.0.9' },
      { groupId: 'junit', artifactId: 'junit', version: '4.13.2', scope: 'test' },
    ],
  });
  expect(await h.deploy(`${DIR}/${version}/util-${version}.jar`, jar)).toBe(201);
  expect(await h.deploy(`${DIR}/${version}/util-${version}.pom`, pom)).toBe(201);
  expect(await h.deploy(`${DIR}/${version}/util-${version}-sources.jar`, buildJar({ 'Util.java': 'class Util {}' }))).toBe(201);
  return { jar, pom };
}

describe('deploying and resolving a release', () => {
  it('keeps the version Unfinished and unserved until maven-metadata.xml is uploaded, then serves it', async () => {
    const { jar } = await deployRelease('1.0.0');
    expect((await h.request(`${DIR}/1.0.0/util-1.0.0.jar`)).status).toBe(404);
    expect((await h.request(`${DIR}/maven-metadata.xml`)).status).toBe(404);
    const record = await h.store.index.getPackage({ domain: 'acme', repository: 'main', format: 'maven', namespace: 'com.acme', name: 'util' });
    expect(record?.versions['1.0.0'].status).toBe('Unfinished');

    expect(await h.deploy(`${DIR}/maven-metadata.xml`, clientMetadata('com.acme', 'util', ['1.0.0']))).toBe(201);
    const response = await h.request(`${DIR}/1.0.0/util-1.0.0.jar`);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(jar)).toBe(true);
    expect(response.headers.get('x-checksum-sha1')).toBe(hex('sha1', jar));
    for (const algorithm of ['md5', 'sha1', 'sha256', 'sha512']) {
      expect(await (await h.request(`${DIR}/1.0.0/util-1.0.0.jar.${algorithm}`)).text()).toBe(hex(algorithm, jar));
    }
    const head = await h.request(`${DIR}/1.0.0/util-1.0.0.jar`, { method: 'HEAD' });
    expect(head.headers.get('content-length')).toBe(String(jar.length));
  });

  it('records the POM dependencies, description and licenses on the version', async () => {
    const record = await h.store.index.getPackage({ domain: 'acme', repository: 'main', format: 'maven', namespace: 'com.acme', name: 'util' });
    const version = record?.versions['1.0.0'];
    expect(version?.status).toBe('Published');
    expect(version?.summary).toBe('Utilities');
    expect(version?.licenses).toEqual([{ name: 'MIT', url: 'https://opensource.org/licenses/MIT' }]);
    expect(version?.dependencies).toEqual([
      { dependencyType: 'compile', namespace: 'org.slf4j', package: 'slf4j-api', versionRequirement: '2.0.9' },
      { dependencyType: 'test', namespace: 'junit', package: 'junit', versionRequirement: '4.13.2' },
    ]);
    expect(version?.assets.map((asset) => asset.name).sort()).toEqual(['util-1.0.0-sources.jar', 'util-1.0.0.jar', 'util-1.0.0.pom']);
  });

  it('generates artifact-level metadata from the stored versions, whatever the client sent, with matching checksums', async () => {
    await deployRelease('1.10.0');
    // The client "forgets" 1.0.0 and invents 9.9.9: neither changes what is served.
    expect(await h.deploy(`${DIR}/maven-metadata.xml`, clientMetadata('com.acme', 'util', ['1.10.0', '9.9.9']))).toBe(201);
    const response = await h.request(`${DIR}/maven-metadata.xml`);
    const text = await response.text();
    expect(response.headers.get('content-type')).toContain('xml');
    expect(text).toContain('<versions>\n      <version>1.0.0</version>\n      <version>1.10.0</version>\n    </versions>');
    expect(text).toContain('<latest>1.10.0</latest>');
    expect(text).toContain('<release>1.10.0</release>');
    expect(text).toMatch(/<lastUpdated>\d{14}<\/lastUpdated>/);
    expect(await (await h.request(`${DIR}/maven-metadata.xml.sha1`)).text()).toBe(hex('sha1', text));
    expect(await (await h.request(`${DIR}/maven-metadata.xml.md5`)).text()).toBe(hex('md5', text));
  });

  it('refuses other bytes for a published release file (409, said in the reason phrase) and accepts the same bytes again', async () => {
    const { jar } = await deployRelease('2.0.0');
    await h.deploy(`${DIR}/maven-metadata.xml`, clientMetadata('com.acme', 'util', ['2.0.0']));
    const before = h.storedState();
    const conflict = await h.put(`${DIR}/2.0.0/util-2.0.0.jar`, buildJar({ other: 'bytes' }));
    expect(conflict.status).toBe(409);
    expect(conflict.statusText).toMatch(/^Conflict: .*util-2\.0\.0\.jar/);
    expect(await conflict.text()).toContain('different content');
    expect(h.storedState()).toEqual(before);
    expect((await h.put(`${DIR}/2.0.0/util-2.0.0.jar`, jar)).status).toBe(201);
  });

  it('adds a new file (javadoc) to a published release', async () => {
    expect(await h.deploy(`${DIR}/2.0.0/util-2.0.0-javadoc.jar`, buildJar({ 'index.html': '<html/>' }))).toBe(201);
    expect((await h.request(`${DIR}/2.0.0/util-2.0.0-javadoc.jar`)).status).toBe(200);
  });
});

describe('SNAPSHOT versions', () => {
  const V = '3.0.0-SNAPSHOT';
  const build = (stamp: string, n: number) => `3.0.0-${stamp}-${n}`;

  async function deployBuild(stamp: string, n: number, commit = true) {
    const jar = buildJar({ build: String(n) });
    await h.deploy(`${DIR}/${V}/util-${build(stamp, n)}.jar`, jar);
    await h.deploy(`${DIR}/${V}/util-${build(stamp, n)}.pom`, buildPom({ groupId: 'com.acme', artifactId: 'util', version: V }));
    if (commit) {
      expect(await h.deploy(`${DIR}/${V}/maven-metadata.xml`, clientSnapshotMetadata('com.acme', 'util', V, stamp, n))).toBe(201);
      expect(await h.deploy(`${DIR}/maven-metadata.xml`, clientMetadata('com.acme', 'util', [V]))).toBe(201);
    }
    return jar;
  }

  it('serves version-level metadata with the timestamped build and resolves -SNAPSHOT to it', async () => {
    const first = await deployBuild('20240501.103000', 1);
    const metadata = await (await h.request(`${DIR}/${V}/maven-metadata.xml`)).text();
    expect(metadata).toContain('<snapshot><timestamp>20240501.103000</timestamp><buildNumber>1</buildNumber></snapshot>');
    expect(metadata).toContain(
      '<snapshotVersion><extension>jar</extension><value>3.0.0-20240501.103000-1</value><updated>20240501103000</updated></snapshotVersion>',
    );
    expect(metadata).toContain('<extension>pom</extension>');
    expect(await (await h.request(`${DIR}/${V}/maven-metadata.xml.sha1`)).text()).toBe(hex('sha1', metadata));
    const plain = await h.request(`${DIR}/${V}/util-${V}.jar`);
    expect(Buffer.from(await plain.arrayBuffer()).equals(first)).toBe(true);
    expect(await (await h.request(`${DIR}/maven-metadata.xml`)).text()).toContain(`<version>${V}</version>`);
  });

  it('shows a new build only once its metadata commits it, and keeps the older build files', async () => {
    const first = await deployBuild('20240501.103000', 1);
    const second = await deployBuild('20240502.090000', 2, false);
    let plain = await h.request(`${DIR}/${V}/util-${V}.jar`);
    expect(Buffer.from(await plain.arrayBuffer()).equals(first)).toBe(true);

    await h.deploy(`${DIR}/${V}/maven-metadata.xml`, clientSnapshotMetadata('com.acme', 'util', V, '20240502.090000', 2));
    plain = await h.request(`${DIR}/${V}/util-${V}.jar`);
    expect(Buffer.from(await plain.arrayBuffer()).equals(second)).toBe(true);
    expect(await (await h.request(`${DIR}/${V}/maven-metadata.xml`)).text()).toContain('<buildNumber>2</buildNumber>');
    const old = await h.request(`${DIR}/${V}/util-${build('20240501.103000', 1)}.jar`);
    expect(Buffer.from(await old.arrayBuffer()).equals(first)).toBe(true);
  });

  it('lets a SNAPSHOT file be overwritten', async () => {
    const name = `${DIR}/${V}/util-${build('20240502.090000', 2)}-sources.jar`;
    expect(await h.deploy(name, buildJar({ a: '1' }))).toBe(201);
    const replacement = buildJar({ a: '2' });
    expect(await h.deploy(name, replacement)).toBe(201);
    expect(Buffer.from(await (await h.request(name)).arrayBuffer()).equals(replacement)).toBe(true);
  });
});

describe('other uploads', () => {
  it('lets an Unfinished release file be replaced, so a deploy cut off half-way can run again after a rebuild', async () => {
    await h.deploy(`${DIR}/4.0.0/util-4.0.0.jar`, buildJar({ try: '1' }));
    const rebuilt = buildJar({ try: '2' });
    expect(await h.deploy(`${DIR}/4.0.0/util-4.0.0.jar`, rebuilt)).toBe(201);
    await h.deploy(`${DIR}/maven-metadata.xml`, clientMetadata('com.acme', 'util', ['4.0.0']));
    expect(Buffer.from(await (await h.request(`${DIR}/4.0.0/util-4.0.0.jar`)).arrayBuffer()).equals(rebuilt)).toBe(true);
  });

  it('takes what Gradle publishes: a .module file and SHA-256 and SHA-512 sidecars', async () => {
    const module = JSON.stringify({ formatVersion: '1.1', component: { group: 'com.acme', module: 'util', version: '5.0.0' } });
    const jar = buildJar({ gradle: 'yes' });
    for (const [name, body] of [
      ['util-5.0.0.jar', jar],
      ['util-5.0.0.module', module],
    ] as const) {
      expect((await h.put(`${DIR}/5.0.0/${name}`, body)).status).toBe(201);
      for (const algorithm of ['md5', 'sha1', 'sha256', 'sha512'])
        expect((await h.put(`${DIR}/5.0.0/${name}.${algorithm}`, hex(algorithm, body))).status).toBe(201);
    }
    await h.deploy(`${DIR}/maven-metadata.xml`, clientMetadata('com.acme', 'util', ['5.0.0']));
    const served = await h.request(`${DIR}/5.0.0/util-5.0.0.module`);
    expect(served.headers.get('content-type')).toBe('application/json');
    expect(await served.text()).toBe(module);
  });

  it('answers 404 to metadata for files never uploaded', async () => {
    expect((await h.put('com/acme/ghost/maven-metadata.xml', clientMetadata('com.acme', 'ghost', ['1.0']))).status).toBe(404);
    expect((await h.request('com/acme/ghost/maven-metadata.xml')).status).toBe(404);
  });

  it('keeps the plugin prefixes of group-level metadata and serves them with checksums', async () => {
    const plugin = 'com/acme/tools/acme-maven-plugin';
    await h.deploy(`${plugin}/1.0/acme-maven-plugin-1.0.jar`, buildJar());
    await h.deploy(`${plugin}/1.0/acme-maven-plugin-1.0.pom`, buildPom({ groupId: 'com.acme.tools', artifactId: 'acme-maven-plugin', version: '1.0' }));
    await h.deploy(`${plugin}/maven-metadata.xml`, clientMetadata('com.acme.tools', 'acme-maven-plugin', ['1.0']));
    const groupMetadata =
      '<?xml version="1.0" encoding="UTF-8"?>\n<metadata><plugins><plugin><name>Acme Plugin</name><prefix>acme</prefix><artifactId>acme-maven-plugin</artifactId></plugin></plugins></metadata>\n';
    expect(await h.deploy('com/acme/tools/maven-metadata.xml', groupMetadata)).toBe(201);
    const served = await (await h.request('com/acme/tools/maven-metadata.xml')).text();
    expect(served).toContain('<plugin><name>Acme Plugin</name><prefix>acme</prefix><artifactId>acme-maven-plugin</artifactId></plugin>');
    expect(await (await h.request('com/acme/tools/maven-metadata.xml.sha1')).text()).toBe(hex('sha1', served));
  });
});
