import { describe, expect, it } from 'vitest';
import { runCli, runCliJson } from '../../helpers/run-cli.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

type Description = {
  pattern: string;
  parent?: { pattern: string };
  originConfiguration: { restrictions: Record<string, { mode: string; effectiveMode: string; repositoriesCount: number }> };
};

async function setup(): Promise<string> {
  const root = makeTempDir();
  await runCliJson(['create-domain', '--domain', 'acme'], { root });
  for (const repository of ['internal', 'npm-store']) await runCliJson(['create-repository', '--domain', 'acme', '--repository', repository], { root });
  return root;
}

describe('package group commands', () => {
  it('create, configure with the AWS CLI argument shapes, associate, list and delete', async () => {
    const root = await setup();
    const created = await runCliJson<{ packageGroup: Description }>(
      ['create-package-group', '--domain', 'acme', '--package-group', '/npm/acme/*', '--contact-info', 'web@acme.test', '--tags', 'key=team,value=web'],
      { root },
    );
    expect(created.packageGroup).toMatchObject({ pattern: '/npm/acme/*', parent: { pattern: '/*' } });

    const configured = await runCliJson<{ packageGroup: Description; allowedRepositoryUpdates: unknown }>(
      [
        'update-package-group-origin-configuration',
        '--domain',
        'acme',
        '--package-group',
        '/npm/acme/*',
        '--restrictions',
        'PUBLISH=ALLOW_SPECIFIC_REPOSITORIES,EXTERNAL_UPSTREAM=BLOCK',
        '--add-allowed-repositories',
        'originRestrictionType=PUBLISH,repositoryName=internal',
        'originRestrictionType=INTERNAL_UPSTREAM,repositoryName=npm-store',
      ],
      { root },
    );
    expect(configured.allowedRepositoryUpdates).toEqual({ PUBLISH: { ADDED: ['internal'] }, INTERNAL_UPSTREAM: { ADDED: ['npm-store'] } });
    expect(configured.packageGroup.originConfiguration.restrictions.PUBLISH).toEqual({
      mode: 'ALLOW_SPECIFIC_REPOSITORIES',
      effectiveMode: 'ALLOW_SPECIFIC_REPOSITORIES',
      repositoriesCount: 1,
    });

    const json = await runCliJson<{ allowedRepositoryUpdates: unknown }>(
      [
        'update-package-group-origin-configuration',
        '--domain',
        'acme',
        '--package-group',
        '/npm/acme/*',
        '--restrictions',
        '{"INTERNAL_UPSTREAM":"BLOCK"}',
        '--remove-allowed-repositories',
        '[{"originRestrictionType":"INTERNAL_UPSTREAM","repositoryName":"npm-store"}]',
      ],
      { root },
    );
    expect(json.allowedRepositoryUpdates).toEqual({ INTERNAL_UPSTREAM: { REMOVED: ['npm-store'] } });
    expect(
      await runCliJson(['list-allowed-repositories-for-group', '--domain', 'acme', '--package-group', '/npm/acme/*', '--origin-restriction-type', 'PUBLISH'], {
        root,
      }),
    ).toEqual({ allowedRepositories: ['internal'] });

    expect(
      await runCliJson(['get-associated-package-group', '--domain', 'acme', '--format', 'npm', '--namespace', '@acme', '--package', 'ui'], { root }),
    ).toMatchObject({
      packageGroup: { pattern: '/npm/acme/*' },
      associationType: 'STRONG',
    });
    expect(
      await runCliJson(['get-associated-package-group', '--domain', 'acme', '--format', 'npm', '--namespace', 'ACME', '--package', 'ui'], { root }),
    ).toMatchObject({
      packageGroup: { pattern: '/npm/acme/*' },
      associationType: 'WEAK',
    });

    await runCliJson(['create-package-group', '--domain', 'acme', '--package-group', '/npm/acme/ui~'], { root });
    const subGroups = await runCliJson<{ packageGroups: Description[] }>(['list-sub-package-groups', '--domain', 'acme', '--package-group', '/npm/acme/*'], {
      root,
    });
    expect(subGroups.packageGroups.map((group) => group.pattern)).toEqual(['/npm/acme/ui~']);
    const listed = await runCliJson<{ packageGroups: Description[] }>(['list-package-groups', '--domain', 'acme', '--prefix', '/npm'], { root });
    expect(listed.packageGroups.map((group) => group.pattern)).toEqual(['/npm/acme/*', '/npm/acme/ui~']);
    expect(await runCliJson(['list-associated-packages', '--domain', 'acme', '--package-group', '/npm/acme/ux$', '--preview'], { root })).toEqual({
      packages: [],
    });

    await runCliJson(['update-package-group', '--domain', 'acme', '--package-group', '/npm/acme/*', '--description', 'web packages'], { root });
    expect(await runCliJson(['describe-package-group', '--domain', 'acme', '--package-group', '/npm/acme/*'], { root })).toMatchObject({
      packageGroup: { description: 'web packages', contactInfo: 'web@acme.test' },
    });
    expect(await runCliJson(['delete-package-group', '--domain', 'acme', '--package-group', '/npm/acme/*'], { root })).toMatchObject({
      packageGroup: { pattern: '/npm/acme/*' },
    });
    expect(await runCliJson(['describe-package-group', '--domain', 'acme', '--package-group', '/npm/acme/ui~'], { root })).toMatchObject({
      packageGroup: { parent: { pattern: '/*' } },
    });
  });

  it.each([
    [['create-package-group', '--domain', 'acme', '--package-group', '/npm/acme'], 2, "is not a package group pattern: it must end with '$', '~' or '*'."],
    [['delete-package-group', '--domain', 'acme', '--package-group', '/*'], 2, 'The root package group /* cannot be deleted.'],
    [['describe-package-group', '--domain', 'acme', '--package-group', '/npm/*'], 5, 'Package group /npm/* does not exist in domain acme.'],
    [['update-package-group-origin-configuration', '--domain', 'acme', '--package-group', '/*'], 2, 'Nothing to change.'],
    [
      ['update-package-group-origin-configuration', '--domain', 'acme', '--package-group', '/*', '--restrictions', 'PUBLISH'],
      2,
      '--restrictions expects key=value pairs',
    ],
    [
      ['update-package-group-origin-configuration', '--domain', 'acme', '--package-group', '/*', '--add-allowed-repositories', 'repositoryName=internal'],
      2,
      'needs originRestrictionType=TYPE,repositoryName=NAME',
    ],
    [
      ['list-allowed-repositories-for-group', '--domain', 'acme', '--package-group', '/*', '--origin-restriction-type', 'UPLOAD'],
      2,
      'error Validation: --origin-restriction-type must be one of PUBLISH, EXTERNAL_UPSTREAM, INTERNAL_UPSTREAM; got "UPLOAD".',
    ],
  ])('refuses %j with exit %i', async (args, code, message) => {
    const root = await setup();
    const result = await runCli(args, { root });
    expect(result.code).toBe(code);
    expect(result.stderr).toContain(message);
  });
});
