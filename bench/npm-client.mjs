// Running the real npm client against a registry under test: a clean environment (no npm_config_*
// inherited from `npm run`, no user config), a project-level .npmrc with the registry and its
// token, and an npm cache of its own so "empty cache" means empty.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

/** The .npmrc of a project that uses `registry`, sending `token` to it when there is one. */
export function writeNpmrc(dir, { registry, token }) {
  const lines = [`registry=${registry}`, 'audit=false', 'fund=false', 'update-notifier=false', 'progress=false', 'loglevel=error'];
  if (token) lines.push(`${registry.replace(/^https?:/, '')}:_authToken=${token}`);
  writeFileSync(path.join(dir, '.npmrc'), `${lines.join('\n')}\n`);
}

/** Runs npm with args in cwd; resolves to the wall time in ms, rejects on a non-zero exit. */
export function runNpm(args, { cwd, home, cache }) {
  const env = { PATH: process.env.PATH, HOME: home, npm_config_cache: cache, npm_config_userconfig: path.join(home, '.npmrc'), NO_COLOR: '1' };
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn('npm', args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (code === 0) resolve(ms);
      else reject(new Error(`npm ${args.join(' ')} in ${cwd} exited ${code}:\n${output.slice(-3000)}`));
    });
  });
}
