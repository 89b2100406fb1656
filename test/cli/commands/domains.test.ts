import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, runCliJson } from '../../helpers/run-cli.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

interface DomainOutput {
  domain: { name: string; owner: string; arn: string; status: string; repositoryCount: number; assetSizeBytes: number };
}

describe('domain commands', () => {
  it('creates, describes, lists and deletes a domain', async () => {
    const root = makeTempDir();
    const created = await runCliJson<DomainOutput>(['create-domain', '--domain', 'my-domain'], { root });
    expect(created.domain).toMatchObject({
      name: 'my-domain',
      owner: '000000000000',
      arn: 'arn:aws:codeartifact:local:000000000000:domain/my-domain',
      status: 'Active',
      repositoryCount: 0,
      assetSizeBytes: 0,
    });
    expect(await runCliJson<DomainOutput>(['describe-domain', '--domain', 'my-domain'], { root })).toEqual(created);

    await runCliJson(['create-domain', '--domain', 'other'], { root });
    const listed = await runCliJson<{ domains: { name: string }[] }>(['list-domains'], { root });
    expect(listed.domains.map((domain) => domain.name)).toEqual(['my-domain', 'other']);

    const deleted = await runCliJson<DomainOutput>(['delete-domain', '--domain', 'other'], { root });
    expect(deleted.domain).toMatchObject({ name: 'other', status: 'Deleted' });
    const after = await runCliJson<{ domains: { name: string }[] }>(['list-domains'], { root });
    expect(after.domains.map((domain) => domain.name)).toEqual(['my-domain']);
  });

  it('pages list-domains with --max-results and --next-token', async () => {
    const root = makeTempDir();
    for (const name of ['d-a', 'd-b', 'd-c']) await runCliJson(['create-domain', '--domain', name], { root });
    const first = await runCliJson<{ domains: { name: string }[]; nextToken?: string }>(['list-domains', '--max-results', '2'], { root });
    expect(first.domains.map((domain) => domain.name)).toEqual(['d-a', 'd-b']);
    expect(first.nextToken).toEqual(expect.any(String));
    const second = await runCliJson<{ domains: { name: string }[]; nextToken?: string }>(
      ['list-domains', '--max-results', '2', '--next-token', first.nextToken!],
      { root },
    );
    expect(second.domains.map((domain) => domain.name)).toEqual(['d-c']);
    expect(second.nextToken).toBeUndefined();
  });

  it('refuses to delete a domain that still holds repositories (Conflict, exit 6)', async () => {
    const root = makeTempDir();
    await runCliJson(['create-domain', '--domain', 'busy'], { root });
    await runCliJson(['create-repository', '--domain', 'busy', '--repository', 'repo1'], { root });
    const result = await runCli(['delete-domain', '--domain', 'busy'], { root });
    expect(result.code).toBe(6);
    expect(result.stderr).toMatch(/^error Conflict: Domain busy still holds 1 repository: repo1\./);
    expect(result.stderr).toMatch(/hint: .*`artifact-cli delete-repository --domain busy --repository repo1`/);
    await runCliJson(['describe-domain', '--domain', 'busy'], { root });
  });

  it('names every repository holding a domain, up to ten and then "and N more", and hints one that can go first', async () => {
    const root = makeTempDir();
    await runCliJson(['create-domain', '--domain', 'busy'], { root });
    const names = Array.from({ length: 12 }, (_, index) => `repo-${String(index).padStart(2, '0')}`);
    for (const name of names.slice(1)) await runCliJson(['create-repository', '--domain', 'busy', '--repository', name], { root });
    // repo-00 reads through every other, so only it can be deleted first.
    await runCliJson(
      ['create-repository', '--domain', 'busy', '--repository', 'repo-00', '--upstreams', ...names.slice(1, 11).map((name) => `repositoryName=${name}`)],
      { root },
    );
    const result = await runCli(['delete-domain', '--domain', 'busy'], { root });
    expect(result.code).toBe(6);
    expect(result.stderr.split('\n')[0]).toBe(`error Conflict: Domain busy still holds 12 repositories: ${names.slice(0, 10).join(', ')} and 2 more.`);
    const hinted = /`artifact-cli (delete-repository [^`]+)`/.exec(result.stderr)?.[1];
    expect(hinted).toBe('delete-repository --domain busy --repository repo-00');
    expect((await runCli(hinted!.split(' '), { root })).code).toBe(0);
  });

  it('refuses a duplicate domain (exit 6) and reports a missing one (exit 5)', async () => {
    const root = makeTempDir();
    await runCliJson(['create-domain', '--domain', 'twice'], { root });
    const duplicate = await runCli(['create-domain', '--domain', 'twice'], { root });
    expect(duplicate.code).toBe(6);
    expect(duplicate.stderr).toContain('error Conflict: Domain twice already exists.');
    for (const command of ['describe-domain', 'delete-domain']) {
      const missing = await runCli([command, '--domain', 'nowhere'], { root });
      expect(missing.code).toBe(5);
      expect(missing.stderr).toContain('error ResourceNotFound: Domain nowhere does not exist.');
    }
  });

  it.each([
    ['a slash', 'a/b'],
    ['a parent reference', '..'],
    ['a control character', 'ab\u0007c'],
    ['too many characters', `d${'x'.repeat(60)}`],
    ['upper case', 'MyDomain'],
  ])('refuses a domain name with %s (exit 2) and writes nothing', async (_label, name) => {
    const root = makeTempDir();
    const result = await runCli(['create-domain', '--domain', name], { root });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error Validation: Domain name/);
    expect((await runCliJson<{ domains: unknown[] }>(['list-domains'], { root })).domains).toEqual([]);
  });

  it('takes the root from --root over ARTIFACT_CLI_ROOT', async () => {
    const envRoot = makeTempDir();
    const flagRoot = path.join(makeTempDir(), 'nested', 'root');
    await runCliJson(['--root', flagRoot, 'create-domain', '--domain', 'by-flag'], { root: envRoot });
    expect((await runCliJson<{ domains: unknown[] }>(['list-domains'], { root: envRoot })).domains).toEqual([]);
    expect((await runCliJson<{ domains: unknown[] }>(['list-domains'], { root: flagRoot })).domains).toHaveLength(1);
  });
});
