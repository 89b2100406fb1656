import { describe, expect, it } from 'vitest';
import { runCli, runCliJson } from '../../helpers/run-cli.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { EXTERNAL_CONNECTIONS } from '../../../src/formats/external-connections.js';
import { PACKAGE_FORMATS } from '../../../src/formats/registry.js';
import { stringContaining } from '../../helpers/matchers.js';

interface RepositoryOutput {
  repository: {
    name: string;
    domainName: string;
    arn: string;
    description?: string;
    upstreams: { repositoryName: string }[];
    externalConnections: { externalConnectionName: string; packageFormat: string; status: string }[];
  };
}
type ListOutput = { repositories: { name: string; domainName: string }[]; nextToken?: string };

/** A temp root holding domain `dom` and the named repositories. */
async function rootWith(...repositories: string[]): Promise<string> {
  const root = makeTempDir();
  await runCliJson(['create-domain', '--domain', 'dom'], { root });
  for (const name of repositories) await runCliJson(['create-repository', '--domain', 'dom', '--repository', name], { root });
  return root;
}

const upstreamsOf = (output: RepositoryOutput) => output.repository.upstreams.map((upstream) => upstream.repositoryName);

describe('create-repository and create-repo', () => {
  it('creates a repository with a description and upstreams in order', async () => {
    const root = await rootWith('aa', 'bb');
    const created = await runCliJson<RepositoryOutput>(
      ['create-repository', '--domain', 'dom', '--repository', 'app', '--description', 'the app', '--upstreams', 'repositoryName=bb', 'repositoryName=aa'],
      { root },
    );
    expect(created.repository).toMatchObject({
      name: 'app',
      domainName: 'dom',
      arn: 'arn:aws:codeartifact:local:000000000000:repository/dom/app',
      description: 'the app',
      externalConnections: [],
    });
    expect(upstreamsOf(created)).toEqual(['bb', 'aa']);
    expect(await runCliJson(['describe-repository', '--domain', 'dom', '--repository', 'app'], { root })).toEqual(created);
  });

  it('accepts the create-repo alias', async () => {
    const root = await rootWith();
    const created = await runCliJson<RepositoryOutput>(['create-repo', '--domain', 'dom', '--repository', 'short'], { root });
    expect(created.repository.name).toBe('short');
  });

  it('requires upstreams to exist (exit 2)', async () => {
    const root = await rootWith('aa');
    const result = await runCli(['create-repo', '--domain', 'dom', '--repository', 'app', '--upstreams', 'repositoryName=aa', 'repositoryName=ghost'], {
      root,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('not found: ghost');
    expect((await runCli(['describe-repository', '--domain', 'dom', '--repository', 'app'], { root })).code).toBe(5);
  });

  it('allows at most 10 upstreams', async () => {
    const names = Array.from({ length: 11 }, (_, i) => `up${i}`);
    const root = await rootWith(...names);
    const flags = (list: string[]) => ['--upstreams', ...list.map((name) => `repositoryName=${name}`)];
    const tooMany = await runCli(['create-repo', '--domain', 'dom', '--repository', 'app', ...flags(names)], { root });
    expect(tooMany.code).toBe(2);
    expect(tooMany.stderr).toContain('at most 10 upstream repositories');
    const ten = await runCliJson<RepositoryOutput>(['create-repo', '--domain', 'dom', '--repository', 'app', ...flags(names.slice(0, 10))], { root });
    expect(upstreamsOf(ten)).toHaveLength(10);
  });

  it('refuses a duplicate repository (exit 6) and an unknown domain (exit 5)', async () => {
    const root = await rootWith('taken');
    const duplicate = await runCli(['create-repo', '--domain', 'dom', '--repository', 'taken'], { root });
    expect(duplicate.code).toBe(6);
    expect(duplicate.stderr).toContain('error Conflict: Repository taken already exists in domain dom.');
    const noDomain = await runCli(['create-repo', '--domain', 'nowhere', '--repository', 'x1'], { root });
    expect(noDomain.code).toBe(5);
    expect(noDomain.stderr).toContain('Domain nowhere does not exist');
  });

  it.each([
    ['a slash', 'a/b'],
    ['a parent reference', '..'],
    ['a control character', 'repo\u001bname'],
    // A real NUL cannot travel in argv; its percent-encoded form must not sneak through either.
    ['an encoded NUL', 'repo%00'],
    ['too many characters', `r${'x'.repeat(100)}`],
  ])('refuses a repository name with %s (exit 2)', async (_label, name) => {
    const root = await rootWith();
    const result = await runCli(['create-repo', '--domain', 'dom', '--repository', name], { root });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error Validation: Repository name/);
  });

  it('names the missing flag when there is no terminal to ask on (exit 2)', async () => {
    const root = await rootWith();
    const result = await runCli(['create-repo', '--domain', 'dom'], { root });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error Validation: --repository is required.');
    expect(result.stderr).toContain('hint: Pass --repository');
    const noDomain = await runCli(['describe-repository', '--repository', 'x1'], { root });
    expect(noDomain.code).toBe(2);
    expect(noDomain.stderr).toContain('--domain is required');
  });

  // A script's --domain "$D" with D unset must not fall back to the configured default domain.
  it('refuses an empty value rather than taking the default in its place (exit 2)', async () => {
    const root = await rootWith('app');
    const env = { ARTIFACT_CLI_DOMAIN: 'dom', ARTIFACT_CLI_REPOSITORY: 'app' };
    expect((await runCliJson<RepositoryOutput>(['describe-repository'], { root, env })).repository.name).toBe('app');
    for (const args of [
      ['describe-repository', '--domain', ''],
      ['describe-repository', '--repository', ''],
    ]) {
      const result = await runCli(args, { root, env });
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/^error Validation: --(domain|repository) was given an empty value\./);
    }
  });
});

