import { describe, expect, it } from 'vitest';
import { ConflictError, ResourceNotFoundError, ValidationError } from '../../src/errors.js';
import {
  createPackageGroup,
  deletePackageGroup,
  describePackageGroup,
  listPackageGroups,
  listSubPackageGroups,
  updatePackageGroup,
} from '../../src/operations/package-groups.js';
import { getAssociatedPackageGroup, listAssociatedPackages } from '../../src/operations/package-groups-association.js';
import {
  listAllowedRepositoriesForGroup,
  updatePackageGroupOriginConfiguration,
  type OriginConfigurationInput,
} from '../../src/operations/package-groups-origin.js';
import { DOMAIN, genericKey, makePackageStore, putVersions, versionRecord } from './packages-fixture.js';

const ARN = (pattern: string) => `arn:aws:codeartifact:local:000000000000:package-group/acme${pattern}`;

describe('package groups', () => {
  it('has the root group /* in every domain, allowing everything, and refuses to delete it', async () => {
    const { store } = await makePackageStore();
    const { packageGroup } = await describePackageGroup(store, DOMAIN, '/*');
    expect(packageGroup).toEqual({
      arn: ARN('/*'),
      pattern: '/*',
      domainName: 'acme',
      domainOwner: '000000000000',
      createdTime: (await store.index.getDomain(DOMAIN))!.createdTime,
      originConfiguration: {
        restrictions: {
          PUBLISH: { mode: 'ALLOW', effectiveMode: 'ALLOW', repositoriesCount: 0 },
          EXTERNAL_UPSTREAM: { mode: 'ALLOW', effectiveMode: 'ALLOW', repositoriesCount: 0 },
          INTERNAL_UPSTREAM: { mode: 'ALLOW', effectiveMode: 'ALLOW', repositoriesCount: 0 },
        },
      },
    });
    await expect(deletePackageGroup(store, DOMAIN, '/*')).rejects.toThrow('The root package group /* cannot be deleted.');
    await expect(createPackageGroup(store, { domain: DOMAIN, packageGroup: '/*' })).rejects.toThrow(ConflictError);
  });

  it('creates groups under their most specific parent and inherits through INHERIT', async () => {
    const { store } = await makePackageStore();
    await createPackageGroup(store, { domain: DOMAIN, packageGroup: '/npm/*' });
    const created = await createPackageGroup(store, {
      domain: DOMAIN,
      packageGroup: '/npm/space/*',
      contactInfo: 'ui@acme.test',
      description: 'UI team',
      tags: [{ key: 'team', value: 'ui' }],
    });
    expect(created.packageGroup).toMatchObject({
      pattern: '/npm/space/*',
      contactInfo: 'ui@acme.test',
      description: 'UI team',
      parent: { arn: ARN('/npm/*'), pattern: '/npm/*' },
      originConfiguration: {
        restrictions: { PUBLISH: { mode: 'INHERIT', effectiveMode: 'ALLOW', inheritedFrom: { arn: ARN('/*'), pattern: '/*' }, repositoriesCount: 0 } },
      },
    });
    await updatePackageGroupOriginConfiguration(store, { domain: DOMAIN, packageGroup: '/npm/*', restrictions: { PUBLISH: 'BLOCK' } });
    const inherited = (await describePackageGroup(store, DOMAIN, '/npm/space/*')).packageGroup.originConfiguration.restrictions.PUBLISH;
    expect(inherited).toEqual({ mode: 'INHERIT', effectiveMode: 'BLOCK', inheritedFrom: { arn: ARN('/npm/*'), pattern: '/npm/*' }, repositoriesCount: 0 });
    await expect(createPackageGroup(store, { domain: DOMAIN, packageGroup: '/npm/space/*' })).rejects.toThrow(ConflictError);
    await expect(createPackageGroup(store, { domain: DOMAIN, packageGroup: '/npm/space' })).rejects.toThrow(ValidationError);
    await expect(createPackageGroup(store, { domain: 'nowhere', packageGroup: '/npm/*' })).rejects.toThrow(ResourceNotFoundError);
  });

  it('re-parents children when a group is deleted, and keeps their own settings', async () => {
    const { store } = await makePackageStore();
    for (const pattern of ['/npm/*', '/npm/space/*', '/npm/space/ui~', '/npm/space/ui-kit$'])
      await createPackageGroup(store, { domain: DOMAIN, packageGroup: pattern });
    await updatePackageGroupOriginConfiguration(store, { domain: DOMAIN, packageGroup: '/npm/space/ui~', restrictions: { EXTERNAL_UPSTREAM: 'BLOCK' } });
    const children = async (pattern: string) =>
      (await listSubPackageGroups(store, { domain: DOMAIN, packageGroup: pattern })).packageGroups.map((group) => group.pattern);
    expect(await children('/npm/space/*')).toEqual(['/npm/space/ui~']);
    const deleted = await deletePackageGroup(store, DOMAIN, '/npm/space/ui~');
    expect(deleted.packageGroup.pattern).toBe('/npm/space/ui~');
    expect(await children('/npm/space/*')).toEqual(['/npm/space/ui-kit$']);
    const kit = (await describePackageGroup(store, DOMAIN, '/npm/space/ui-kit$')).packageGroup;
    expect(kit.parent?.pattern).toBe('/npm/space/*');
    expect(kit.originConfiguration.restrictions.EXTERNAL_UPSTREAM.effectiveMode).toBe('ALLOW');
    await expect(describePackageGroup(store, DOMAIN, '/npm/space/ui~')).rejects.toThrow('Package group /npm/space/ui~ does not exist in domain acme.');
    await expect(deletePackageGroup(store, DOMAIN, '/npm/space/ui~')).rejects.toThrow(ResourceNotFoundError);
  });

  it('lists groups by pattern with --prefix and pages', async () => {
    const { store } = await makePackageStore();
    for (const pattern of ['/pypi/*', '/npm/space/*', '/npm/*']) await createPackageGroup(store, { domain: DOMAIN, packageGroup: pattern });
    const all = await listPackageGroups(store, { domain: DOMAIN });
    expect(all.packageGroups.map((group) => group.pattern)).toEqual(['/*', '/npm/*', '/npm/space/*', '/pypi/*']);
    expect((await listPackageGroups(store, { domain: DOMAIN, prefix: '/npm' })).packageGroups.map((group) => group.pattern)).toEqual([
      '/npm/*',
      '/npm/space/*',
    ]);
    const first = await listPackageGroups(store, { domain: DOMAIN, maxResults: 3 });
    const second = await listPackageGroups(store, { domain: DOMAIN, maxResults: 3, nextToken: first.nextToken });
    expect([...first.packageGroups, ...second.packageGroups].map((group) => group.pattern)).toEqual(all.packageGroups.map((group) => group.pattern));
    expect(second.nextToken).toBeUndefined();
  });

  it('updates contact info and description, the root included, but nothing else', async () => {
    const { store } = await makePackageStore();
    const root = await updatePackageGroup(store, { domain: DOMAIN, packageGroup: '/*', description: 'everything' });
    expect(root.packageGroup).toMatchObject({ pattern: '/*', description: 'everything' });
    await createPackageGroup(store, { domain: DOMAIN, packageGroup: '/npm/*', contactInfo: 'a' });
    const npm = await updatePackageGroup(store, { domain: DOMAIN, packageGroup: '/npm/*', description: 'npm' });
    expect(npm.packageGroup).toMatchObject({ contactInfo: 'a', description: 'npm' });
    await expect(updatePackageGroup(store, { domain: DOMAIN, packageGroup: '/npm/*', description: 'x'.repeat(1001) })).rejects.toThrow(ValidationError);
    await expect(updatePackageGroup(store, { domain: DOMAIN, packageGroup: '/maven/*', description: 'x' })).rejects.toThrow(ResourceNotFoundError);
  });
});

