// cargo's row of the per-format table: `cargo fetch` of a project depending on 30 crates (10
// direct ones, each needing two of the other 20), with an empty CARGO_HOME and no Cargo.lock,
// through artifact-cli cold (a fresh root whose public:crates-io connection points at the static
// copy), through artifact-cli warm (the same server again, the crates now stored), and from the
// static copy itself: a sparse index tree (config.json, one file per crate at its prefix path)
// and the .crate files, served by nginx. The crates are generated here: two versions each, a
// Cargo.toml and a lib.rs of about 30 KB. cargo reaches every registry as the crates-io source
// replaced by `[source.crates-io] replace-with`. Median of 3 (ms); server CPU from /proc, over
// the cold fetch alone (it starts once the fresh server has gone idle). The pass-through
// (pass-through.mjs) rewrites config.json's `dl`, so cargo downloads the crates through it too.
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tar from 'tar';
import { startStaticServer } from './ceiling.mjs';
import { installRounds } from './install-rounds.mjs';

export const name = 'cargo-fetch';
export const description = '`cargo fetch` of 30 crates (10 direct, 20 indirect) with an empty CARGO_HOME, median of 3 (ms)';

const CRATES = 30;
const DIRECT = 10;
const VERSIONS = ['1.0.0', '1.1.0'];
const REGISTRY = 'bench';

/** The index path of a name, as cargo asks for it (1/a, 2/ab, 3/a/abc, be/nc/bench). */
function indexPath(crate) {
  if (crate.length <= 2) return `${crate.length}/${crate}`;
  if (crate.length === 3) return `3/${crate[0]}/${crate}`;
  return `${crate.slice(0, 2)}/${crate.slice(2, 4)}/${crate}`;
}

/** A .crate as `cargo package` lays one out: `<name>-<version>/` holding Cargo.toml and src/. */
function packCrate(scratch, crate, version, deps) {
  const top = `${crate}-${version}`;
  const dir = path.join(scratch, top);
  mkdirSync(path.join(dir, 'src'), { recursive: true });
  const manifest = [
    '[package]',
    'edition = "2021"',
    `name = "${crate}"`,
    `version = "${version}"`,
    'description = "A crate for the benchmark"',
    'license = "MIT"',
    '',
    '[dependencies]',
    ...deps.map((dep) => `${dep} = "1"`),
    '',
  ];
  writeFileSync(path.join(dir, 'Cargo.toml'), manifest.join('\n'));
  // About 30 KB of source that compresses as little as real code does (roughly by half).
  const filler = randomBytes(15 * 1024)
    .toString('hex')
    .replace(/.{96}/g, '    // $&\n');
  writeFileSync(path.join(dir, 'src', 'lib.rs'), `pub fn version() -> &'static str {\n    "${version}"\n}\n\n${filler}\n`);
  const file = path.join(scratch, `${top}.crate`);
  tar.c({ gzip: true, sync: true, portable: true, cwd: scratch, file }, [top]);
  const bytes = readFileSync(file);
  rmSync(dir, { recursive: true, force: true });
  rmSync(file);
  return bytes;
}

