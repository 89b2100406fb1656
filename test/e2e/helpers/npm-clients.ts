/**
 * Shared setup for the end-to-end tests of the npm protocol with real clients (npm, pnpm,
 * Yarn 1): a temp root with domain "acme" and repository "main", a running `artifact-cli
 * serve`, a temp HOME whose .npmrc `artifact-cli login` wrote, and a way to run each client there. Nothing
 * touches the user's own files and no request leaves 127.0.0.1.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_DIR, runCli, runCliJson } from '../../helpers/run-cli.js';
import { runClient, type ClientResult } from '../../helpers/run-client.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

export const DOMAIN = 'acme';
export const REPOSITORY = 'main';
export const FIXTURES = path.join(PROJECT_DIR, 'fixtures', 'npm');

export type { ClientResult } from '../../helpers/run-client.js';
export { runClient } from '../../helpers/run-client.js';

export interface NpmRegistrySetup {
  root: string;
  home: string;
  server: TestServer;
  /** http://127.0.0.1:PORT/acme/npm/main/ */
  registry: string;
  token: string;
  /** The environment every client runs with: temp HOME, caches and user config, nothing inherited but PATH. */
  env: NodeJS.ProcessEnv;
  /** Runs a client (npm, or a path to pnpm/yarn) in `cwd` with that environment plus `extraEnv`. */
  run(command: string, args: string[], cwd: string, extraEnv?: NodeJS.ProcessEnv): Promise<ClientResult>;
  /** Like run, but fails with the client's output when it does not exit 0. */
  runOk(command: string, args: string[], cwd: string, extraEnv?: NodeJS.ProcessEnv): Promise<ClientResult>;
  /** A copy of fixtures/npm/<name> in a temp dir, with the version set, ready to publish. */
  fixtureCopy(name: string, version?: string): string;
  /** An empty project (package.json only) in a temp dir. */
  emptyProject(dependencies?: Record<string, string>): string;
}

export async function setupNpmRegistry(serveArgs: string[] = []): Promise<NpmRegistrySetup> {
  const root = makeTempDir('artifact-cli-e2e-root-');
  const home = makeTempDir('artifact-cli-e2e-home-');
  await runCliJson(['create-domain', '--domain', DOMAIN], { root });
  await runCliJson(['create-repository', '--domain', DOMAIN, '--repository', REPOSITORY], { root });
  const server = await startTestServer({ root, args: serveArgs });
  const registry = `${server.url}/${DOMAIN}/npm/${REPOSITORY}/`;

  const npmrc = path.join(home, '.npmrc');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    NO_COLOR: '1',
    npm_config_userconfig: npmrc,
    npm_config_cache: path.join(home, 'npm-cache'),
    npm_config_store_dir: path.join(home, 'pnpm-store'),
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    YARN_CACHE_FOLDER: path.join(home, 'yarn-cache'),
  };
  // What a user does: `artifact-cli login` writes the registry and a fresh token into .npmrc.
  const login = await runCli(['login', '--tool', 'npm', '--domain', DOMAIN, '--repository', REPOSITORY, '--endpoint-url', server.url], {
    root,
    env: { HOME: home, npm_config_userconfig: npmrc },
  });
  if (login.code !== 0) throw new Error(`artifact-cli login failed: ${login.stderr}`);
  const token = /:_authToken=(\S+)/.exec(readFileSync(npmrc, 'utf8'))?.[1];
  if (!token) throw new Error(`artifact-cli login wrote no token into ${npmrc}`);

  const run = (command: string, args: string[], cwd: string, extraEnv: NodeJS.ProcessEnv = {}) => runClient(command, args, cwd, { ...env, ...extraEnv });
  return {
    root,
    home,
    server,
    registry,
    token,
    env,
    run,
    async runOk(command, args, cwd, extraEnv) {
      const result = await run(command, args, cwd, extraEnv);
      if (result.code !== 0) throw new Error(`${path.basename(command)} ${args.join(' ')} exited ${result.code}:\n${result.stdout}\n${result.stderr}`);
      return result;
    },
    fixtureCopy(name, version) {
      const dir = path.join(makeTempDir(`artifact-cli-e2e-${name}-`), name);
      cpSync(path.join(FIXTURES, name), dir, { recursive: true });
      if (version) {
        const manifestPath = path.join(dir, 'package.json');
        writeFileSync(manifestPath, JSON.stringify({ ...JSON.parse(readFileSync(manifestPath, 'utf8')), version }, null, 2));
      }
      return dir;
    },
    emptyProject(dependencies = {}) {
      const dir = path.join(makeTempDir('artifact-cli-e2e-project-'), 'project');
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'e2e-project', version: '1.0.0', private: true, dependencies }, null, 2));
      return dir;
    },
  };
}

/**
 * The path of a client if it runs here. A missing client is a loud skip on a developer's
 * machine and a failure in CI, where every client must be installed.
 */
export function findClient(name: 'npm' | 'pnpm' | 'yarn'): string | undefined {
  const command = name === 'npm' ? 'npm' : path.join(PROJECT_DIR, 'node_modules', '.bin', name);
  const usable =
    (name === 'npm' || existsSync(command)) && spawnSync(command, ['--version'], { encoding: 'utf8', env: { PATH: process.env.PATH } }).status === 0;
  if (usable) return command;
  const message = `${name} cannot run here (${command}); its end-to-end tests are skipped. Run \`npm install\` to get pnpm and yarn.`;
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`SKIPPED: ${message}`);
  return undefined;
}
