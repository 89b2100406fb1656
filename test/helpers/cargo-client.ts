/**
 * The real `cargo` for the end-to-end tests: found on PATH and new enough for a sparse registry
 * that requires auth (cargo 1.74, CodeArtifact's floor too). A missing or older cargo is a loud
 * skip here and a failure under CI=true (.ci/run installs Debian's cargo-web). Every run gets
 * the temporary HOME and CARGO_HOME of its test; RUSTUP_HOME keeps pointing at the real one so a
 * rustup-managed toolchain is still found.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runClient, type ClientResult } from './run-client.js';

const MIN_MINOR = 74;

export function findCargo(): boolean {
  const probe = spawnSync('cargo', ['--version'], { encoding: 'utf8', timeout: 60_000 });
  const match = /^cargo 1\.(\d+)\./.exec(probe.stdout ?? '');
  if (probe.status === 0 && match && Number(match[1]) >= MIN_MINOR) return true;
  const found = probe.status === 0 ? `found ${probe.stdout.trim()}, older than 1.${MIN_MINOR}` : 'not installed';
  const message = `cargo is ${found}: the Cargo end-to-end tests are skipped (.ci/run installs Debian's cargo-web).`;
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`WARNING: ${message}`);
  return false;
}

export function cargoEnv(home: string, cargoHome = path.join(home, '.cargo')): NodeJS.ProcessEnv {
  const rustupHome = process.env.RUSTUP_HOME ?? path.join(os.homedir(), '.rustup');
  return {
    PATH: process.env.PATH,
    HOME: home,
    CARGO_HOME: cargoHome,
    ...(existsSync(rustupHome) ? { RUSTUP_HOME: rustupHome } : {}),
    CARGO_TERM_COLOR: 'never',
    CARGO_TERM_PROGRESS_WHEN: 'never',
    // No git in the test projects, and builds stay quiet and single-job on a shared machine.
    CARGO_NET_RETRY: '0',
    CARGO_BUILD_JOBS: '1',
  };
}

export function runCargo(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<ClientResult> {
  return runClient('cargo', args, cwd, env);
}