describe('update-package-group-origin-configuration', () => {
  it('sets modes and allowed repository lists, reporting what was added and removed', async () => {
    const { store } = await makePackageStore();
    await createPackageGroup(store, { domain: DOMAIN, packageGroup: '/generic/ns/*' });
    const result = await updatePackageGroupOriginConfiguration(store, {
      domain: DOMAIN,
      packageGroup: '/generic/ns/*',
      restrictions: { PUBLISH: 'ALLOW_SPECIFIC_REPOSITORIES', EXTERNAL_UPSTREAM: 'BLOCK' },
      addAllowedRepositories: [
        { originRestrictionType: 'PUBLISH', repositoryName: 'main' },
        { originRestrictionType: 'PUBLISH', repositoryName: 'other' },
      ],
    });
    expect(result.allowedRepositoryUpdates).toEqual({ PUBLISH: { ADDED: ['main', 'other'] } });
    expect(result.packageGroup.originConfiguration.restrictions).toMatchObject({
      PUBLISH: { mode: 'ALLOW_SPECIFIC_REPOSITORIES', effectiveMode: 'ALLOW_SPECIFIC_REPOSITORIES', repositoriesCount: 2 },
      EXTERNAL_UPSTREAM: { mode: 'BLOCK', effectiveMode: 'BLOCK', repositoriesCount: 0 },
      INTERNAL_UPSTREAM: { mode: 'INHERIT', effectiveMode: 'ALLOW' },
    });
    const removed = await updatePackageGroupOriginConfiguration(store, {
      domain: DOMAIN,
      packageGroup: '/generic/ns/*',
      removeAllowedRepositories: [
        { originRestrictionType: 'PUBLISH', repositoryName: 'other' },
        { originRestrictionType: 'INTERNAL_UPSTREAM', repositoryName: 'main' },
      ],
    });
    expect(removed.allowedRepositoryUpdates).toEqual({ PUBLISH: { REMOVED: ['other'] } });
    expect(
      (await listAllowedRepositoriesForGroup(store, { domain: DOMAIN, packageGroup: '/generic/ns/*', originRestrictionType: 'PUBLISH' })).allowedRepositories,
    ).toEqual(['main']);
  });

  it.each([
    [{ packageGroup: '/*', restrictions: { PUBLISH: 'INHERIT' } }, 'The root package group /* has no parent to inherit from'],
    [{ packageGroup: '/*', restrictions: { PUBLISH: 'MAYBE' } }, 'PUBLISH=MAYBE is not a mode'],
    [{ packageGroup: '/*', restrictions: { UPLOAD: 'ALLOW' } }, '"UPLOAD" is not an origin restriction type'],
    [{ packageGroup: '/*', addAllowedRepositories: [{ originRestrictionType: 'PUBLISH', repositoryName: 'ghost' }] }, 'Repository ghost does not exist'],
    [{ packageGroup: '/npm/*', restrictions: { PUBLISH: 'BLOCK' } }, 'Package group /npm/* does not exist'],
  ])('refuses %j', async (change, message) => {
    const { store } = await makePackageStore();
    await expect(updatePackageGroupOriginConfiguration(store, { domain: DOMAIN, ...(change as Omit<OriginConfigurationInput, 'domain'>) })).rejects.toThrow(
      message,
    );
  });
});

