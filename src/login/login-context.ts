/** The side effects a login needs (environment, home directory, clock, files), passed in so tests can fake them. */
import os from 'node:os';
import { readConfigFile, writeConfigFile, type WriteOutcome } from './config-files.js';
import type { ConfigHome } from './login-writer.js';
import { awsCliVersion } from './aws-cli-version.js';
import { yarnMajorVersion } from './yarn-version.js';

/** Reads and writes the client config files; the real one backs up and writes atomically. */
export interface ConfigFileAccess {
  read(file: string): Promise<string | undefined>;
  write(file: string, text: string): Promise<WriteOutcome>;
}

/** The environment and home directory the package managers will run with, the clock, and the files. */
export interface LoginContext extends ConfigHome {
  now(): Date;
  readonly files: ConfigFileAccess;
  /** The major version of the yarn that runs here, undefined when none does (asked only by the yarn login). */
  yarnMajorVersion?(): Promise<number | undefined>;
  /** The version of the aws that runs here ("2.9.19"), undefined when none does (asked only by the aws login). */
  awsCliVersion?(): Promise<string | undefined>;
}

/** The context the CLI uses: the real environment, home directory, clock and file system. */
export function createLoginContext(env: NodeJS.ProcessEnv): LoginContext {
  return {
    env,
    // npm, pip, Yarn and NuGet find their files from HOME, so follow it over the password database.
    homeDir: env.HOME || os.homedir(),
    cwd: process.cwd(),
    now: () => new Date(),
    files: { read: readConfigFile, write: writeConfigFile },
    yarnMajorVersion: () => yarnMajorVersion(env),
    awsCliVersion: () => awsCliVersion(env),
  };
}