describe('update-repository and delete-repository', () => {
  it('changes the description and replaces the upstream list', async () => {
    const root = await rootWith('aa', 'bb', 'app');
    const updated = await runCliJson<RepositoryOutput>(
      ['update-repository', '--domain', 'dom', '--repository', 'app', '--description', 'new text', '--upstreams', 'repositoryName=aa'],
      { root },
    );
    expect(updated.repository.description).toBe('new text');
    expect(upstreamsOf(updated)).toEqual(['aa']);
    const cleared = await runCliJson<RepositoryOutput>(['update-repository', '--domain', 'dom', '--repository', 'app', '--upstreams', ''], { root });
    expect(upstreamsOf(cleared)).toEqual([]);
    expect(cleared.repository.description).toBe('new text');
  });

  it('refuses an upstream loop and names it', async () => {
    const root = await rootWith('aa');
    await runCliJson(['create-repo', '--domain', 'dom', '--repository', 'bb', '--upstreams', 'repositoryName=aa'], { root });
    await runCliJson(['create-repo', '--domain', 'dom', '--repository', 'cc', '--upstreams', 'repositoryName=bb'], { root });
    const loop = await runCli(['update-repository', '--domain', 'dom', '--repository', 'aa', '--upstreams', 'repositoryName=cc'], { root });
    expect(loop.code).toBe(2);
    expect(loop.stderr).toContain('aa -> cc -> bb -> aa');
    const self = await runCli(['update-repository', '--domain', 'dom', '--repository', 'aa', '--upstreams', 'repositoryName=aa'], { root });
    expect(self.code).toBe(2);
    expect(self.stderr).toContain('cannot be its own upstream');
  });

  it("refuses to delete a repository while it is another one's upstream", async () => {
    const root = await rootWith('base');
    await runCliJson(['create-repo', '--domain', 'dom', '--repository', 'app', '--upstreams', 'repositoryName=base'], { root });
    const refused = await runCli(['delete-repository', '--domain', 'dom', '--repository', 'base'], { root });
    expect(refused.code).toBe(6);
    expect(refused.stderr).toContain('Repository base is an upstream of app.');
    // The hint's command runs as printed (the shell turns '' into an empty argument).
    expect(refused.stderr).toContain(
      "hint: Remove it from their upstreams first, e.g. `artifact-cli update-repository --domain dom --repository app --upstreams ''`.",
    );
    await runCliJson(['update-repository', '--domain', 'dom', '--repository', 'app', '--upstreams', ''], { root });
    const deleted = await runCliJson<RepositoryOutput>(['delete-repository', '--domain', 'dom', '--repository', 'base'], { root });
    expect(deleted.repository.name).toBe('base');
    expect((await runCli(['describe-repository', '--domain', 'dom', '--repository', 'base'], { root })).code).toBe(5);
    expect((await runCli(['delete-repository', '--domain', 'dom', '--repository', 'base'], { root })).code).toBe(5);
  });
});

