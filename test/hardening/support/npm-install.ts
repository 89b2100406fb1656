/**
 * The real npm client installing from a repository, in a temp HOME with its own .npmrc and
 * cache, as a user's build would. Where npm cannot run, the caller skips loudly (fails in CI).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeTempDir } from '../../helpers/temp-dir.js';

export function npmIsUsable(what: string): boolean {
  if (spawnSync('npm', ['--version'], { env: { PATH: process.env.PATH } }).status === 0) return true;
  if (process.env.CI === 'true') throw new Error(`npm is not installed, so ${what} cannot be shown`);
  console.warn(`SKIPPED: npm cannot run here, so ${what} is not shown`);
  return false;
}

/** `npm install <spec>` into a fresh project; resolves to undefined on success, else npm's output. */
export async function npmInstall(registry: string, token: string, spec: string): Promise<string | undefined> {
  const home = makeTempDir('artifact-cli-npm-install-');
  const project = path.join(home, 'project');
  mkdirSync(project);
  writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  const npmrc = path.join(home, '.npmrc');
  writeFileSync(npmrc, `registry=${registry}\n//${registry.replace(/^https?:\/\//, '')}:_authToken=${token}\n`);
  const env = {
    PATH: process.env.PATH,
    HOME: home,
    npm_config_userconfig: npmrc,
    npm_config_cache: path.join(home, 'cache'),
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
  return new Promise((resolve) => {
    const child = spawn('npm', ['install', spec], { cwd: project, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => resolve(code === 0 ? undefined : `npm install ${spec} exited ${code}: ${output.slice(-600)}`));
  });
}
