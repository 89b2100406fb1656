/**
 * Real cargo against a real `artifact-cli serve`, set up as a user does it: a store repository
 * holding public:crates-io (played by a local stand-in), a main repository above it, and
 * `login --tool cargo`. Then publish (a library with a dependency on another crate of the
 * repository and features), fetch and build offline, search, yank, a crate from the connection
 * that keeps building after the stand-in goes away (also through `[source.crates-io] replace-with`),
 * and a refused token shown by cargo.
 */
import { cpSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cargoEnv, findCargo, runCargo } from '../helpers/cargo-client.js';
import { startFakeCargoIndex, type FakeCargoIndex } from '../helpers/fake-cargo-index.js';
import type { ClientResult } from '../helpers/run-client.js';
import { runCli, runCliJson } from '../helpers/run-cli.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const haveCargo = findCargo();
const REGISTRY = 'acme-main';

let fake: FakeCargoIndex;
let server: TestServer;
let root: string;
let home: string;
let projects: string;

function ok(result: ClientResult, what: string): ClientResult {
  if (result.code !== 0) throw new Error(`${what} exited ${result.code}:\n${result.stdout}\n${result.stderr}`);
  return result;
}

function cargo(args: string[], cwd: string, cargoHome?: string): Promise<ClientResult> {
  return runCargo(args, cwd, cargoEnv(home, cargoHome));
}

/** A crate folder with this Cargo.toml and source file. */
function writeCrate(name: string, manifest: string[], source: [file: string, text: string]): string {
  const dir = path.join(projects, name);
  mkdirSync(path.join(dir, 'src'), { recursive: true });
  writeFileSync(path.join(dir, 'Cargo.toml'), `${manifest.join('\n')}\n`);
  writeFileSync(path.join(dir, 'src', source[0]), source[1]);
  return dir;
}

/** A fresh CARGO_HOME with only the files login wrote: nothing downloaded or cached yet. */
function freshCargoHome(): string {
  const dir = makeTempDir('cargo-e2e-cargo-home-');
  for (const file of ['config.toml', 'credentials.toml']) cpSync(path.join(home, '.cargo', file), path.join(dir, file));
  return dir;
}

const cli = (args: string[]) => runCliJson([...args, '--output', 'json'], { root });

beforeAll(async () => {
  if (!haveCargo) return;
  fake = await startFakeCargoIndex();
  fake.add('pubdep', '1.0.0');
  fake.add('pubdep', '1.1.0');
  root = makeTempDir('cargo-e2e-root-');
  home = makeTempDir('cargo-e2e-home-');
  projects = makeTempDir('cargo-e2e-projects-');
  const configFile = path.join(makeTempDir('cargo-e2e-config-'), 'artifact-cli.config.json');
  writeFileSync(configFile, JSON.stringify({ externalConnections: { 'public:crates-io': fake.url } }));
  await cli(['create-domain', '--domain', 'acme']);
  await cli(['create-repository', '--domain', 'acme', '--repository', 'store']);
  await cli(['associate-external-connection', '--domain', 'acme', '--repository', 'store', '--external-connection', 'public:crates-io']);
  await cli(['create-repository', '--domain', 'acme', '--repository', 'main', '--upstreams', 'repositoryName=store']);
  server = await startTestServer({ root, args: ['--config', configFile] });
  const login = await runCli(['login', '--tool', 'cargo', '--domain', 'acme', '--repository', 'main', '--endpoint-url', server.url], {
    root,
    env: { HOME: home },
  });
  expect(login.code, login.stderr).toBe(0);
}, 120_000);

afterAll(async () => {
  await fake?.close();
});

