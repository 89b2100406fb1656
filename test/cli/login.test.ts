/** `artifact-cli login` end to end: the built CLI writing into a temporary home, read back by real clients where present. */
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_DIR, runCli, runCliJson } from '../helpers/run-cli.js';
import { toolRuns } from '../helpers/required-tool.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { parseJson } from '../helpers/json.js';

let root: string;
/** A PATH whose `yarn` is a Yarn 1 stand-in, so the yarn login writes what Yarn 1 needs whatever yarn this machine has. */
let yarnOnePath: string;

beforeAll(async () => {
  const bin = makeTempDir('artifact-cli-yarn-one-');
  await fs.writeFile(path.join(bin, 'yarn'), '#!/bin/sh\necho 1.22.22\n', { mode: 0o755 });
  yarnOnePath = `${bin}${path.delimiter}${process.env.PATH}`;
  root = makeTempDir('artifact-cli-login-root-');
  await runCliJson(['create-domain', '--domain', 'acme'], { root });
  await runCliJson(['create-repository', '--domain', 'acme', '--repository', 'main'], { root });
});

/** A fresh home with every client override pointing inside it. */
function makeHome() {
  const home = makeTempDir('artifact-cli-login-home-');
  const env = { HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), npm_config_userconfig: path.join(home, '.npmrc'), PATH: yarnOnePath };
  const login = (...args: string[]) => runCli(['login', '--domain', 'acme', '--repository', 'main', ...args], { root, env });
  return { home, env, login };
}

const FILES: Record<string, string[]> = {
  npm: ['.npmrc'],
  pnpm: ['.npmrc'],
  yarn: ['.yarnrc.yml', '.npmrc'],
  pip: ['.config/pip/pip.conf'],
  twine: ['.pypirc'],
  maven: ['.m2/settings.xml'],
  gradle: ['.gradle/gradle.properties'],
  nuget: ['.nuget/NuGet/NuGet.Config'],
  dotnet: ['.nuget/NuGet/NuGet.Config'],
  gem: ['.gem/credentials', '.gemrc'],
  bundler: ['.bundle/config'],
};

const ENDPOINT_FORMAT: Record<string, string> = {
  npm: 'npm',
  pnpm: 'npm',
  yarn: 'npm',
  pip: 'pypi',
  twine: 'pypi',
  maven: 'maven',
  gradle: 'maven',
  nuget: 'nuget',
  dotnet: 'nuget',
  gem: 'ruby',
  bundler: 'ruby',
};

/** A client that reads back what login wrote; missing, a loud skip here and a failure in CI. */
const hasCommand = (command: string, args: string[]) => toolRuns(command, args, 'the config login wrote for it');

