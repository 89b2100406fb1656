/**
 * Which Yarn `login --tool yarn` configures: Yarn 2 and later read only .yarnrc.yml, Yarn 1
 * reads .npmrc (and needs always-auth there, which npm warns about). Asked of the `yarn` the
 * user's PATH finds, in the current directory, as a project's packageManager field may pick one.
 */
import { execFile } from 'node:child_process';

// Long enough for a cold corepack shim; a yarn that hangs must not hang login.
const VERSION_TIMEOUT_MS = 15_000;

/** The major version, or undefined when no yarn runs here. */
export function yarnMajorVersion(env: NodeJS.ProcessEnv): Promise<number | undefined> {
  return new Promise((resolve) => {
    // corepack would otherwise ask on the terminal before downloading a Yarn.
    const childEnv = { ...env, COREPACK_ENABLE_DOWNLOAD_PROMPT: '0' };
    execFile('yarn', ['--version'], { env: childEnv, timeout: VERSION_TIMEOUT_MS, windowsHide: true }, (error, stdout) => {
      const major = error ? undefined : /^\s*(\d+)\./.exec(stdout)?.[1];
      resolve(major === undefined ? undefined : Number(major));
    });
  });
}
