/**
 * `login --tool swift`: registries.json as `swift package-registry set` leaves it and the token in
 * ~/.netrc as `swift package-registry login --token` writes it on Linux; the writers alone, then
 * the built CLI writing into a temporary home and project.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderNetrc } from '../../src/login/netrc.js';
import { renderRegistries } from '../../src/login/swift-registries.js';
import { runCli, runCliJson } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { sampleInput, TOKEN } from './sample-input.js';
import { parseJson } from '../helpers/json.js';

/** The members of registries.json these tests read. */
interface RegistriesJson {
  authentication: Record<string, unknown>;
  registries: Record<string, { url: string }>;
  extra?: unknown;
}

const ENDPOINT = 'http://127.0.0.1:8573/acme/swift/main/';
const input = sampleInput({ endpoint: ENDPOINT });

describe('registries.json writer', () => {
  it('sets the [default] registry, and for https a token login keyed by host and port as SwiftPM keys it', () => {
    const https = 'https://packages.example.invalid:8443/acme/swift/main/';
    expect(JSON.parse(renderRegistries(undefined, sampleInput({ endpoint: https })))).toEqual({
      authentication: { 'packages.example.invalid:8443': { loginAPIPath: '/acme/swift/main/login', type: 'token' } },
      registries: { '[default]': { supportsAvailability: false, url: https } },
      version: 1,
    });
    // Without a port in the URL the key is the host alone.
    const plain = parseJson<RegistriesJson>(renderRegistries(undefined, sampleInput({ endpoint: 'https://Packages.example.invalid/acme/swift/main/' })));
    expect(Object.keys(plain.authentication)).toEqual(['packages.example.invalid']);
  });

  it("writes no authentication entry for a plain-http endpoint (SwiftPM's publish --allow-insecure-http refuses one), and drops a stale one", () => {
    const stale = JSON.stringify({
      authentication: { '127.0.0.1:8573': { type: 'token' }, 'other.example.invalid': { type: 'basic' } },
      registries: {},
      version: 1,
    });
    expect(JSON.parse(renderRegistries(stale, input))).toEqual({
      authentication: { 'other.example.invalid': { type: 'basic' } },
      registries: { '[default]': { supportsAvailability: false, url: ENDPOINT } },
      version: 1,
    });
  });

  it('keeps other scopes, hosts and keys, and replaces the [default] registry', () => {
    const before = JSON.stringify({
      authentication: { 'packages.example.invalid': { type: 'basic' } },
      registries: { '[default]': { url: 'https://old.example.invalid/' }, acme: { url: 'https://packages.example.invalid/', supportsAvailability: true } },
      version: 1,
      extra: { kept: true },
    });
    const after = parseJson<RegistriesJson>(renderRegistries(before, input));
    expect(after.registries).toEqual({
      '[default]': { url: ENDPOINT, supportsAvailability: false },
      acme: { url: 'https://packages.example.invalid/', supportsAvailability: true },
    });
    expect(after.authentication['packages.example.invalid']).toEqual({ type: 'basic' });
    expect(after.extra).toEqual({ kept: true });
  });

  it('refuses a file that is not a JSON object, so nothing is written', () => {
    expect(() => renderRegistries('{ "registries": ', input)).toThrow(/is not valid JSON/);
    expect(() => renderRegistries('{ "registries": [] }', input)).toThrow(/"registries" that is not a JSON object/);
  });
});

describe('.netrc writer', () => {
  it('adds a machine entry with login token', () => {
    expect(renderNetrc(undefined, input)).toBe(`machine 127.0.0.1 login token password ${TOKEN}\n`);
  });

  it("keeps other machines, default and macdef blocks and comments, and replaces the host's entry in place", () => {
    const before = [
      '# my machines',
      'machine git.example.invalid',
      '  login me',
      '  password secret-one',
      'machine 127.0.0.1 login token password old-token',
      'macdef init',
      'machine 127.0.0.1 inside a macro body stays',
      '',
      'default login anonymous password me@example.invalid',
      '',
    ].join('\n');
    const after = renderNetrc(before, input);
    expect(after).toBe(before.replace('machine 127.0.0.1 login token password old-token', `machine 127.0.0.1 login token password ${TOKEN}`));
  });

  it('puts a new entry before `default`, which SwiftPM requires to be the last entry', () => {
    const before = 'machine git.example.invalid login me password one\ndefault login anonymous password guest\n';
    expect(renderNetrc(before, input)).toBe(
      `machine git.example.invalid login me password one\nmachine 127.0.0.1 login token password ${TOKEN}\ndefault login anonymous password guest\n`,
    );
    // A keyword as a value is no entry of its own.
    expect(renderNetrc('machine a login default password x\n', input)).toBe(
      `machine a login default password x\nmachine 127.0.0.1 login token password ${TOKEN}\n`,
    );
  });

  it('drops duplicate entries for the host after the first', () => {
    const after = renderNetrc('machine 127.0.0.1 login a password b\nmachine other login c password d\nmachine 127.0.0.1 login e password f\n', input);
    expect(after).toBe(`machine 127.0.0.1 login token password ${TOKEN}\nmachine other login c password d\n`);
  });
});

