/**
 * A maven-metadata.xml upload is let in with PutPackageMetadata, but when it makes Unfinished
 * versions visible it publishes them, so it needs PublishPackageVersion as well.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { putPermissionsPolicy } from '../../../src/operations/permissions-policy.js';
import { getAuthorizationToken } from '../../../src/operations/tokens.js';
import { buildJar, buildPom, clientMetadata, startMavenHarness, type MavenHarness } from '../../helpers/maven-harness.js';

let h: MavenHarness;
let metadataOnly: string;
const key = { domain: 'acme', repository: 'main', format: 'maven' as const, namespace: 'com.acme', name: 'held' };

beforeAll(async () => {
  h = await startMavenHarness();
  metadataOnly = (await getAuthorizationToken(h.store, { domain: 'acme', principal: 'indexer' })).authorizationToken;
  const policy = {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { AWS: 'alice' }, Action: 'codeartifact:*', Resource: '*' },
      { Effect: 'Allow', Principal: { AWS: 'indexer' }, Action: ['codeartifact:ReadFromRepository', 'codeartifact:PutPackageMetadata'], Resource: '*' },
    ],
  };
  await putPermissionsPolicy(h.store, { domain: 'acme', repository: 'main' }, { policyDocument: JSON.stringify(policy) });
});

describe('maven-metadata.xml uploads', () => {
  it('cannot publish Unfinished versions for a caller who may only PutPackageMetadata', async () => {
    expect(await h.deploy('com/acme/held/1.0/held-1.0.jar', buildJar({ v: '1' }))).toBe(201);
    expect(await h.deploy('com/acme/held/1.0/held-1.0.pom', buildPom({ groupId: 'com.acme', artifactId: 'held', version: '1.0' }))).toBe(201);
    const before = await h.store.index.getPackage(key);
    expect(before?.versions['1.0'].status).toBe('Unfinished');
    const refused = await h.request('com/acme/held/maven-metadata.xml', {
      method: 'PUT',
      body: clientMetadata('com.acme', 'held', ['1.0']),
      token: metadataOnly,
    });
    expect(refused.status).toBe(403);
    expect(refused.statusText).toMatch(/PublishPackageVersion/);
    expect(await h.store.index.getPackage(key)).toEqual(before);
    expect(await h.deploy('com/acme/held/maven-metadata.xml', clientMetadata('com.acme', 'held', ['1.0']))).toBe(201);
    expect((await h.store.index.getPackage(key))?.versions['1.0'].status).toBe('Published');
    // Once nothing is left to publish, the same upload needs no more than PutPackageMetadata.
    const again = await h.request('com/acme/held/maven-metadata.xml', {
      method: 'PUT',
      body: clientMetadata('com.acme', 'held', ['1.0']),
      token: metadataOnly,
    });
    expect(again.status).toBe(201);
  });
});