describe('associations', () => {
  it('tells the group of a package, stored or not, STRONG or WEAK', async () => {
    const { store } = await makePackageStore();
    await createPackageGroup(store, { domain: DOMAIN, packageGroup: '/pypi//requests$' });
    const strong = await getAssociatedPackageGroup(store, DOMAIN, { format: 'pypi', name: 'requests' });
    expect([strong.packageGroup.pattern, strong.associationType]).toEqual(['/pypi//requests$', 'STRONG']);
    const unrelated = await getAssociatedPackageGroup(store, DOMAIN, { format: 'pypi', name: 'requests-oauth' });
    expect([unrelated.packageGroup.pattern, unrelated.associationType]).toEqual(['/*', 'STRONG']);
    const lookalike = await getAssociatedPackageGroup(store, DOMAIN, { format: 'pypi', name: 'requ\u0435sts' });
    expect([lookalike.packageGroup.pattern, lookalike.associationType]).toEqual(['/pypi//requests$', 'WEAK']);
  });

  it('lists the stored packages of a group once each, and previews a group before it exists', async () => {
    const { store } = await makePackageStore();
    for (const [repository, name] of [
      ['main', 'tool'],
      ['other', 'tool'],
      ['main', 'Tool'],
      ['shared', 'other-tool'],
    ] as const) {
      await putVersions(store, genericKey(repository, name), [versionRecord('1.0')]);
    }
    const preview = await listAssociatedPackages(store, { domain: DOMAIN, packageGroup: '/generic/ns/tool$', preview: true });
    expect(preview.packages).toEqual([
      { format: 'generic', namespace: 'ns', package: 'Tool', associationType: 'WEAK' },
      { format: 'generic', namespace: 'ns', package: 'tool', associationType: 'STRONG' },
    ]);
    await expect(listAssociatedPackages(store, { domain: DOMAIN, packageGroup: '/generic/ns/tool$' })).rejects.toThrow(ResourceNotFoundError);
    const root = await listAssociatedPackages(store, { domain: DOMAIN, packageGroup: '/*' });
    expect(root.packages.map((entry) => entry.package).sort()).toEqual(['Tool', 'other-tool', 'tool']);
    await createPackageGroup(store, { domain: DOMAIN, packageGroup: '/generic/ns/tool$' });
    expect((await listAssociatedPackages(store, { domain: DOMAIN, packageGroup: '/*' })).packages.map((entry) => entry.package)).toEqual(['other-tool']);
  });
});