describe('list-repositories and list-repositories-in-domain', () => {
  it('filters by prefix and pages with --max-results / --next-token', async () => {
    const root = await rootWith('lib-a', 'lib-b', 'lib-c', 'app');
    await runCliJson(['create-domain', '--domain', 'dom2'], { root });
    await runCliJson(['create-repo', '--domain', 'dom2', '--repository', 'lib-z'], { root });

    const all = await runCliJson<ListOutput>(['list-repositories'], { root });
    expect(all.repositories.map((repo) => `${repo.domainName}/${repo.name}`)).toEqual(['dom/app', 'dom/lib-a', 'dom/lib-b', 'dom/lib-c', 'dom2/lib-z']);

    const first = await runCliJson<ListOutput>(['list-repositories', '--repository-prefix', 'lib-', '--max-results', '3'], { root });
    expect(first.repositories.map((repo) => repo.name)).toEqual(['lib-a', 'lib-b', 'lib-c']);
    const second = await runCliJson<ListOutput>(['list-repositories', '--repository-prefix', 'lib-', '--max-results', '3', '--next-token', first.nextToken!], {
      root,
    });
    expect(second.repositories.map((repo) => repo.name)).toEqual(['lib-z']);
    expect(second.nextToken).toBeUndefined();

    const inDomain = await runCliJson<ListOutput>(['list-repositories-in-domain', '--domain', 'dom2'], { root });
    expect(inDomain.repositories.map((repo) => repo.name)).toEqual(['lib-z']);
    const prefixed = await runCliJson<ListOutput>(['list-repositories-in-domain', '--domain', 'dom', '--repository-prefix', 'app'], { root });
    expect(prefixed.repositories.map((repo) => repo.name)).toEqual(['app']);
  });

  it('refuses a bad page size and a foreign token (exit 2), and an unknown domain (exit 5)', async () => {
    const root = await rootWith('a1');
    expect((await runCli(['list-repositories', '--max-results', '0'], { root })).code).toBe(2);
    expect((await runCli(['list-repositories', '--max-results', 'lots'], { root })).code).toBe(2);
    expect((await runCli(['list-repositories', '--next-token', 'not-a-token'], { root })).code).toBe(2);
    expect((await runCli(['list-repositories-in-domain', '--domain', 'nowhere'], { root })).code).toBe(5);
  });
});

describe('external connections', () => {
  const connect = (root: string, command: string, connection: string) =>
    runCli([command, '--domain', 'dom', '--repository', 'store', '--external-connection', connection], { root });

  it('associates one connection, refuses a second, and disassociates', async () => {
    const root = await rootWith('store');
    const associated = await connect(root, 'associate-external-connection', 'public:npmjs');
    expect(associated.code).toBe(0);
    expect((JSON.parse(associated.stdout) as RepositoryOutput).repository.externalConnections).toEqual([
      { externalConnectionName: 'public:npmjs', packageFormat: 'npm', status: 'Available' },
    ]);

    const second = await connect(root, 'associate-external-connection', 'public:pypi');
    expect(second.code).toBe(7);
    expect(second.stderr).toContain('a repository can have only one');
    expect((await connect(root, 'associate-external-connection', 'public:npmjs')).code).toBe(6);

    expect((await connect(root, 'disassociate-external-connection', 'public:pypi')).code).toBe(5);
    const removed = await connect(root, 'disassociate-external-connection', 'public:npmjs');
    expect((JSON.parse(removed.stdout) as RepositoryOutput).repository.externalConnections).toEqual([]);
  });

  it('refuses an unknown connection name (exit 2) and lists the known ones', async () => {
    const root = await rootWith('store');
    const result = await connect(root, 'associate-external-connection', 'public:nowhere');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Unknown external connection "public:nowhere"');
    expect(result.stderr).toContain('public:npmjs');
  });

  it('gives every registered format its endpoint, and takes every external connection CodeArtifact names', async () => {
    const connections = Object.entries(EXTERNAL_CONNECTIONS);
    const root = await rootWith('store', ...connections.map((_, i) => `linked-${i}`));
    for (const format of PACKAGE_FORMATS) {
      const args = ['get-repository-endpoint', '--domain', 'dom', '--repository', 'store', '--format', format];
      expect(await runCliJson(args, { root })).toEqual({ repositoryEndpoint: stringContaining(`/dom/${format}/store/`) });
    }
    for (const [i, [connection, format]] of connections.entries()) {
      const args = ['associate-external-connection', '--domain', 'dom', '--repository', `linked-${i}`, '--external-connection', connection];
      const output = await runCliJson<{ repository: { externalConnections: { externalConnectionName: string; packageFormat: string }[] } }>(args, { root });
      expect(output.repository.externalConnections, connection).toEqual([
        expect.objectContaining({ externalConnectionName: connection, packageFormat: format }),
      ]);
    }
  });
});
