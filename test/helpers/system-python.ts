/**
 * The operating system's own Python (Debian's /usr/bin/python3, whose venv gives pip 23.0.1 on
 * Debian 12) rather than whatever a version manager puts first on PATH, and the newest pip wheel
 * already on the machine, for tests that must run the pip releases users really have.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import semver from 'semver';

const SYSTEM_PYTHON = '/usr/bin/python3';

/** /usr/bin/python3 when it can make venvs with pip; a loud skip locally, a failure under CI. */
export function findSystemPython(): string | undefined {
  const works = spawnSync(SYSTEM_PYTHON, ['-c', 'import venv, ensurepip'], { stdio: 'ignore', timeout: 30_000 }).status === 0;
  if (works) return SYSTEM_PYTHON;
  const message = `${SYSTEM_PYTHON} with venv is not installed: the system-pip tests are skipped (.ci/run installs python3-venv).`;
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`WARNING: ${message}`);
  return undefined;
}

/** Folders where pip wheels sit without any download: Debian's, bundled ones, a local mirror. */
function wheelFolders(): string[] {
  const folders = ['/usr/share/python-wheels', '/opt/pypi/files'];
  if (process.env.ARTIFACT_CLI_TEST_WHEELS) folders.unshift(process.env.ARTIFACT_CLI_TEST_WHEELS);
  const pyenv = path.join(process.env.PYENV_ROOT ?? path.join(process.env.HOME ?? '/root', '.pyenv'), 'versions');
  if (existsSync(pyenv)) {
    for (const version of readdirSync(pyenv)) {
      const lib = path.join(pyenv, version, 'lib');
      if (!existsSync(lib)) continue;
      for (const python of readdirSync(lib)) folders.push(path.join(lib, python, 'ensurepip', '_bundled'));
    }
  }
  return folders;
}

/** The highest-versioned pip-*.whl found that is newer than the system venv's pip, if any. */
export function findNewestPipWheel(): { file: string; version: string } | undefined {
  let best: { file: string; version: string } | undefined;
  for (const folder of wheelFolders()) {
    if (!existsSync(folder)) continue;
    for (const name of readdirSync(folder)) {
      const match = /^pip-(\d+\.\d+(?:\.\d+)?)-py3-none-any\.whl$/.exec(name);
      if (!match) continue;
      const version = match[1];
      if (!best || semver.gt(semver.coerce(version)!, semver.coerce(best.version)!)) best = { file: path.join(folder, name), version };
    }
  }
  return best && semver.gt(semver.coerce(best.version)!, '23.0.1') ? best : undefined;
}
