import { describe, expect, it } from 'vitest';
import type { VersionRecord } from '../../src/core/model.js';
import { AccessDeniedError } from '../../src/errors.js';
import { copyPackageVersions } from '../../src/operations/copy-versions.js';
import { retainVersion } from '../../src/operations/ingest.js';
import { INGESTED_FIRST } from '../../src/operations/publish.js';
import { putPackageOriginConfiguration } from '../../src/operations/origin-configuration.js';
import { createPackageGroup } from '../../src/operations/package-groups.js';
import { updatePackageGroupOriginConfiguration, type OriginConfigurationInput } from '../../src/operations/package-groups-origin.js';
import { associateExternalConnection, createRepository } from '../../src/operations/repositories.js';
import { checkGroupAllowsEntry, loadGroupGate, loadGroupGates, retentionWay } from '../../src/operations/package-groups-enforcement.js';
import type { PackageGroupsFile } from '../../src/core/package-group-origin.js';
import { newGroupRecord } from '../../src/core/package-group-origin.js';
import { resolvePackageChain } from '../../src/upstream/resolve.js';
import type { Store } from '../../src/store/store.js';
import { DOMAIN, genericKey, makePackageStore, publishGeneric, putVersions, versionRecord } from './packages-fixture.js';

async function group(store: Store, pattern: string, change: Omit<OriginConfigurationInput, 'domain' | 'packageGroup'>): Promise<void> {
  await createPackageGroup(store, { domain: DOMAIN, packageGroup: pattern });
  await updatePackageGroupOriginConfiguration(store, { domain: DOMAIN, packageGroup: pattern, ...change });
}

const external = (version: string): VersionRecord =>
  versionRecord(version, { origin: { domainEntryPoint: { externalConnectionName: 'public:npmjs' }, originType: 'EXTERNAL' } });

describe('package group PUBLISH', () => {
  it('lets a version be published only into the repositories an ALLOW_SPECIFIC_REPOSITORIES list names', async () => {
    const { store } = await makePackageStore();
    await group(store, '/generic/ns/*', {
      restrictions: { PUBLISH: 'ALLOW_SPECIFIC_REPOSITORIES' },
      addAllowedRepositories: [{ originRestrictionType: 'PUBLISH', repositoryName: 'main' }],
    });
    await expect(publishGeneric(store, { version: '1.0' })).resolves.toMatchObject({ status: 'Published' });
    const refused = publishGeneric(store, { version: '1.0', repository: 'other' });
    await expect(refused).rejects.toThrow(AccessDeniedError);
    await expect(refused).rejects.toThrow(
      'Publishing /generic/ns/tool into repository other is blocked by package group /generic/ns/* (PUBLISH=ALLOW_SPECIFIC_REPOSITORIES): it allows only main.',
    );
    expect(await store.index.getPackage(genericKey('other'))).toBeUndefined();
    // Inherited by a more specific group, which the message says.
    await createPackageGroup(store, { domain: DOMAIN, packageGroup: '/generic/ns/tool$' });
    await expect(publishGeneric(store, { version: '2.0', repository: 'other' })).rejects.toThrow(
      'Publishing /generic/ns/tool into repository other is blocked by package group /generic/ns/tool$ (PUBLISH=ALLOW_SPECIFIC_REPOSITORIES, inherited from /generic/ns/*): it allows only main.',
    );
  });

  it('needs both the package origin controls and the group to allow a publish, and names the one that refused', async () => {
    const { store } = await makePackageStore();
    await putPackageOriginConfiguration(store, genericKey('main'), { publish: 'BLOCK', upstream: 'ALLOW' });
    await expect(publishGeneric(store, { version: '1.0' })).rejects.toThrow("blocked by the package's origin controls (publish=BLOCK)");
    await putPackageOriginConfiguration(store, genericKey('main'), { publish: 'ALLOW', upstream: 'BLOCK' });
    await group(store, '/generic/*', { restrictions: { PUBLISH: 'BLOCK' } });
    await expect(publishGeneric(store, { version: '1.0' })).rejects.toThrow(
      'Publishing /generic/ns/tool into repository main is blocked by package group /generic/* (PUBLISH=BLOCK).',
    );
  });

  it('blocks a package that only resembles a group (WEAK match) everywhere', async () => {
    const { store } = await makePackageStore();
    await createPackageGroup(store, { domain: DOMAIN, packageGroup: '/generic/ns/my-tool$' });
    await expect(publishGeneric(store, { package: 'my-tool', version: '1.0' })).resolves.toMatchObject({ status: 'Published' });
    const refused = publishGeneric(store, { package: 'My_Tool', version: '1.0' });
    await expect(refused).rejects.toThrow(
      "/generic/ns/My_Tool is blocked in every repository: it only resembles package group /generic/ns/my-tool$ (a WEAK match, differing in case, in '-', '.' or '_', or in look-alike characters), which guards against typosquatting.",
    );
  });

  it('governs copy-package-versions into the destination', async () => {
    const { store } = await makePackageStore();
    await publishGeneric(store, { version: '1.0' });
    await group(store, '/generic/*', {
      restrictions: { PUBLISH: 'ALLOW_SPECIFIC_REPOSITORIES' },
      addAllowedRepositories: [{ originRestrictionType: 'PUBLISH', repositoryName: 'shared' }],
    });
    const copy = (destinationRepository: string) =>
      copyPackageVersions(store, {
        domain: DOMAIN,
        sourceRepository: 'main',
        destinationRepository,
        package: { format: 'generic', namespace: 'ns', name: 'tool' },
        versions: ['1.0'],
      });
    await expect(copy('other')).rejects.toThrow(
      'Publishing /generic/ns/tool into repository other is blocked by package group /generic/* (PUBLISH=ALLOW_SPECIFIC_REPOSITORIES): it allows only shared.',
    );
    expect((await copy('shared')).successfulVersions).toHaveProperty('1.0');
  });
});

