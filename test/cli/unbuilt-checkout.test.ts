// `npm install` in a checkout builds nothing (the package builds on prepack), so the README's
// `npm install && npm link` leaves a command whose dist/ does not exist yet: its first run builds.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_DIR } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';

function run(checkout: string, root: string, args: string[]) {
  return spawnSync(process.execPath, [path.join(checkout, 'bin', 'artifact-cli.js'), ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: root, ARTIFACT_CLI_ROOT: path.join(root, 'store') },
    timeout: 120_000,
  });
}

describe('a checkout whose dist/ was never built', () => {
  const dir = makeTempDir('unbuilt-');

  it('builds on its first command, keeping stdout for the command, then runs without building', () => {
    const checkout = path.join(dir, 'checkout');
    mkdirSync(checkout);
    for (const file of ['package.json', 'tsconfig.json', 'tsconfig.build.json']) copyFileSync(path.join(PROJECT_DIR, file), path.join(checkout, file));
    for (const entry of ['bin', 'scripts', 'src']) cpSync(path.join(PROJECT_DIR, entry), path.join(checkout, entry), { recursive: true });
    symlinkSync(path.join(PROJECT_DIR, 'node_modules'), path.join(checkout, 'node_modules'));

    const first = run(checkout, dir, ['list-domains', '--output', 'json']);
    expect(first.status, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({ domains: [] });
    expect(first.stderr).toContain('dist/ has not been built; running `npm run build` first.');
    expect(existsSync(path.join(checkout, 'dist', 'bundle', 'main.js'))).toBe(true);

    const second = run(checkout, dir, ['list-domains', '--output', 'json']);
    expect(second.status, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout)).toEqual({ domains: [] });
    expect(second.stderr).toBe('');
  }, 180_000);

  it('says in one line, without a stack, that an installed copy without dist/ is broken', () => {
    const installed = path.join(dir, 'installed');
    mkdirSync(installed);
    copyFileSync(path.join(PROJECT_DIR, 'package.json'), path.join(installed, 'package.json'));
    cpSync(path.join(PROJECT_DIR, 'bin'), path.join(installed, 'bin'), { recursive: true });

    const result = run(installed, dir, ['list-domains']);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('error Internal: this installation of artifact-cli has no dist/bundle/main.js.\nhint: Install it again.\n');
  });
});
