// Bundler's row of the per-format table: `bundle install` of a Gemfile naming one gem that pulls
// in 30 more (two levels deep) into a fresh BUNDLE_PATH with an empty Bundler cache, through
// artifact-cli cold (a fresh root whose public:ruby-gems-org connection points at the static
// copy), through artifact-cli warm (the same server again, the gems now stored), and from the
// static copy itself: a compact index tree (versions, info/<gem>, gems/<file>) served by nginx,
// and through the pass-through (pass-through.mjs) in front of it, the floor of any proxy.
// The gems are built once with `gem build`, tiny and pure Ruby. Median of 3 (ms); the server's
// CPU time per cold gem comes from /proc.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startStaticServer } from './ceiling.mjs';
import { installRounds } from './install-rounds.mjs';

export const name = 'gem-install';
export const description = '`bundle install` of 31 gems into a fresh path, median of 3 (ms)';

const DEPENDENCIES = 30;
const md5 = (bytes) => createHash('md5').update(bytes).digest('hex');

function bundlerUsable() {
  return ['gem', 'bundle'].every((command) => spawnSync(command, ['--version'], { stdio: 'ignore' }).status === 0);
}

/** Builds one gem with `gem build` into gems/; returns its /info line. */
function buildGem(dir, gem, requires) {
  const source = path.join(dir, 'src', gem);
  mkdirSync(path.join(source, 'lib'), { recursive: true });
  writeFileSync(path.join(source, 'lib', `${gem}.rb`), `module ${gem.replace(/(^|_)(\w)/g, (_, __, letter) => letter.toUpperCase())}; end\n`);
  const deps = requires.map((dependency) => `  s.add_dependency "${dependency}", ">= 1.0"\n`).join('');
  writeFileSync(
    path.join(source, `${gem}.gemspec`),
    `Gem::Specification.new do |s|\n  s.name = "${gem}"\n  s.version = "1.0.0"\n  s.summary = "bench"\n  s.authors = ["bench"]\n  s.files = ["lib/${gem}.rb"]\n${deps}end\n`,
  );
  const built = spawnSync('gem', ['build', `${gem}.gemspec`], { cwd: source, env: { PATH: process.env.PATH, HOME: dir }, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`gem build ${gem} failed: ${built.stderr}`);
  const bytes = readFileSync(path.join(source, `${gem}-1.0.0.gem`));
  writeFileSync(path.join(dir, 'gems', `${gem}-1.0.0.gem`), bytes);
  const checksum = createHash('sha256').update(bytes).digest('hex');
  return `1.0.0 ${requires.map((dependency) => `${dependency}:>= 1.0`).join(',')}|checksum:${checksum},ruby:>= 0,rubygems:>= 0`;
}

/** The static copy: versions (with each info file's md5), info/<gem>, gems/<file>. */
export function buildIndex(dir, prefix = 'bg') {
  for (const folder of ['gems', 'info']) mkdirSync(path.join(dir, folder), { recursive: true });
  const names = Array.from({ length: DEPENDENCIES }, (_, i) => `${prefix}_${String(i).padStart(2, '0')}`);
  const gems = names.map((gem, i) => [gem, i < 10 ? [names[10 + i], names[20 + i]] : []]);
  gems.push([`${prefix}_root`, names.slice(0, 10)]);
  const versions = ['created_at: 2026-01-01T00:00:00Z', '---'];
  for (const [gem, requires] of gems) {
    const info = Buffer.from(`---\n${buildGem(dir, gem, requires)}\n`);
    writeFileSync(path.join(dir, 'info', gem), info);
    versions.push(`${gem} 1.0.0 ${md5(info)}`);
  }
  writeFileSync(path.join(dir, 'versions'), `${versions.join('\n')}\n`);
  return gems.length;
}

export function bundleInstall(workDir, source, label, prefix = 'bg') {
  const app = path.join(workDir, `app-${label.replace(/\W+/g, '-')}-${Date.now()}`);
  mkdirSync(app, { recursive: true });
  writeFileSync(path.join(app, 'Gemfile'), `source "${source}"\ngem "${prefix}_root"\n`);
  // A fresh HOME: no compact index cache from an earlier run; a fresh path: every gem installed.
  const env = {
    PATH: process.env.PATH,
    HOME: app,
    BUNDLE_PATH: path.join(app, 'bundle'),
    BUNDLE_DISABLE_VERSION_CHECK: 'true',
    BUNDLE_SILENCE_ROOT_WARNING: 'true',
    LANG: 'C.UTF-8',
  };
  const start = process.hrtime.bigint();
  const result = spawnSync('bundle', ['install', '--jobs', '4'], { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`bundle install (${label}) exited ${result.status}: ${(result.stdout + result.stderr).slice(-2000)}`);
  rmSync(app, { recursive: true, force: true });
  return ms;
}

export async function run(context) {
  if (!bundlerUsable()) return { rows: [], checks: [], notes: ['gem or bundle is not installed: the Bundler row is skipped'] };
  const workDir = path.join(context.workDir, 'gem-install');
  const tree = path.join(workDir, 'index');
  const packages = buildIndex(tree);
  const staticCopy = await startStaticServer({
    root: tree,
    workDir: context.workDir,
    types: { '/gems/': 'application/octet-stream', '/info/': 'text/plain', '/versions': 'text/plain' },
    noEtag: true,
  });
  return installRounds(context, {
    format: 'ruby',
    label: 'bundler',
    staticCopy,
    workDir,
    connection: 'public:ruby-gems-org',
    standinPath: '/',
    packages,
    extensions: ['.gem'],
    install: ({ label, base, token }) => bundleInstall(workDir, `${token ? base.replace('http://', `http://aws:${token}@`) : base}/`, label),
  });
}