describe('artifact-cli login --tool swift', () => {
  let root: string;

  beforeAll(async () => {
    root = makeTempDir('artifact-cli-swift-login-root-');
    await runCliJson(['create-domain', '--domain', 'acme'], { root });
    await runCliJson(['create-repository', '--domain', 'acme', '--repository', 'main'], { root });
  });

  function makeHome() {
    const home = makeTempDir('artifact-cli-swift-login-home-');
    const project = path.join(home, 'project');
    // runCli points XDG_CONFIG_HOME elsewhere; empty, login takes it as unset (~/.swiftpm).
    return { home, project, env: { HOME: home, XDG_CONFIG_HOME: '' } };
  }

  it('writes ~/.swiftpm/configuration/registries.json and ~/.netrc (0600, other machines kept)', async () => {
    const { home, env } = makeHome();
    await fs.writeFile(path.join(home, '.netrc'), 'machine git.example.invalid login me password keep-me\n', { mode: 0o600 });
    const result = await runCli(['login', '--tool', 'swift', '--domain', 'acme', '--repository', 'main'], { root, env });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Successfully configured swift to use artifact-cli repository ${ENDPOINT}`);
    const registries = parseJson<RegistriesJson>(await fs.readFile(path.join(home, '.swiftpm/configuration/registries.json'), 'utf8'));
    expect(registries.registries['[default]'].url).toBe(ENDPOINT);
    expect(registries.authentication).toEqual({});
    expect(result.stdout).toContain('--allow-insecure-http');
    const netrc = await fs.readFile(path.join(home, '.netrc'), 'utf8');
    expect(netrc).toMatch(/^machine git\.example\.invalid login me password keep-me\nmachine 127\.0\.0\.1 login token password acat_[\w-]{20,}\n$/);
    expect((await fs.stat(path.join(home, '.netrc'))).mode & 0o777).toBe(0o600);
    expect(result.stdout).not.toContain(/password (acat_\S+)/.exec(netrc)?.[1]);
  });

  it('writes registries.json under $XDG_CONFIG_HOME/swiftpm/configuration when that is set, as SwiftPM on Linux reads it', async () => {
    const { home, env } = makeHome();
    const xdg = path.join(home, 'xdg');
    const result = await runCli(['login', '--tool', 'swift', '--domain', 'acme', '--repository', 'main'], { root, env: { ...env, XDG_CONFIG_HOME: xdg } });
    expect(result.code, result.stderr).toBe(0);
    expect(parseJson<RegistriesJson>(await fs.readFile(path.join(xdg, 'swiftpm/configuration/registries.json'), 'utf8')).registries['[default]'].url).toBe(
      ENDPOINT,
    );
    await expect(fs.stat(path.join(home, '.swiftpm'))).rejects.toThrow();
  });

  it('--scope-file project writes .swiftpm/configuration/registries.json in the working directory', async () => {
    const { home, project, env } = makeHome();
    await fs.mkdir(project, { recursive: true });
    const result = await runCli(['login', '--tool', 'swift', '--domain', 'acme', '--repository', 'main', '--scope-file', 'project'], {
      root,
      env,
      cwd: project,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(parseJson<RegistriesJson>(await fs.readFile(path.join(project, '.swiftpm/configuration/registries.json'), 'utf8')).registries['[default]'].url).toBe(
      ENDPOINT,
    );
    await expect(fs.stat(path.join(home, '.swiftpm'))).rejects.toThrow();
    expect(await fs.readFile(path.join(home, '.netrc'), 'utf8')).toMatch(/^machine 127\.0\.0\.1 login token password acat_/);
  });

  it('--dry-run shows both files and writes nothing', async () => {
    const { home, env } = makeHome();
    const result = await runCli(['login', '--tool', 'swift', '--domain', 'acme', '--repository', 'main', '--dry-run', '--output', 'json'], { root, env });
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { dryRun: boolean; files: { path: string; content: string }[] };
    expect(report.dryRun).toBe(true);
    expect(report.files.map((file) => path.relative(home, file.path))).toEqual(['.swiftpm/configuration/registries.json', '.netrc']);
    expect(report.files[1].content).toBe('machine 127.0.0.1 login token password DRY-RUN-NO-TOKEN-ISSUED\n');
    expect(await fs.readdir(home)).toEqual([]);
  });

  it('refuses --scope-file for other tools and values other than user and project', async () => {
    const { env } = makeHome();
    const other = await runCli(['login', '--tool', 'npm', '--domain', 'acme', '--repository', 'main', '--scope-file', 'project'], { root, env });
    expect([other.code, other.stderr.trim()]).toEqual([2, 'error Validation: --scope-file is only for --tool swift.']);
    const value = await runCli(['login', '--tool', 'swift', '--domain', 'acme', '--repository', 'main', '--scope-file', 'global'], { root, env });
    expect(value.code).toBe(2);
    expect(value.stderr).toMatch(/^error Validation: --scope-file must be user or project; got "global"\./);
  });
});
