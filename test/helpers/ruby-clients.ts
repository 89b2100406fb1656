/**
 * Shared setup for the end-to-end tests with Debian's `gem` and `bundle`: a temp root made with
 * the CLI (domain "acme"; app -> gems-store with public:ruby-gems-org pointed at a stand-in), a
 * running `artifact-cli serve`, a temp HOME whose gem and Bundler files were written by
 * `artifact-cli login --tool gem|bundler`, and a temp GEM_HOME per install. Nothing touches the
 * user's files and no request leaves 127.0.0.1.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { checked, DOMAIN, startClientHarness } from './client-harness.js';
import { startFakeRubygems, type FakeRubygems } from './fake-rubygems.js';
import { runClient, type ClientResult } from './run-client.js';
import type { TestServer } from './server.js';
import { makeTempDir } from './temp-dir.js';

export { DOMAIN };

/** Whether gem and bundle are installed; CI installs them (.ci/run), so a missing one fails there. */
export function findRubyClients(): boolean {
  const works = (command: string) => spawnSync(command, ['--version'], { stdio: 'ignore', timeout: 30_000 }).status === 0;
  const missing = ['gem', 'bundle'].filter((command) => !works(command));
  if (missing.length === 0) return true;
  const message = `${missing.join(' and ')} not installed: the RubyGems end-to-end tests are skipped (.ci/run installs ruby and ruby-bundler).`;
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`WARNING: ${message}`);
  return false;
}

export interface RubyClientsSetup {
  root: string;
  home: string;
  registry: FakeRubygems;
  server: TestServer;
  endpoint(repository: string): string;
  /** Runs a client with the temp HOME and the given GEM_HOME. */
  run(command: string, args: string[], options?: { cwd?: string; gemHome?: string }): Promise<ClientResult>;
  runOk(command: string, args: string[], options?: { cwd?: string; gemHome?: string }): Promise<ClientResult>;
  cli(args: string[]): Promise<ClientResult>;
  /** Writes a gem's source (a gemspec and lib/<name>.rb) and builds it with `gem build`; returns the .gem path. */
  gemBuild(name: string, version: string, options?: { dependencies?: string[]; body?: string; platform?: string }): Promise<string>;
  newGemHome(): string;
}

export async function setupRubyClients(): Promise<RubyClientsSetup> {
  const registry = await startFakeRubygems();
  const { root, home, homeEnv, server, cli } = await startClientHarness({
    prefix: 'ruby',
    chain: ['app', 'gems-store'],
    connection: 'public:ruby-gems-org',
    publicUrl: registry.url,
    config: { upstream: { metadataMaxAgeSeconds: 0 } },
    homeEnv: (dir) => ({ HOME: dir, XDG_CONFIG_HOME: path.join(dir, '.config'), XDG_DATA_HOME: path.join(dir, '.local', 'share') }),
    logins: ['gem', 'bundler'],
  });

  const envFor = (gemHome: string): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH,
    ...homeEnv,
    GEM_HOME: gemHome,
    GEM_PATH: gemHome,
    GEM_SPEC_CACHE: path.join(home, 'gem-spec-cache'),
    BUNDLE_PATH: gemHome,
    BUNDLE_DISABLE_VERSION_CHECK: 'true',
    LANG: 'C.UTF-8',
  });
  const defaultGemHome = makeTempDir('ruby-e2e-gems-');
  const run = (command: string, args: string[], options: { cwd?: string; gemHome?: string } = {}) =>
    runClient(command, args, options.cwd ?? home, envFor(options.gemHome ?? defaultGemHome));
  const runOk = async (command: string, args: string[], options: { cwd?: string; gemHome?: string } = {}) =>
    checked(`${command} ${args.join(' ')}`, await run(command, args, options));
  return {
    root,
    home,
    registry,
    server,
    endpoint: (repository) => `${server.url}/${DOMAIN}/ruby/${repository}/`,
    run,
    runOk,
    cli,
    newGemHome: () => makeTempDir('ruby-e2e-gems-'),
    async gemBuild(name, version, options = {}) {
      const dir = makeTempDir('ruby-e2e-src-');
      mkdirSync(path.join(dir, 'lib'));
      const module = name
        .split(/[-_]/)
        .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
        .join('');
      writeFileSync(
        path.join(dir, 'lib', `${name}.rb`),
        options.body ?? `module ${module}\n  def self.hello\n    "hello from ${name} ${version}"\n  end\nend\n`,
      );
      const deps = (options.dependencies ?? []).map((dependency) => `  s.add_dependency ${dependency}\n`).join('');
      writeFileSync(
        path.join(dir, `${name}.gemspec`),
        `Gem::Specification.new do |s|\n  s.name = ${JSON.stringify(name)}\n  s.version = ${JSON.stringify(version)}\n  s.summary = "The ${name} gem"\n  s.authors = ["Tests"]\n  s.license = "MIT"\n  s.homepage = "http://example.invalid/${name}"\n  s.files = ["lib/${name}.rb"]\n${options.platform ? `  s.platform = ${JSON.stringify(options.platform)}\n` : ''}${deps}end\n`,
      );
      await runOk('gem', ['build', `${name}.gemspec`], { cwd: dir });
      return path.join(dir, `${name}-${version}${options.platform ? `-${options.platform}` : ''}.gem`);
    },
  };
}
