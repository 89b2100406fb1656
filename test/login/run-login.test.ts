import { describe, expect, it } from 'vitest';
import type { LoginContext } from '../../src/login/login-context.js';
import { TOOL_LOGINS } from '../../src/login/login-tools.js';
import { planLogin, writePlannedFiles } from '../../src/login/run-login.js';
import { sampleInput } from './sample-input.js';

function fakeContext(env: Record<string, string> = {}): LoginContext & { stored: Map<string, string> } {
  const stored = new Map<string, string>();
  return {
    stored,
    env,
    homeDir: '/home/u',
    now: () => new Date(0),
    files: {
      read: (file) => Promise.resolve(stored.get(file)),
      write: (file, text) => {
        stored.set(file, text);
        return Promise.resolve({ path: file, backup: `${file}.bak` });
      },
    },
  };
}

describe('planLogin and writePlannedFiles', () => {
  it('plans every file before writing any, and reports created, updated and unchanged files', async () => {
    const context = fakeContext();
    context.stored.set('/home/u/.npmrc', 'color=false\n');
    const planned = await planLogin(TOOL_LOGINS.yarn.files, sampleInput(), context);
    expect(planned.map(({ path, exists, changed }) => ({ path, exists, changed }))).toEqual([
      { path: '/home/u/.yarnrc.yml', exists: false, changed: true },
      { path: '/home/u/.npmrc', exists: true, changed: true },
    ]);
    expect(context.stored.size).toBe(1);

    expect(await writePlannedFiles(planned, context)).toEqual([
      { path: '/home/u/.yarnrc.yml', status: 'created', backup: '/home/u/.yarnrc.yml.bak' },
      { path: '/home/u/.npmrc', status: 'updated', backup: '/home/u/.npmrc.bak' },
    ]);
    const again = await planLogin(TOOL_LOGINS.yarn.files, sampleInput(), context);
    expect(await writePlannedFiles(again, context)).toEqual([
      { path: '/home/u/.yarnrc.yml', status: 'unchanged' },
      { path: '/home/u/.npmrc', status: 'unchanged' },
    ]);
  });

  it('renders a second writer on top of the first when overrides point both at one file', async () => {
    const context = fakeContext({ npm_config_userconfig: '/home/u/.yarnrc.yml' });
    const planned = await planLogin(TOOL_LOGINS.yarn.files, sampleInput(), context);
    expect(planned).toHaveLength(1);
    expect(planned[0].content).toContain('npmRegistryServer: "http://127.0.0.1:8573/acme/npm/main/"');
    expect(planned[0].content).toContain('registry=http://127.0.0.1:8573/acme/npm/main/');
  });
});
