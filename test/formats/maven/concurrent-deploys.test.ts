import { createHash } from 'node:crypto';
import { expect, it } from 'vitest';
import { buildJar, buildPom, clientMetadata, startMavenHarness } from '../../helpers/maven-harness.js';

const DIR = 'com/acme/race';
const hex = (algorithm: string, text: string) => createHash(algorithm).update(text).digest('hex');

it('takes the checksums of a maven-metadata.xml after another deploy of the artifact uploaded its own in between', async () => {
  const h = await startMavenHarness();
  for (const version of ['1.0', '1.1']) {
    expect(await h.deploy(`${DIR}/${version}/race-${version}.jar`, buildJar({ v: version }))).toBe(201);
    expect(await h.deploy(`${DIR}/${version}/race-${version}.pom`, buildPom({ groupId: 'com.acme', artifactId: 'race', version }))).toBe(201);
  }
  // Two mvn deploys at once: each uploads metadata listing only its own version, then the sidecars.
  const first = clientMetadata('com.acme', 'race', ['1.0']);
  const second = clientMetadata('com.acme', 'race', ['1.1']);
  expect((await h.put(`${DIR}/maven-metadata.xml`, first)).status).toBe(201);
  expect((await h.put(`${DIR}/maven-metadata.xml`, second)).status).toBe(201);
  for (const metadata of [first, second]) {
    for (const algorithm of ['sha1', 'md5']) expect((await h.put(`${DIR}/maven-metadata.xml.${algorithm}`, hex(algorithm, metadata))).status).toBe(201);
  }
  expect((await h.put(`${DIR}/maven-metadata.xml.sha1`, hex('sha1', 'something else'))).status).toBe(400);
  const served = await (await h.request(`${DIR}/maven-metadata.xml`)).text();
  expect(served).toContain('<version>1.0</version>');
  expect(served).toContain('<version>1.1</version>');
});
