import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, runCliJson } from '../../helpers/run-cli.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

type Tags = { tags: { key: string; value: string }[] };

async function setup(): Promise<{ root: string; domainArn: string; repositoryArn: string }> {
  const root = makeTempDir();
  const domain = await runCliJson<{ domain: { arn: string } }>(['create-domain', '--domain', 'dom', '--tags', 'key=team,value=platform'], { root });
  const repository = await runCliJson<{ repository: { arn: string } }>(['create-repo', '--domain', 'dom', '--repository', 'repo1'], { root });
  return { root, domainArn: domain.domain.arn, repositoryArn: repository.repository.arn };
}

describe('tag commands', () => {
  it('tags, lists and untags a repository by ARN', async () => {
    const { root, repositoryArn } = await setup();
    expect(await runCliJson<Tags>(['list-tags-for-resource', '--resource-arn', repositoryArn], { root })).toEqual({ tags: [] });

    const tagged = await runCli(['tag-resource', '--resource-arn', repositoryArn, '--tags', 'key=env,value=dev', 'key=owner,value=me'], { root });
    expect(tagged).toMatchObject({ code: 0, stdout: '' });
    // A second tag-resource replaces the value of an existing key.
    await runCli(['tag-resource', '--resource-arn', repositoryArn, '--tags', '[{"key":"env","value":"prod"}]'], { root });
    expect(await runCliJson<Tags>(['list-tags-for-resource', '--resource-arn', repositoryArn], { root })).toEqual({
      tags: [
        { key: 'env', value: 'prod' },
        { key: 'owner', value: 'me' },
      ],
    });

    expect((await runCli(['untag-resource', '--resource-arn', repositoryArn, '--tag-keys', 'env', 'missing'], { root })).code).toBe(0);
    expect(await runCliJson<Tags>(['list-tags-for-resource', '--resource-arn', repositoryArn], { root })).toEqual({ tags: [{ key: 'owner', value: 'me' }] });
  });

  it('keeps the tags a domain was created with', async () => {
    const { root, domainArn } = await setup();
    expect(await runCliJson<Tags>(['list-tags-for-resource', '--resource-arn', domainArn], { root })).toEqual({ tags: [{ key: 'team', value: 'platform' }] });
  });

  it('prints one tag value bare with --query and --output text', async () => {
    const { root, domainArn } = await setup();
    const result = await runCli(['list-tags-for-resource', '--resource-arn', domainArn, '--query', "tags[?key=='team'] | [0].value", '--output', 'text'], {
      root,
    });
    expect(result).toMatchObject({ code: 0, stdout: 'platform\n' });
  });

  it('refuses a malformed ARN (exit 2) and reports an unknown resource (exit 5)', async () => {
    const { root } = await setup();
    const malformed = await runCli(['list-tags-for-resource', '--resource-arn', 'arn:aws:s3:::bucket'], { root });
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('is not a domain, repository or package group ARN');
    const unknown = await runCli(
      ['tag-resource', '--resource-arn', 'arn:aws:codeartifact:local:000000000000:repository/dom/ghost', '--tags', 'key=a,value=b'],
      { root },
    );
    expect(unknown.code).toBe(5);
  });

  it('tags, lists and untags a package group by the ARN describe-package-group gives', async () => {
    const { root } = await setup();
    const created = await runCliJson<{ packageGroup: { arn: string } }>(
      ['create-package-group', '--domain', 'dom', '--package-group', '/npm/acme/*', '--tags', 'key=team,value=web'],
      { root },
    );
    const groupArn = created.packageGroup.arn;
    expect(await runCliJson<Tags>(['list-tags-for-resource', '--resource-arn', groupArn], { root })).toEqual({ tags: [{ key: 'team', value: 'web' }] });
    expect((await runCli(['tag-resource', '--resource-arn', groupArn, '--tags', 'key=env,value=prod'], { root })).code).toBe(0);
    expect((await runCli(['untag-resource', '--resource-arn', groupArn, '--tag-keys', 'team'], { root })).code).toBe(0);
    expect(await runCliJson<Tags>(['list-tags-for-resource', '--resource-arn', groupArn], { root })).toEqual({ tags: [{ key: 'env', value: 'prod' }] });

    // The root group /* exists without being stored; tagging it stores it.
    const rootArn = 'arn:aws:codeartifact:local:000000000000:package-group/dom/*';
    expect((await runCli(['tag-resource', '--resource-arn', rootArn, '--tags', 'key=scope,value=all'], { root })).code).toBe(0);
    expect(await runCliJson<Tags>(['list-tags-for-resource', '--resource-arn', rootArn], { root })).toEqual({ tags: [{ key: 'scope', value: 'all' }] });

    const missing = await runCli(['list-tags-for-resource', '--resource-arn', 'arn:aws:codeartifact:local:000000000000:package-group/dom/pypi/*'], { root });
    expect(missing.code).toBe(5);
  });

  it('leaves no directory behind for a domain or repository that does not exist', async () => {
    const { root } = await setup();
    for (const arn of ['arn:aws:codeartifact:local:000000000000:domain/ghost', 'arn:aws:codeartifact:local:000000000000:repository/dom/ghost']) {
      expect((await runCli(['tag-resource', '--resource-arn', arn, '--tags', 'key=a,value=b'], { root })).code).toBe(5);
      expect((await runCli(['untag-resource', '--resource-arn', arn, '--tag-keys', 'a'], { root })).code).toBe(5);
    }
    expect(existsSync(path.join(root, 'domains', 'ghost'))).toBe(false);
    expect(existsSync(path.join(root, 'domains', 'dom', 'repositories', 'ghost'))).toBe(false);
  });

  it('names a missing required flag (exit 2)', async () => {
    const { root, domainArn } = await setup();
    const noTags = await runCli(['tag-resource', '--resource-arn', domainArn], { root });
    expect(noTags.code).toBe(2);
    expect(noTags.stderr).toContain('--tags is required');
    const noKeys = await runCli(['untag-resource', '--resource-arn', domainArn], { root });
    expect(noKeys.stderr).toContain('--tag-keys is required');
  });
});
