/**
 * Drives a program under a real pseudo-terminal through tmux, so prompts see a TTY exactly as
 * they do for a person. Each session has its own socket in a temp dir: no shared tmux server,
 * nothing left running when the test ends.
 */
import { execFile, spawnSync } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { makeTempDir } from './temp-dir.js';

const execFileAsync = promisify(execFile);
const POLL_MS = 100;
const DEFAULT_TIMEOUT_MS = 20_000;

export function hasTmux(): boolean {
  return spawnSync('tmux', ['-V'], { stdio: 'ignore' }).status === 0;
}

/** Quotes a value for the POSIX shell tmux runs the command with. */
function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The marker printed after the command ends, so tests can wait for completion and read the status. */
const EXIT_MARKER = /__EXIT=(\d+)/;

export class TmuxSession {
  private constructor(
    private readonly socket: string,
    private readonly tmuxEnv: NodeJS.ProcessEnv,
  ) {}

  /** Starts `argv` in a detached 200x50 session with exactly `env` (plus PATH and a UTF-8 locale). */
  static async start(argv: string[], options: { cwd: string; env: Record<string, string> }): Promise<TmuxSession> {
    const socket = path.join(makeTempDir('artifact-cli-tmux-'), 'sock');
    // UTF-8 so the prompts' pointer and check marks come back from capture-pane intact.
    const tmuxEnv: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: options.env.HOME, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' };
    // The variables go inside the command too: a tmux server passes its own environment to
    // panes, and the command must see the temp HOME and root whatever that environment is.
    const assignments = Object.entries({ ...options.env, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' }).map(([key, value]) => `${key}=${shellQuote(value)}`);
    const command = `cd ${shellQuote(options.cwd)} && env ${assignments.join(' ')} ${argv.map(shellQuote).join(' ')}; echo __EXIT=$?; sleep 3600`;
    const session = new TmuxSession(socket, tmuxEnv);
    await session.tmux(['new-session', '-d', '-x', '200', '-y', '50', command]);
    return session;
  }

  private async tmux(args: string[]): Promise<string> {
    const { stdout } = await execFileAsync('tmux', ['-S', this.socket, ...args], { env: this.tmuxEnv });
    return stdout;
  }

  /** The visible screen as plain text. */
  capture(): Promise<string> {
    return this.tmux(['capture-pane', '-p']);
  }

  /** The visible screen with its colour escape sequences kept. */
  captureWithEscapes(): Promise<string> {
    return this.tmux(['capture-pane', '-p', '-e']);
  }

  /** Sends named keys: 'Enter', 'Down', 'Space', 'C-u', ... */
  async press(...keys: string[]): Promise<void> {
    await this.tmux(['send-keys', ...keys]);
  }

  /** Types text literally, then Enter. */
  async answer(text: string): Promise<void> {
    await this.tmux(['send-keys', '-l', text]);
    await this.press('Enter');
  }

  /** Polls the screen until `pattern` shows; the error shows the last screen so failures are readable. */
  async waitFor(pattern: RegExp | string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<string> {
    const regexp = typeof pattern === 'string' ? new RegExp(escapeRegExp(pattern)) : pattern;
    const deadline = Date.now() + timeoutMs;
    let screen = '';
    while (Date.now() < deadline) {
      screen = await this.capture();
      if (regexp.test(screen)) return screen;
      const exited = EXIT_MARKER.exec(screen);
      if (exited && !regexp.source.includes('__EXIT')) break;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    throw new Error(`Timed out waiting for ${regexp} on the terminal. Screen:\n${screen}`);
  }

  /** Waits for the command to finish and returns its exit status and final screen. */
  async waitForExit(): Promise<{ code: number; screen: string }> {
    const screen = await this.waitFor(EXIT_MARKER);
    return { code: Number(EXIT_MARKER.exec(screen)![1]), screen };
  }

  /** In a select prompt asking `question`, moves down to `option` and picks it. */
  async choose(question: string, option: string): Promise<void> {
    await this.moveTo(question, option);
    await this.press('Enter');
    await this.waitFor(new RegExp(`^✔ ${escapeRegExp(question)}`, 'm'));
  }

  /** In a checkbox prompt asking `question`, ticks each of `options` and submits. */
  async check(question: string, options: string[]): Promise<void> {
    for (const option of options) {
      await this.moveTo(question, option);
      await this.press('Space');
      await this.waitFor(new RegExp(`^❯◉ ${escapeRegExp(option)}$`, 'm'));
    }
    await this.press('Enter');
    await this.waitFor(new RegExp(`^✔ ${escapeRegExp(question)}`, 'm'));
  }

  private async moveTo(question: string, option: string): Promise<void> {
    let screen = await this.waitFor(new RegExp(`^\\? ${escapeRegExp(question)}`, 'm'));
    for (let step = 0; step < 50; step++) {
      const current = activeChoice(screen);
      if (current === option) return;
      await this.press('Down');
      // Wait for the pointer to move before looking again, so no key press races the redraw.
      screen = await this.waitForChange(current);
    }
    throw new Error(`Option ${option} never became active under "${question}". Screen:\n${screen}`);
  }

  private async waitForChange(previous: string | undefined): Promise<string> {
    const deadline = Date.now() + DEFAULT_TIMEOUT_MS;
    let screen = '';
    while (Date.now() < deadline) {
      screen = await this.capture();
      if (activeChoice(screen) !== previous) return screen;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    throw new Error(`The prompt did not react to a key press. Screen:\n${screen}`);
  }

  async kill(): Promise<void> {
    await this.tmux(['kill-server']).catch(() => undefined);
  }
}

/** The option the pointer is on in the last open prompt ("? ..." line), without its check mark. */
function activeChoice(screen: string): string | undefined {
  const lines = screen.split('\n');
  let start = -1;
  lines.forEach((line, index) => {
    if (line.startsWith('? ')) start = index;
  });
  if (start < 0) return undefined;
  const pointed = lines.slice(start + 1).find((line) => line.startsWith('❯'));
  return pointed?.replace(/^❯[◯◉]?\s*/, '').trim();
}