/** The static copy under `dir`: index/config.json, index/<prefix>/<name>, crates/<name>/<name>-<version>.crate. */
export function buildTree(dir, base, prefix = 'bench-fetch') {
  const names = Array.from({ length: CRATES }, (_, i) => `${prefix}-${String(i).padStart(2, '0')}`);
  const scratch = path.join(dir, `scratch-${prefix}`);
  mkdirSync(path.join(dir, 'index'), { recursive: true });
  writeFileSync(path.join(dir, 'index', 'config.json'), JSON.stringify({ dl: `${base}/crates/{crate}/{crate}-{version}.crate` }));
  for (const [i, crate] of names.entries()) {
    const deps = i < DIRECT ? [names[DIRECT + i], names[2 * DIRECT + i]] : [];
    const lines = [];
    for (const version of VERSIONS) {
      const bytes = packCrate(scratch, crate, version, deps);
      mkdirSync(path.join(dir, 'crates', crate), { recursive: true });
      writeFileSync(path.join(dir, 'crates', crate, `${crate}-${version}.crate`), bytes);
      const indexDeps = deps.map((dep) => ({
        name: dep,
        req: '^1',
        features: [],
        optional: false,
        default_features: true,
        target: null,
        kind: 'normal',
        registry: null,
      }));
      lines.push(
        JSON.stringify({
          name: crate,
          vers: version,
          deps: indexDeps,
          cksum: createHash('sha256').update(bytes).digest('hex'),
          features: {},
          yanked: false,
          links: null,
        }),
      );
    }
    const file = path.join(dir, 'index', indexPath(crate));
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${lines.join('\n')}\n`);
  }
  rmSync(scratch, { recursive: true, force: true });
  return names;
}

/** The project cargo fetches: a library whose Cargo.toml names the 10 direct crates. */
export function writeProject(dir, names) {
  mkdirSync(path.join(dir, 'src'), { recursive: true });
  const manifest = [
    '[package]',
    'name = "bench-fetch-root"',
    'version = "0.1.0"',
    'edition = "2021"',
    '',
    '[dependencies]',
    ...names.slice(0, DIRECT).map((crate) => `${crate} = "1"`),
    '',
  ];
  writeFileSync(path.join(dir, 'Cargo.toml'), manifest.join('\n'));
  writeFileSync(path.join(dir, 'src', 'lib.rs'), '');
}

/** rustup's cargo when it is there (Debian's cargo-web otherwise), and whether it is new enough (1.74: auth-required). */
export function findCargo() {
  const candidates = [path.join(os.homedir(), '.cargo', 'bin', 'cargo'), 'cargo'];
  for (const command of candidates) {
    if (command !== 'cargo' && !existsSync(command)) continue;
    const probe = spawnSync(command, ['--version'], { encoding: 'utf8' });
    const match = /^cargo 1\.(\d+)\./.exec(probe.stdout ?? '');
    if (probe.status === 0 && match && Number(match[1]) >= 74) return command;
  }
  return undefined;
}

/** One `cargo fetch` with a fresh CARGO_HOME and no lockfile; resolves to its wall time in ms. */
export function cargoFetch(cargo, workDir, project, indexUrl, token, label) {
  const cargoHome = path.join(workDir, `cargo-home-${label.replace(/\W+/g, '-')}-${Date.now()}`);
  mkdirSync(cargoHome, { recursive: true });
  const config = [
    `[registries.${REGISTRY}]`,
    `index = "sparse+${indexUrl}"`,
    '',
    '[source.crates-io]',
    `replace-with = "${REGISTRY}"`,
    '',
    '[registry]',
    'global-credential-providers = ["cargo:token"]',
    '',
    '[net]',
    'retry = 0',
    '',
  ];
  writeFileSync(path.join(cargoHome, 'config.toml'), config.join('\n'));
  rmSync(path.join(project, 'Cargo.lock'), { force: true });
  const rustupHome = process.env.RUSTUP_HOME ?? path.join(os.homedir(), '.rustup');
  const env = {
    PATH: process.env.PATH,
    HOME: workDir,
    CARGO_HOME: cargoHome,
    CARGO_TERM_COLOR: 'never',
    CARGO_TERM_PROGRESS_WHEN: 'never',
    ...(existsSync(rustupHome) ? { RUSTUP_HOME: rustupHome } : {}),
  };
  if (token) env[`CARGO_REGISTRIES_${REGISTRY.toUpperCase()}_TOKEN`] = token;
  const start = process.hrtime.bigint();
  const result = spawnSync(cargo, ['fetch'], { cwd: project, env, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`cargo fetch (${label}) exited ${result.status}: ${result.stderr.slice(-2000)}`);
  const fetched = readFileSync(path.join(project, 'Cargo.lock'), 'utf8').match(/^name = "bench-[a-z]+-\d+"$/gm)?.length ?? 0;
  if (fetched !== CRATES) throw new Error(`cargo fetch (${label}) locked ${fetched} crates, not ${CRATES}`);
  rmSync(cargoHome, { recursive: true, force: true });
  return ms;
}

export async function run(context) {
  const cargo = findCargo();
  if (!cargo) return { rows: [], checks: [], notes: ['cargo 1.74 or later is not installed: the cargo row is skipped'] };
  const workDir = path.join(context.workDir, 'cargo-fetch');
  const tree = path.join(workDir, 'tree');
  mkdirSync(tree, { recursive: true });
  const staticCopy = await startStaticServer({ root: tree, workDir: context.workDir, types: { '/index/': 'text/plain', '/crates/': 'application/gzip' } });
  const names = buildTree(tree, staticCopy.base);
  const project = path.join(workDir, 'project');
  writeProject(project, names);
  return installRounds(context, {
    format: 'cargo',
    staticCopy,
    workDir,
    connection: 'public:crates-io',
    standinPath: '/index/',
    packages: CRATES,
    extensions: ['.crate'],
    install: ({ label, base, token }) => cargoFetch(cargo, workDir, project, token ? `${base}/` : `${base}/index/`, token, label),
  });
}