describe('package group EXTERNAL_UPSTREAM and INTERNAL_UPSTREAM', () => {
  async function chainStore() {
    const { store } = await makePackageStore();
    await createRepository(store, { domain: DOMAIN, repository: 'npm-store' });
    await associateExternalConnection(store, DOMAIN, 'npm-store', 'public:npmjs');
    await createRepository(store, { domain: DOMAIN, repository: 'app', upstreams: ['npm-store'] });
    return store;
  }
  const npmKey = (repository: string) => ({ domain: DOMAIN, repository, format: 'npm' as const, name: 'left-pad' });

  it('refuses a public version into the repository that holds the connection, and an upstream one downstream', async () => {
    const store = await chainStore();
    await group(store, '/npm//left-pad$', { restrictions: { EXTERNAL_UPSTREAM: 'BLOCK' } });
    await expect(retainVersion(store, npmKey('npm-store'), external('1.0.0'))).rejects.toThrow(
      'Taking versions of /npm//left-pad from external connections into repository npm-store is blocked by package group /npm//left-pad$ (EXTERNAL_UPSTREAM=BLOCK).',
    );
    expect(await store.index.getPackage(npmKey('npm-store'))).toBeUndefined();
    // Kept before the group existed: found upstream, it enters app from an upstream repository.
    await putVersions(store, npmKey('npm-store'), [external('1.0.0')], INGESTED_FIRST);
    await expect(retainVersion(store, npmKey('app'), external('1.0.0'))).resolves.toMatchObject({ version: '1.0.0' });
    await updatePackageGroupOriginConfiguration(store, {
      domain: DOMAIN,
      packageGroup: '/npm//left-pad$',
      restrictions: { INTERNAL_UPSTREAM: 'ALLOW_SPECIFIC_REPOSITORIES' },
    });
    await expect(retainVersion(store, npmKey('main'), external('1.0.0'))).rejects.toThrow(
      'Taking versions of /npm//left-pad from upstream repositories into repository main is blocked by package group /npm//left-pad$ (INTERNAL_UPSTREAM=ALLOW_SPECIFIC_REPOSITORIES): it allows no repository yet.',
    );
    // What a repository already holds is served as it is.
    await expect(retainVersion(store, npmKey('app'), external('1.0.0'))).resolves.toMatchObject({ version: '1.0.0' });
  });

  it('prunes the read path: no external connection, and no upstreams for the repository asked', async () => {
    const store = await chainStore();
    await putVersions(store, npmKey('npm-store'), [external('1.0.0')], INGESTED_FIRST);
    const app = (await store.index.getRepository(DOMAIN, 'app'))!;
    const ref = { format: 'npm' as const, name: 'left-pad' };
    const open = await resolvePackageChain(store, DOMAIN, app, ref);
    expect([open.sources.map((source) => source.repository), open.connectable.map((repository) => repository.name)]).toEqual([
      ['npm-store'],
      ['app', 'npm-store'],
    ]);

    await group(store, '/npm/*', {
      restrictions: { EXTERNAL_UPSTREAM: 'ALLOW_SPECIFIC_REPOSITORIES' },
      addAllowedRepositories: [{ originRestrictionType: 'EXTERNAL_UPSTREAM', repositoryName: 'app' }],
    });
    const noStore = await resolvePackageChain(store, DOMAIN, app, ref);
    expect([noStore.sources.map((source) => source.repository), noStore.connectable.map((repository) => repository.name)]).toEqual([['npm-store'], ['app']]);

    await updatePackageGroupOriginConfiguration(store, { domain: DOMAIN, packageGroup: '/npm/*', restrictions: { INTERNAL_UPSTREAM: 'BLOCK' } });
    const alone = await resolvePackageChain(store, DOMAIN, app, ref);
    expect([alone.sources, alone.connectable.map((repository) => repository.name)]).toEqual([[], ['app']]);
  });
});

