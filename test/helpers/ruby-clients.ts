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
import { startFakeRubygems, type FakeRubygems } from './fake-rubygems.js';
import { runCli } from './run-cli.js';
import { runClient, type ClientResult } from './run-client.js';
import { startTestServer, type TestServer } from './server.js';
import { makeTempDir } from './temp-dir.js';

export const DOMAIN = 'acme';

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
  const root = makeTempDir('ruby-e2e-root-');
  const home = makeTempDir('ruby-e2e-home-');
  const registry = await startFakeRubygems();
  const homeEnv = { HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_DATA_HOME: path.join(home, '.local', 'share') };
  const cli = (args: string[]) => runCli(args, { root, env: homeEnv });
  const cliOk = async (args: string[]) => {
    const result = await cli(args);
    if (result.code !== 0) throw new Error(`artifact-cli ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
    return result;
  };
  await cliOk(['create-domain', '--domain', DOMAIN]);
  await cliOk(['create-repository', '--domain', DOMAIN, '--repository', 'gems-store']);
  await cliOk(['associate-external-connection', '--domain', DOMAIN, '--repository', 'gems-store', '--external-connection', 'public:ruby-gems-org']);
  await cliOk(['create-repository', '--domain', DOMAIN, '--repository', 'app', '--upstreams', 'repositoryName=gems-store']);
  const configFile = path.join(home, 'artifact-cli.json');
  writeFileSync(configFile, JSON.stringify({ externalConnections: { 'public:ruby-gems-org': registry.url }, upstream: { metadataMaxAgeSeconds: 0 } }));
  const server = await startTestServer({ root, args: ['--config', configFile] });
  await cliOk(['--endpoint-url', server.url, 'login', '--tool', 'gem', '--domain', DOMAIN, '--repository', 'app']);
  await cliOk(['--endpoint-url', server.url, 'login', '--tool', 'bundler', '--domain', DOMAIN, '--repository', 'app']);

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
  const runOk = async (command: string, args: string[], options: { cwd?: string; gemHome?: string } = {}) => {
    const result = await run(command, args, options);
    if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.code}:\n${result.stdout}\n${result.stderr}`);
    return result;
  };
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
      const module = name.split(/[-_]/).map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');
      writeFileSync(path.join(dir, 'lib', `${name}.rb`), options.body ?? `module ${module}\n  def self.hello\n    "hello from ${name} ${version}"\n  end\nend\n`);
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
