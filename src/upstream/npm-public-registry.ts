/**
 * The registry behind public:npmjs when the config file names none: the one npm itself is set up
 * with, read without the layers `artifact-cli login` writes to (docs/upstreams.md): the user's
 * ~/.npmrc, a project's .npmrc, and `npm_config_registry` in the environment (which `npm start`
 * exports from those files). npm's global and built-in configuration remain.
 */
import { execFile } from 'node:child_process';
import os from 'node:os';
import { UpstreamError } from '../errors.js';

let npmRegistry: Promise<string> | undefined;

/** Asks npm once per process; the answer includes npm's own default when nothing is set. */
export function readNpmPublicRegistry(): Promise<string> {
  npmRegistry ??= new Promise<string>((resolve, reject) => {
    const args = ['config', 'get', 'registry', `--userconfig=${os.devNull}`, '--location=global'];
    execFile('npm', args, { timeout: 15_000, env: withoutRegistryOverrides(process.env) }, (error, stdout) => {
      const url = stdout?.trim();
      if (error || !url || !/^https?:\/\//.test(url)) {
        npmRegistry = undefined;
        reject(
          new UpstreamError("Could not read the npm registry from npm's global configuration for public:npmjs.", {
            cause: error,
            hint: 'Set externalConnections["public:npmjs"] in the artifact-cli config file.',
          }),
        );
      } else {
        resolve(url);
      }
    });
  });
  return npmRegistry;
}

/** The environment minus the variables that set npm's registry (npm reads them in any case). */
export function withoutRegistryOverrides(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([key]) => key.toLowerCase() !== 'npm_config_registry'));
}