describe('a refusal says what to run', () => {
  async function refusalOf(attempt: Promise<unknown>): Promise<AccessDeniedError> {
    const error = await attempt.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(AccessDeniedError);
    return error as AccessDeniedError;
  }

  it('for a WEAK match: give the package a group of its own', async () => {
    const { store } = await makePackageStore();
    await createPackageGroup(store, { domain: DOMAIN, packageGroup: '/generic/ns/my-tool$' });
    const refused = await refusalOf(publishGeneric(store, { package: 'My_Tool', version: '1.0' }));
    expect(refused).toMatchObject({ resourceType: 'package', resourceId: '/generic/ns/My_Tool' });
    expect(refused.hint).toBe(
      "If /generic/ns/My_Tool is a package of its own, give it a group: `artifact-cli create-package-group --domain acme --package-group '/generic/ns/My_Tool$'`.",
    );
  });

  it('for ALLOW_SPECIFIC_REPOSITORIES: add the repository to the list of the group the setting comes from', async () => {
    const { store } = await makePackageStore();
    await group(store, '/generic/ns/*', {
      restrictions: { PUBLISH: 'ALLOW_SPECIFIC_REPOSITORIES' },
      addAllowedRepositories: [
        { originRestrictionType: 'PUBLISH', repositoryName: 'main' },
        { originRestrictionType: 'PUBLISH', repositoryName: 'shared' },
      ],
    });
    await createPackageGroup(store, { domain: DOMAIN, packageGroup: '/generic/ns/tool$' });
    const refused = await refusalOf(publishGeneric(store, { version: '1.0', repository: 'other' }));
    expect(refused.message).toBe(
      'Publishing /generic/ns/tool into repository other is blocked by package group /generic/ns/tool$ (PUBLISH=ALLOW_SPECIFIC_REPOSITORIES, inherited from /generic/ns/*): it allows only main, shared.',
    );
    expect(refused).toMatchObject({ resourceType: 'package', resourceId: '/generic/ns/tool' });
    expect(refused.hint).toBe(
      "To allow it: `artifact-cli update-package-group-origin-configuration --domain acme --package-group '/generic/ns/*' --add-allowed-repositories originRestrictionType=PUBLISH,repositoryName=other`.",
    );
  });

  it('for BLOCK: an administrator can change the setting where it is made', async () => {
    const { store } = await makePackageStore();
    await group(store, '/generic/*', { restrictions: { PUBLISH: 'BLOCK' } });
    const refused = await refusalOf(publishGeneric(store, { version: '1.0' }));
    expect(refused).toMatchObject({ resourceType: 'package', resourceId: '/generic/ns/tool' });
    expect(refused.hint).toBe(
      "If this is intended, an administrator can change it: `artifact-cli update-package-group-origin-configuration --domain acme --package-group '/generic/*' --restrictions PUBLISH=ALLOW`.",
    );
  });

  it('judges a changed package-groups file anew even when the store hands out the same object, changed in place', async () => {
    // The index store freezes what it hands out; a file that is not frozen may change under us.
    const file: PackageGroupsFile = { groups: [] };
    const store = { index: { getPackageGroups: () => Promise.resolve(file) } } as unknown as Store;
    const key = genericKey('main');
    await expect(checkGroupAllowsEntry(store, key, 'PUBLISH')).resolves.toBeUndefined();
    file.groups.push({
      ...newGroupRecord('/generic/*', '2026-01-01T00:00:00.000Z'),
      restrictions: { PUBLISH: 'BLOCK', EXTERNAL_UPSTREAM: 'INHERIT', INTERNAL_UPSTREAM: 'INHERIT' },
    });
    await expect(checkGroupAllowsEntry(store, key, 'PUBLISH')).rejects.toThrow('blocked by package group /generic/* (PUBLISH=BLOCK)');
  });
});

