/**
 * Colour only on a terminal, never with NO_COLOR or --no-color: the rule itself, then the CLI's
 * error line on a real pseudo-terminal (tmux) and on a pipe.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { colorLevel } from '../../src/cli/color.js';
import { CLI_PATH, runCli } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { hasTmux, TmuxSession } from '../helpers/tmux.js';

const ESCAPE = '\u001b[';
const terminal = { isTTY: true, getColorDepth: () => 8 };
const pipe = { isTTY: false };

describe('colorLevel', () => {
  it.each([
    ['a terminal', terminal, {}, [], 2],
    ['a pipe or file', pipe, {}, [], 0],
    ['a terminal with NO_COLOR=1', terminal, { NO_COLOR: '1' }, [], 0],
    ['a terminal with NO_COLOR set to anything', terminal, { NO_COLOR: 'yes please' }, [], 0],
    ['a terminal with an empty NO_COLOR (which does not count)', terminal, { NO_COLOR: '' }, [], 2],
    ['a terminal with --no-color', terminal, {}, ['node', 'cli', 'list-domains', '--no-color'], 0],
    ['a dumb terminal', terminal, { TERM: 'dumb' }, [], 0],
    ['a pipe with FORCE_COLOR=1', pipe, { FORCE_COLOR: '1' }, [], 1],
    ['a terminal with FORCE_COLOR=0', terminal, { FORCE_COLOR: '0' }, [], 0],
    ['FORCE_COLOR against NO_COLOR', pipe, { FORCE_COLOR: '3', NO_COLOR: '1' }, [], 0],
  ] as const)('%s', (_what, stream, env, argv, level) => {
    expect(colorLevel(stream, env, argv)).toBe(level);
  });
});

describe('the error line on a pipe', () => {
  it('has no escape codes, even with FORCE_COLOR unset and a colour terminal named in TERM', async () => {
    const result = await runCli(['describe-domain', '--domain', 'missing'], { root: makeTempDir(), env: { TERM: 'xterm-256color' } });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/^error \w+: /);
    expect(result.stderr).not.toContain(ESCAPE);
  });

  it('accepts --no-color anywhere a global option goes', async () => {
    const root = makeTempDir();
    expect((await runCli(['--no-color', 'list-domains'], { root })).code).toBe(0);
    expect((await runCli(['list-domains', '--no-color'], { root })).code).toBe(0);
  });
});

const tmuxAvailable = hasTmux();
const inCi = process.env.CI === 'true';
if (!tmuxAvailable && !inCi) console.warn('\n*** SKIPPING the terminal colour tests: tmux is not installed (apt-get install tmux). ***\n');

describe.skipIf(!tmuxAvailable && !inCi)('the error line on a terminal', () => {
  const sessions: TmuxSession[] = [];
  afterEach(async () => {
    for (const session of sessions.splice(0)) await session.kill();
  });

  async function errorScreen(extraArgs: string[], env: Record<string, string>): Promise<string> {
    if (!tmuxAvailable) throw new Error('tmux is required for the terminal colour tests when CI=true (apt-get install -y tmux).');
    const home = makeTempDir('artifact-cli-home-');
    const session = await TmuxSession.start([process.execPath, CLI_PATH, 'describe-domain', '--domain', 'missing', ...extraArgs], {
      cwd: home,
      env: { HOME: home, ARTIFACT_CLI_ROOT: makeTempDir(), TERM: 'xterm-256color', ...env },
    });
    sessions.push(session);
    const { code } = await session.waitForExit();
    expect(code).not.toBe(0);
    return session.captureWithEscapes();
  }

  it('is coloured by default', async () => {
    const screen = await errorScreen([], {});
    expect(screen).toMatch(/error \w+/);
    expect(screen).toContain(ESCAPE);
  });

  it('is plain with NO_COLOR=1', async () => {
    const screen = await errorScreen([], { NO_COLOR: '1' });
    expect(screen).toMatch(/error \w+: /);
    expect(screen).not.toContain(ESCAPE);
  });

  async function promptScreen(extraArgs: string[], env: Record<string, string>): Promise<string> {
    if (!tmuxAvailable) throw new Error('tmux is required for the terminal colour tests when CI=true (apt-get install -y tmux).');
    const home = makeTempDir('artifact-cli-home-');
    const session = await TmuxSession.start([process.execPath, CLI_PATH, 'create-repo', ...extraArgs], {
      cwd: home,
      env: { HOME: home, ARTIFACT_CLI_ROOT: makeTempDir(), TERM: 'xterm-256color', ...env },
    });
    sessions.push(session);
    // An empty root has no domain to pick, so the first question asks for a new one.
    await session.waitFor(/^\? New domain name/m);
    return session.captureWithEscapes();
  }

  it('colours a prompt by default, and not with NO_COLOR=1 or --no-color', async () => {
    expect(await promptScreen([], {})).toContain(ESCAPE);
    expect(await promptScreen([], { NO_COLOR: '1' })).not.toContain(ESCAPE);
    expect(await promptScreen(['--no-color'], {})).not.toContain(ESCAPE);
  });

  it('is plain with --no-color', async () => {
    const screen = await errorScreen(['--no-color'], {});
    expect(screen).toMatch(/error \w+: /);
    expect(screen).not.toContain(ESCAPE);
  });
});
