/**
 * Package groups through the clients' protocols: an ingest from the public registry blocked by a
 * group (and then allowed into one repository), and publishes allowed only into the
 * repositories an ALLOW_SPECIFIC_REPOSITORIES list names, refused in each client's error shape.
 */
import { describe, expect, it } from 'vitest';
import { createPackageGroup } from '../../src/operations/package-groups.js';
import { updatePackageGroupOriginConfiguration, type OriginConfigurationInput } from '../../src/operations/package-groups-origin.js';
import type { Store } from '../../src/store/store.js';
import { startHarness, tarballOf } from '../formats/npm/npm-registry-harness.js';
import { startUpstreamHarness } from '../formats/npm/upstream-harness.js';
import { buildJar } from '../helpers/maven-harness.js';
import { buildWheel } from '../helpers/pypi-dist.js';
import { uploadDist } from '../helpers/pypi-upload.js';

const ABBREVIATED = { accept: 'application/vnd.npm.install-v1+json' };

async function group(store: Store, pattern: string, change: Omit<OriginConfigurationInput, 'domain' | 'packageGroup'>): Promise<void> {
  await createPackageGroup(store, { domain: 'acme', packageGroup: pattern });
  await updatePackageGroupOriginConfiguration(store, { domain: 'acme', packageGroup: pattern, ...change });
}

describe('EXTERNAL_UPSTREAM through npm', () => {
  it("keeps a blocked package's public versions out of the view and the store, until one repository is allowed", async () => {
    const h = await startUpstreamHarness();
    const published = h.registry.add({ name: 'left-pad', version: '1.3.0' });
    h.registry.add({ name: 'is-odd', version: '3.0.1' });
    await group(h.store, '/npm//left-pad$', { restrictions: { EXTERNAL_UPSTREAM: 'BLOCK' } });

    expect((await h.get('app', 'left-pad', ABBREVIATED)).status).toBe(404);
    expect((await h.get('app', 'left-pad/-/left-pad-1.3.0.tgz')).status).toBe(404);
    expect(h.registry.requests.some((request) => request.includes('left-pad'))).toBe(false);
    for (const repository of ['app', 'team', 'store']) {
      expect(await h.store.index.getPackage({ domain: 'acme', repository, format: 'npm', name: 'left-pad' })).toBeUndefined();
    }
    // Other packages still come through.
    expect((await h.get('app', 'is-odd', ABBREVIATED)).status).toBe(200);

    await updatePackageGroupOriginConfiguration(h.store, {
      domain: 'acme',
      packageGroup: '/npm//left-pad$',
      restrictions: { EXTERNAL_UPSTREAM: 'ALLOW_SPECIFIC_REPOSITORIES' },
      addAllowedRepositories: [{ originRestrictionType: 'EXTERNAL_UPSTREAM', repositoryName: 'store' }],
    });
    const tarball = await h.get('app', 'left-pad/-/left-pad-1.3.0.tgz');
    expect(tarball.status).toBe(200);
    expect(Buffer.from(await tarball.arrayBuffer()).equals(published.bytes)).toBe(true);
    expect(
      (await h.store.index.getPackage({ domain: 'acme', repository: 'store', format: 'npm', name: 'left-pad' }))?.versions['1.3.0'].origin.originType,
    ).toBe('EXTERNAL');
    expect(Object.keys((await h.store.index.getPackage({ domain: 'acme', repository: 'app', format: 'npm', name: 'left-pad' }))?.versions ?? {})).toEqual([
      '1.3.0',
    ]);
  });

  it('takes nothing from upstream repositories into a repository INTERNAL_UPSTREAM blocks', async () => {
    const h = await startUpstreamHarness();
    h.registry.add({ name: 'left-pad', version: '1.3.0' });
    await group(h.store, '/npm/*', {
      restrictions: { INTERNAL_UPSTREAM: 'ALLOW_SPECIFIC_REPOSITORIES' },
      addAllowedRepositories: [{ originRestrictionType: 'INTERNAL_UPSTREAM', repositoryName: 'team' }],
    });
    expect((await h.get('app', 'left-pad', ABBREVIATED)).status).toBe(404);
    expect((await h.get('team', 'left-pad/-/left-pad-1.3.0.tgz')).status).toBe(200);
    expect(await h.store.index.getPackage({ domain: 'acme', repository: 'app', format: 'npm', name: 'left-pad' })).toBeUndefined();
    expect(Object.keys((await h.store.index.getPackage({ domain: 'acme', repository: 'team', format: 'npm', name: 'left-pad' }))?.versions ?? {})).toEqual([
      '1.3.0',
    ]);
  });
});

describe('PUBLISH=ALLOW_SPECIFIC_REPOSITORIES through the clients', () => {
  const refusal = (path: string, repository: string) =>
    `Publishing ${path} into repository ${repository} is blocked by package group /* (PUBLISH=ALLOW_SPECIFIC_REPOSITORIES): it allows only shared.`;

  async function restricted() {
    const h = await startHarness();
    await updatePackageGroupOriginConfiguration(h.store, {
      domain: 'acme',
      packageGroup: '/*',
      restrictions: { PUBLISH: 'ALLOW_SPECIFIC_REPOSITORIES' },
      addAllowedRepositories: [{ originRestrictionType: 'PUBLISH', repositoryName: 'shared' }],
    });
    return h;
  }

  it('npm: 201 into the listed repository, 403 with the reason elsewhere, nothing kept', async () => {
    const h = await restricted();
    expect((await h.publish(tarballOf({ name: '@acme/ui', version: '1.0.0' }), { repository: 'shared' })).status).toBe(201);
    const refused = await h.publish(tarballOf({ name: '@acme/ui', version: '2.0.0' }));
    expect(refused.status).toBe(403);
    expect((await refused.json<{ error: string }>()).error).toContain(refusal('/npm/acme/ui', 'main'));
    expect(await h.store.index.getPackage({ domain: 'acme', repository: 'main', format: 'npm', namespace: 'acme', name: 'ui' })).toBeUndefined();
  });

  it('twine and Maven: refused with the reason phrase those clients print', async () => {
    const h = await restricted();
    const wheel = buildWheel({ name: 'tool', version: '1.0' });
    expect((await uploadDist(`${h.server.url}/acme/pypi/shared/`, h.token, wheel, 'tool', '1.0')).status).toBe(200);
    const upload = await uploadDist(`${h.server.url}/acme/pypi/main/`, h.token, wheel, 'tool', '1.0');
    expect(upload.status).toBe(403);
    expect(upload.reason).toContain(refusal('/pypi//tool', 'main'));

    const put = (repository: string) =>
      fetch(`${h.server.url}/acme/maven/${repository}/com/acme/util/1.0.0/util-1.0.0.jar`, {
        method: 'PUT',
        headers: { authorization: `Basic ${Buffer.from(`aws:${h.token}`).toString('base64')}` },
        body: new Uint8Array(buildJar()),
      });
    expect((await put('shared')).status).toBe(201);
    const deploy = await put('main');
    expect(deploy.status).toBe(403);
    expect(deploy.statusText).toContain(refusal('/maven/com.acme/util', 'main'));
  });
});