describe('retentionWay', () => {
  const npmKey = (repository: string) => ({ domain: DOMAIN, repository, format: 'npm' as const, name: 'left-pad' });
  const through = (externalConnectionName: string): VersionRecord['origin'] => ({ domainEntryPoint: { externalConnectionName }, originType: 'EXTERNAL' });

  it('is EXTERNAL_UPSTREAM only for a public version in the repository that holds its connection', async () => {
    const { store } = await makePackageStore();
    await associateExternalConnection(store, DOMAIN, 'shared', 'public:npmjs');
    expect(await retentionWay(store, npmKey('shared'), through('public:npmjs'))).toBe('EXTERNAL_UPSTREAM');
    // Another connection than the one the repository holds; a repository without any; one that is gone.
    expect(await retentionWay(store, npmKey('shared'), through('public:pypi'))).toBe('INTERNAL_UPSTREAM');
    expect(await retentionWay(store, npmKey('main'), through('public:npmjs'))).toBe('INTERNAL_UPSTREAM');
    expect(await retentionWay(store, npmKey('gone'), through('public:npmjs'))).toBe('INTERNAL_UPSTREAM');
    // Published in a repository of the domain: found upstream, however it arrived there.
    expect(await retentionWay(store, npmKey('shared'), { domainEntryPoint: { repositoryName: 'shared' }, originType: 'INTERNAL' })).toBe('INTERNAL_UPSTREAM');
  });
});

describe('loadGroupGates', () => {
  const gem = (name: string) => ({ format: 'ruby' as const, name });

  it('answers for each package by its own group, and hands out the same groups object while there are none', async () => {
    const { store } = await makePackageStore();
    // No groups at all: the root allows every way in.
    const none = await loadGroupGates(store, DOMAIN);
    expect(none.gateOf(gem('rake')).allows('EXTERNAL_UPSTREAM', 'main')).toBe(true);
    expect((await loadGroupGates(store, DOMAIN)).groups).toBe(none.groups);

    await group(store, '/ruby/*', {
      restrictions: { EXTERNAL_UPSTREAM: 'ALLOW_SPECIFIC_REPOSITORIES' },
      addAllowedRepositories: [{ originRestrictionType: 'EXTERNAL_UPSTREAM', repositoryName: 'shared' }],
    });
    await group(store, '/ruby//rails$', { restrictions: { EXTERNAL_UPSTREAM: 'BLOCK' } });
    const gates = await loadGroupGates(store, DOMAIN);
    expect(gates.groups).not.toBe(none.groups);
    const rake = gates.gateOf(gem('rake'));
    expect([rake.allows('EXTERNAL_UPSTREAM', 'shared'), rake.allows('EXTERNAL_UPSTREAM', 'main'), rake.allows('INTERNAL_UPSTREAM', 'main')]).toEqual([
      true,
      false,
      true,
    ]);
    expect(gates.gateOf(gem('rails')).allows('EXTERNAL_UPSTREAM', 'shared')).toBe(false);
    // The single-package gate agrees with the gates of the whole list.
    const single = await loadGroupGate(store, DOMAIN, gem('rake'));
    expect([single.allows('EXTERNAL_UPSTREAM', 'shared'), single.allows('EXTERNAL_UPSTREAM', 'main')]).toEqual([true, false]);
  });
});