describe.skipIf(!haveCargo)('cargo against artifact-cli serve', () => {
  it('login wrote the sparse registry into config.toml and the token into credentials.toml (0600)', () => {
    const config = readFileSync(path.join(home, '.cargo', 'config.toml'), 'utf8');
    expect(config).toContain(`[registries.${REGISTRY}]\nindex = "sparse+${server.url}/acme/cargo/main/"`);
    const credentials = path.join(home, '.cargo', 'credentials.toml');
    expect(readFileSync(credentials, 'utf8')).toMatch(new RegExp(`^\\[registries\\.${REGISTRY}\\]\\ntoken = "[^"]+"\\n$`));
    expect(statSync(credentials).mode & 0o777).toBe(0o600);
  });

  it('publishes a library with a feature, and one that depends on it through the same registry', async () => {
    for (const vers of ['0.1.0', '0.1.1']) {
      const dir = writeCrate(
        `base-${vers}`,
        [
          '[package]',
          'name = "base"',
          `version = "${vers}"`,
          'edition = "2021"',
          'description = "base crate"',
          'license = "MIT"',
          '',
          '[features]',
          'extra = []',
        ],
        ['lib.rs', `pub fn base() -> &'static str { if cfg!(feature = "extra") { "base ${vers} with extra" } else { "base ${vers}" } }\n`],
      );
      ok(await cargo(['publish', '--registry', REGISTRY, '--allow-dirty', '--no-verify'], dir), `cargo publish base ${vers}`);
    }
    const mid = writeCrate(
      'mid',
      [
        '[package]',
        'name = "mid-lib"',
        'version = "0.2.0"',
        'edition = "2021"',
        'description = "the middle layer"',
        'license = "Apache-2.0"',
        'homepage = "https://example.invalid/mid"',
        'repository = "https://example.invalid/mid.git"',
        '',
        '[dependencies]',
        `base = { version = "0.1", registry = "${REGISTRY}", optional = true }`,
        '',
        '[features]',
        'default = ["with-base"]',
        'with-base = ["dep:base", "base/extra"]',
      ],
      ['lib.rs', 'pub fn hello() -> String { format!("mid+{}", base::base()) }\n'],
    );
    const published = ok(await cargo(['publish', '--registry', REGISTRY, '--allow-dirty'], mid), 'cargo publish mid-lib');
    expect(published.stderr).toMatch(/Published mid-lib v0\.2\.0/);
  });

  it('fetches through artifact-cli, then builds offline: registry crates and one from the connection', async () => {
    const app = writeCrate(
      'app',
      [
        '[package]',
        'name = "app"',
        'version = "0.1.0"',
        'edition = "2021"',
        '',
        '[dependencies]',
        `mid-lib = { version = "0.2", registry = "${REGISTRY}" }`,
        `base = { version = "0.1", registry = "${REGISTRY}" }`,
        `pubdep = { version = "1", registry = "${REGISTRY}" }`,
      ],
      ['main.rs', 'fn main() { println!("{} {} pubdep {}", mid_lib::hello(), base::base(), pubdep::version()); }\n'],
    );
    ok(await cargo(['fetch'], app), 'cargo fetch');
    ok(await cargo(['build', '--offline'], app), 'cargo build --offline');
    const run = ok(await cargo(['run', '--offline', '-q'], app), 'cargo run');
    expect(run.stdout.trim()).toBe('mid+base 0.1.1 with extra base 0.1.1 with extra pubdep 1.1.0');
    const lock = readFileSync(path.join(app, 'Cargo.lock'), 'utf8');
    expect(lock).toMatch(/name = "base"\nversion = "0\.1\.1"/);
    // The crate from the connection is kept in the repository asked and in the one holding the connection.
    for (const repository of ['main', 'store']) {
      const versions = await cli(['list-package-versions', '--domain', 'acme', '--repository', repository, '--format', 'cargo', '--package', 'pubdep']);
      expect((versions.versions as { version: string; origin: { originType: string } }[]).map((entry) => [entry.version, entry.origin.originType])).toEqual([
        ['1.1.0', 'EXTERNAL'],
      ]);
    }
  });

  it('cargo search finds the published crate', async () => {
    const search = ok(await cargo(['search', '--registry', REGISTRY, 'mid'], projects), 'cargo search');
    expect(search.stdout).toContain('mid-lib = "0.2.0"');
    expect(search.stdout).toContain('the middle layer');
  });

  it('after a yank a new resolve skips the version, and the old lockfile still builds from scratch', async () => {
    ok(await cargo(['yank', '--registry', REGISTRY, '--version', '0.1.1', 'base'], projects), 'cargo yank');
    const fresh = writeCrate(
      'fresh',
      ['[package]', 'name = "fresh"', 'version = "0.1.0"', 'edition = "2021"', '', '[dependencies]', `base = { version = "0.1", registry = "${REGISTRY}" }`],
      ['main.rs', 'fn main() { println!("{}", base::base()); }\n'],
    );
    ok(await cargo(['generate-lockfile'], fresh), 'cargo generate-lockfile');
    expect(readFileSync(path.join(fresh, 'Cargo.lock'), 'utf8')).toMatch(/name = "base"\nversion = "0\.1\.0"/);
    // A CARGO_HOME with nothing cached: the yanked 0.1.1 the lockfile names is downloaded again.
    const app = path.join(projects, 'app');
    const run = ok(await cargo(['run', '--locked', '-q'], app, freshCargoHome()), 'cargo run --locked');
    expect(run.stdout).toContain('base 0.1.1');
  });

  it('a crate from the connection keeps resolving and building after the stand-in goes away', async () => {
    await fake.close();
    const app = path.join(projects, 'app');
    const run = ok(await cargo(['run', '--locked', '-q'], app, freshCargoHome()), 'cargo run without the stand-in');
    expect(run.stdout).toContain('pubdep 1.1.0');
    const later = writeCrate(
      'later',
      ['[package]', 'name = "later"', 'version = "0.1.0"', 'edition = "2021"', '', '[dependencies]', `pubdep = { version = "1", registry = "${REGISTRY}" }`],
      ['main.rs', 'fn main() { println!("{}", pubdep::version()); }\n'],
    );
    ok(await cargo(['generate-lockfile'], later, freshCargoHome()), 'cargo generate-lockfile without the stand-in');
    expect(readFileSync(path.join(later, 'Cargo.lock'), 'utf8')).toMatch(/name = "pubdep"\nversion = "1\.1\.0"/);
  });

  it('serves dependencies on the public registry by source replacement, from what it keeps', async () => {
    const plain = writeCrate(
      'plain',
      ['[package]', 'name = "plain"', 'version = "0.1.0"', 'edition = "2021"', '', '[dependencies]', 'pubdep = "1"'],
      ['main.rs', 'fn main() { println!("plain {}", pubdep::version()); }\n'],
    );
    mkdirSync(path.join(plain, '.cargo'));
    writeFileSync(path.join(plain, '.cargo', 'config.toml'), `[source.crates-io]\nreplace-with = "${REGISTRY}"\n`);
    const run = ok(await cargo(['run', '-q'], plain, freshCargoHome()), 'cargo run with crates-io replaced');
    expect(run.stdout.trim()).toBe('plain 1.1.0');
  });

  it('shows the reason when the token is refused', async () => {
    const dir = writeCrate(
      'refused',
      ['[package]', 'name = "refused"', 'version = "0.1.0"', 'edition = "2021"', 'description = "x"', 'license = "MIT"'],
      ['lib.rs', ''],
    );
    const env = { ...cargoEnv(home), CARGO_REGISTRIES_ACME_MAIN_TOKEN: 'not-a-real-token' };
    const result = await runCargo(['publish', '--registry', REGISTRY, '--allow-dirty', '--no-verify'], dir, env);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('The token is not valid for domain acme');
  });

  it('the CLI lists, describes and maps the published versions', async () => {
    const midLibVersion = ['--domain', 'acme', '--repository', 'main', '--format', 'cargo', '--package', 'mid-lib', '--package-version', '0.2.0'];
    const packages = await cli(['list-packages', '--domain', 'acme', '--repository', 'main', '--format', 'cargo']);
    expect((packages.packages as { package: string }[]).map((entry) => entry.package).sort()).toEqual(['base', 'mid-lib', 'pubdep']);
    const described = await cli(['describe-package-version', ...midLibVersion]);
    expect(described.packageVersion).toMatchObject({
      summary: 'the middle layer',
      homePage: 'https://example.invalid/mid',
      sourceCodeRepository: 'https://example.invalid/mid.git',
      licenses: [{ name: 'Apache-2.0' }],
      status: 'Published',
    });
    const dependencies = await cli(['list-package-version-dependencies', ...midLibVersion]);
    expect(dependencies.dependencies).toEqual([{ dependencyType: 'normal', package: 'base', versionRequirement: '^0.1' }]);
    const assets = await cli(['list-package-version-assets', ...midLibVersion]);
    expect((assets.assets as { name: string }[]).map((asset) => asset.name)).toEqual(['mid-lib-0.2.0.crate']);
    // --package is lowercased as the crate is stored, so any casing finds it.
    const base = await cli(['list-package-versions', '--domain', 'acme', '--repository', 'main', '--format', 'cargo', '--package', 'Base']);
    expect((base.versions as { version: string; status: string }[]).map((entry) => [entry.version, entry.status]).sort()).toEqual([
      ['0.1.0', 'Published'],
      ['0.1.1', 'Unlisted'],
    ]);
  });
});