describe('artifact-cli login', () => {
  it.each(Object.keys(FILES))('--tool %s writes its files with mode 0600 and reports like aws codeartifact login', async (tool) => {
    const { home, login } = makeHome();
    const result = await login('--tool', tool);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const endpoint = `http://127.0.0.1:8573/acme/${ENDPOINT_FORMAT[tool]}/main/`;
    expect(result.stdout).toContain(`Successfully configured ${tool} to use artifact-cli repository ${endpoint}\n`);
    expect(result.stdout).toMatch(/Login expires in 12 hours at \d{4}-\d\d-\d\dT/);
    for (const file of FILES[tool]) {
      const stat = await fs.stat(path.join(home, file));
      expect(stat.mode & 0o777).toBe(0o600);
      const text = await fs.readFile(path.join(home, file), 'utf8');
      expect(text).toMatch(/acat_[\w-]{20,}/);
      // The token goes into the file, never onto the screen.
      expect(result.stdout).not.toContain(/acat_[\w-]+/.exec(text)?.[0]);
    }
  });

  it('--tool yarn writes no .npmrc (so no always-auth for npm to warn about) where the yarn on PATH is Yarn 2 or later', async () => {
    const { home, env } = makeHome();
    const bin = makeTempDir('artifact-cli-fake-yarn-');
    await fs.writeFile(path.join(bin, 'yarn'), '#!/bin/sh\necho 4.5.1\n', { mode: 0o755 });
    const result = await runCli(['login', '--domain', 'acme', '--repository', 'main', '--tool', 'yarn'], {
      root,
      env: { ...env, PATH: `${bin}:${process.env.PATH}` },
    });
    expect(result.code, result.stderr).toBe(0);
    expect((await fs.readdir(home)).sort()).toEqual(['.yarnrc.yml']);
    // Then `login --tool npm` after a Yarn 1 login leaves no always-auth behind.
    expect((await runCli(['login', '--domain', 'acme', '--repository', 'main', '--tool', 'yarn'], { root, env })).code).toBe(0);
    expect(await fs.readFile(path.join(home, '.npmrc'), 'utf8')).toContain(':always-auth=true');
    expect((await runCli(['login', '--domain', 'acme', '--repository', 'main', '--tool', 'npm'], { root, env })).code).toBe(0);
    expect(await fs.readFile(path.join(home, '.npmrc'), 'utf8')).not.toContain('always-auth');
  });

  it('--dry-run prints the would-be content, writes nothing and issues no token', async () => {
    const { home, login } = makeHome();
    const tokensFile = path.join(root, 'domains', 'acme', 'tokens.json');
    const before = await fs.readFile(tokensFile, 'utf8').catch(() => '');
    const result = await login('--tool', 'twine', '--dry-run');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Would write ${path.join(home, '.pypirc')}:`);
    expect(result.stdout).toContain('[codeartifact]\nrepository = http://127.0.0.1:8573/acme/pypi/main/\nusername = aws\npassword = DRY-RUN-NO-TOKEN-ISSUED\n');
    expect(result.stdout).not.toContain('acat_');
    expect(result.stdout).not.toContain('Successfully configured');
    expect(await fs.readdir(home)).toEqual([]);
    expect(await fs.readFile(tokensFile, 'utf8').catch(() => '')).toBe(before);
  });

  it('--tool gem and --tool bundler --dry-run show both files and write nothing', async () => {
    const { home, login } = makeHome();
    const gem = await login('--tool', 'gem', '--dry-run');
    expect(gem.code).toBe(0);
    expect(gem.stdout).toContain(`Would write ${path.join(home, '.gem', 'credentials')}:`);
    expect(gem.stdout).toContain('http://127.0.0.1:8573/acme/ruby/main: "DRY-RUN-NO-TOKEN-ISSUED"');
    expect(gem.stdout).toContain(`Would write ${path.join(home, '.gemrc')}:`);
    expect(gem.stdout).toMatch(/:sources:\n {2}- http:\/\/aws:DRY-RUN-NO-TOKEN-ISSUED@127\.0\.0\.1:8573\/acme\/ruby\/main\//);
    const bundler = await login('--tool', 'bundler', '--dry-run');
    expect(bundler.stdout).toContain('BUNDLE_HTTP://127__0__0__1:8573/ACME/RUBY/MAIN/: "aws:DRY-RUN-NO-TOKEN-ISSUED"');
    expect(gem.stdout + bundler.stdout).not.toContain('acat_');
    expect(await fs.readdir(home)).toEqual([]);
  });

  it("--tool gem twice keeps one key and one source, and the user's other settings", async () => {
    const { home, login } = makeHome();
    await fs.writeFile(path.join(home, '.gemrc'), '---\ngem: --no-document\n');
    expect((await login('--tool', 'gem')).code).toBe(0);
    expect((await login('--tool', 'gem')).code).toBe(0);
    const gemrc = await fs.readFile(path.join(home, '.gemrc'), 'utf8');
    expect(gemrc).toContain('gem: --no-document\n');
    expect(gemrc.match(/acme\/ruby\/main/g)).toHaveLength(1);
    expect((await fs.readFile(path.join(home, '.gem', 'credentials'), 'utf8')).match(/acme\/ruby\/main/g)).toHaveLength(1);
  });

  it('leaves one entry per key after two logins, and keeps the first backup', async () => {
    const { home, login } = makeHome();
    await fs.writeFile(path.join(home, '.npmrc'), '; mine\nsave-exact=true\n');
    expect((await login('--tool', 'npm')).code).toBe(0);
    expect((await login('--tool', 'npm')).code).toBe(0);
    const npmrc = await fs.readFile(path.join(home, '.npmrc'), 'utf8');
    expect(npmrc.match(/^registry=/gm)).toHaveLength(1);
    expect(npmrc.match(/:_authToken=/g)).toHaveLength(1);
    expect(npmrc.startsWith('; mine\nsave-exact=true\n')).toBe(true);
    expect(await fs.readFile(path.join(home, '.npmrc.bak'), 'utf8')).toBe('; mine\nsave-exact=true\n');

    expect((await login('--tool', 'maven')).code).toBe(0);
    expect((await login('--tool', 'maven')).code).toBe(0);
    const settings = await fs.readFile(path.join(home, '.m2', 'settings.xml'), 'utf8');
    expect(settings.match(/<server>/g)).toHaveLength(1);
    expect(settings.match(/<activeProfile>/g)).toHaveLength(1);
  });

  it('--output json returns the result without the token', async () => {
    const { home, login } = makeHome();
    const result = await login('--tool', 'nuget', '--duration-seconds', '900', '--output', 'json');
    expect(result.code).toBe(0);
    const parsed = parseJson<{ expiration: string }>(result.stdout);
    expect(parsed).toMatchObject({
      tool: 'nuget',
      repositoryEndpoint: 'http://127.0.0.1:8573/acme/nuget/main/',
      dryRun: false,
      files: [{ path: path.join(home, '.nuget', 'NuGet', 'NuGet.Config'), status: 'created' }],
    });
    const minutes = (Date.parse(parsed.expiration) - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(13);
    expect(minutes).toBeLessThanOrEqual(15);
    expect(result.stdout).not.toContain('acat_');
  });

  it('uses the server address from --endpoint-url', async () => {
    const { home, env } = makeHome();
    const result = await runCli(['--endpoint-url', 'http://127.0.0.1:9999/', 'login', '--tool', 'pnpm', '--domain', 'acme', '--repository', 'main'], {
      root,
      env,
    });
    expect(result.code).toBe(0);
    expect(await fs.readFile(path.join(home, '.npmrc'), 'utf8')).toContain(
      'registry=http://127.0.0.1:9999/acme/npm/main/\n//127.0.0.1:9999/acme/npm/main/:_authToken=',
    );
  });

  it.each([
    [
      ['--tool', 'bower'],
      2,
      /^error Validation: --tool must be one of npm, pnpm, yarn, pip, twine, maven, gradle, nuget, dotnet, cargo, gem, bundler, swift, aws; got "bower"\.\n$/,
    ],
    [['--tool', 'npm', '--registry-name', 'corp'], 2, /^error Validation: --registry-name is only for --tool cargo\.\n$/],
    [['--tool', 'npm', '--namespace', '@Bad!'], 2, /^error Validation: --namespace "@Bad!" is not a valid npm scope/],
    [['--tool', 'pip', '--namespace', 'acme'], 2, /^error Validation: --namespace is only for npm, pnpm, yarn/],
    [['--tool', 'npm', '--duration-seconds', '100'], 2, /^error Validation: --duration-seconds/],
  ])('refuses %j with exit %i and a one-line message', async (args, code, message) => {
    const { home, login } = makeHome();
    const result = await login(...args);
    expect(result.code).toBe(code);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
    expect(await fs.readdir(home)).toEqual([]);
  });

  it.each([
    ['a newline, which wrote a line of its own into .npmrc', 'http://127.0.0.1:9999/a\nalways-auth=true', /without spaces or control characters/],
    ['a space', 'http://127.0.0.1:9999/a b', /without spaces or control characters/],
    ['a query', 'http://127.0.0.1:9999/?x=1', /without a query or fragment/],
  ])('refuses an --endpoint-url with %s, writing nothing', async (_what, url, message) => {
    const { home, env } = makeHome();
    const result = await runCli(['--endpoint-url', url, 'login', '--tool', 'npm', '--domain', 'acme', '--repository', 'main'], { root, env });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error Validation: Setting server\.publicUrl from --endpoint-url must be an http\(s\) URL /);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(await fs.readdir(home)).toEqual([]);
  });

  it('refuses an unknown domain with exit 5', async () => {
    const { env } = makeHome();
    const result = await runCli(['login', '--tool', 'npm', '--domain', 'nope', '--repository', 'main'], { root, env });
    expect(result.code).toBe(5);
    expect(result.stderr.split('\n')[0]).toBe('error ResourceNotFound: Domain nope does not exist.');
  });

  it.runIf(hasCommand('python3', ['-m', 'pip', '--version']))('pip config list shows the index-url written to PIP_CONFIG_FILE', async () => {
    const { home, env } = makeHome();
    const pipConf = path.join(home, 'custom', 'pip.ini');
    const result = await runCli(['login', '--tool', 'pip', '--domain', 'acme', '--repository', 'main'], { root, env: { ...env, PIP_CONFIG_FILE: pipConf } });
    expect(result.code).toBe(0);
    const pip = spawnSync('python3', ['-m', 'pip', 'config', 'list'], {
      env: { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: env.XDG_CONFIG_HOME, PIP_CONFIG_FILE: pipConf },
      encoding: 'utf8',
    });
    expect(pip.status).toBe(0);
    expect(pip.stdout).toMatch(/^global\.index-url='http:\/\/aws:acat_[\w-]+@127\.0\.0\.1:8573\/acme\/pypi\/main\/simple\/'$/m);
  });

  it.runIf(hasCommand('npm', ['--version']))('npm config get registry shows the registry written to npm_config_userconfig', async () => {
    const { home, env, login } = makeHome();
    expect((await login('--tool', 'npm')).code).toBe(0);
    const npm = spawnSync('npm', ['config', 'get', 'registry'], {
      cwd: home,
      env: { PATH: process.env.PATH, HOME: home, npm_config_userconfig: env.npm_config_userconfig, npm_config_cache: path.join(home, '.npm-cache') },
      encoding: 'utf8',
    });
    expect(npm.status).toBe(0);
    expect(npm.stdout.trim()).toBe('http://127.0.0.1:8573/acme/npm/main/');
  });

  // pnpm and Yarn 1 are dev dependencies of this project, for the e2e tests.
  const localBin = (name: string) => path.join(PROJECT_DIR, 'node_modules', '.bin', name);

  it.runIf(hasCommand(localBin('pnpm'), ['--version']))('pnpm reads the scoped registry login wrote', async () => {
    const { home, env, login } = makeHome();
    expect((await login('--tool', 'pnpm', '--namespace', 'acme')).code).toBe(0);
    const pnpm = spawnSync(localBin('pnpm'), ['config', 'get', '@acme:registry'], {
      cwd: home,
      env: { PATH: process.env.PATH, HOME: home, npm_config_userconfig: env.npm_config_userconfig },
      encoding: 'utf8',
    });
    expect(pnpm.status).toBe(0);
    expect(pnpm.stdout.trim()).toBe('http://127.0.0.1:8573/acme/npm/main/');
  });

  it.runIf(hasCommand(localBin('yarn'), ['--version']))('Yarn 1 reads the registry from the .npmrc the yarn tool also writes', async () => {
    const { home, login } = makeHome();
    expect((await login('--tool', 'yarn')).code).toBe(0);
    const yarn = spawnSync(localBin('yarn'), ['config', 'list', '--silent'], { cwd: home, env: { PATH: process.env.PATH, HOME: home }, encoding: 'utf8' });
    expect(yarn.status).toBe(0);
    // Yarn 1 prints its own settings, then the npm settings it read; the registry must be in the latter.
    const npmSettings = yarn.stdout.slice(yarn.stdout.lastIndexOf('{'));
    expect(npmSettings).toContain("registry: 'http://127.0.0.1:8573/acme/npm/main/'");
  });
});
