/**
 * `create-repo` with no flags on a real terminal (tmux): the @inquirer/prompts flow creates a
 * domain and repositories exactly as answered, and shows validation messages as you type.
 * Without tmux this skips loudly; with CI=true it fails instead, so CI cannot pass silently.
 */
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CLI_PATH, runCliJson } from '../../helpers/run-cli.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { hasTmux, TmuxSession } from '../../helpers/tmux.js';

const tmuxAvailable = hasTmux();
const inCi = Boolean(process.env.CI) && process.env.CI !== 'false';
if (!tmuxAvailable && !inCi) {
  console.warn('\n*** SKIPPING the interactive prompt tests: tmux is not installed (apt-get install tmux). ***\n');
}

interface RepositoryOutput {
  repository: {
    name: string;
    domainName: string;
    description?: string;
    upstreams: { repositoryName: string }[];
    externalConnections: { externalConnectionName: string }[];
  };
}

describe.skipIf(!tmuxAvailable && !inCi)('create-repo prompts on a terminal', () => {
  const sessions: TmuxSession[] = [];

  beforeAll(() => {
    if (!tmuxAvailable) throw new Error('tmux is required for the interactive prompt tests when CI=true; install it (apt-get install -y tmux).');
  });

  afterEach(async () => {
    for (const session of sessions.splice(0)) await session.kill();
  });

  /** Runs the CLI under tmux with a temp HOME and the given root, and no config file nearby. */
  async function startCli(root: string, args: string[]): Promise<TmuxSession> {
    const home = makeTempDir('artifact-cli-home-');
    const session = await TmuxSession.start([process.execPath, CLI_PATH, ...args], {
      cwd: home,
      env: { HOME: home, ARTIFACT_CLI_ROOT: root, XDG_DATA_HOME: path.join(home, '.local', 'share'), XDG_CONFIG_HOME: path.join(home, '.config') },
    });
    sessions.push(session);
    return session;
  }

  it('creates a domain and repositories as answered, with upstreams and an external connection', async () => {
    const root = makeTempDir();
    // An existing domain makes the flow offer the domain list with "Create a new domain".
    await runCliJson(['create-domain', '--domain', 'existing'], { root });

    const first = await startCli(root, ['create-repo']);
    await first.choose('Domain', 'Create a new domain');
    await first.waitFor(/^\? New domain name/m);
    await first.answer('prompted');
    await first.waitFor(/^\? Repository name/m);
    await first.answer('base');
    await first.waitFor(/^\? Description/m);
    await first.answer('Base repository');
    // A new domain has no repositories, so no upstream question comes before this one.
    await first.choose('External connection', 'public:npmjs');
    const firstDone = await first.waitForExit();
    expect(firstDone.code, firstDone.screen).toBe(0);
    // On a terminal the result is a table in the AWS CLI layout, not json.
    expect(firstDone.screen).toMatch(/^\|\s+CreateRepository\s+\|$/m);
    expect(firstDone.screen).toMatch(/^\|\|\s+000000000000\s+\|.*\|\s+base\s+\|\|$/m);

    const second = await startCli(root, ['create-repo']);
    await second.choose('Domain', 'prompted');
    await second.waitFor(/^\? Repository name/m);
    await second.answer('app');
    await second.waitFor(/^\? Description/m);
    await second.answer('Built from prompts');
    await second.check('Upstream repositories', ['base']);
    await second.choose('External connection', 'none');
    const secondDone = await second.waitForExit();
    expect(secondDone.code, secondDone.screen).toBe(0);

    const base = await runCliJson<RepositoryOutput>(['describe-repository', '--domain', 'prompted', '--repository', 'base'], { root });
    expect(base.repository).toMatchObject({ name: 'base', domainName: 'prompted', description: 'Base repository', upstreams: [] });
    expect(base.repository.externalConnections.map((connection) => connection.externalConnectionName)).toEqual(['public:npmjs']);
    const app = await runCliJson<RepositoryOutput>(['describe-repository', '--domain', 'prompted', '--repository', 'app'], { root });
    expect(app.repository).toMatchObject({ description: 'Built from prompts', upstreams: [{ repositoryName: 'base' }], externalConnections: [] });
  });

  it('shows the validation message for a bad name and lets you correct it', async () => {
    const root = makeTempDir();
    await runCliJson(['create-domain', '--domain', 'existing'], { root });
    const session = await startCli(root, ['create-repo']);
    await session.choose('Domain', 'Create a new domain');
    await session.waitFor(/^\? New domain name/m);
    await session.answer('Bad_Domain');
    await session.waitFor('Domain name "Bad_Domain" is not valid');
    // Ctrl-U clears the line, as in any readline prompt.
    await session.press('C-u');
    await session.answer('fixed');
    await session.waitFor(/^\? Repository name/m);
    await session.answer('a/b');
    await session.waitFor('Repository name "a/b" is not valid');
    await session.press('C-u');
    await session.answer('good-repo');
    await session.waitFor(/^\? Description/m);
    await session.answer('');
    await session.choose('External connection', 'none');
    const done = await session.waitForExit();
    expect(done.code, done.screen).toBe(0);

    const domains = await runCliJson<{ domains: { name: string }[] }>(['list-domains'], { root });
    expect(domains.domains.map((domain) => domain.name)).toEqual(['existing', 'fixed']);
    const repository = await runCliJson<RepositoryOutput>(['describe-repository', '--domain', 'fixed', '--repository', 'good-repo'], { root });
    expect(repository.repository.description).toBeUndefined();
  });
});
