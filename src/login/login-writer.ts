/** The shape every tool's login writer has: where its file is, and config text in, new text out. */
import { ValidationError } from '../errors.js';

/** What a writer puts into a client's config. */
export interface LoginInput {
  domain: string;
  repository: string;
  /** The repository endpoint for the tool's format, ending in '/'. */
  endpoint: string;
  token: string;
  /** npm scope with its '@', for npm, pnpm and yarn only. */
  namespace?: string;
  /** Maven only: route every repository through artifact-cli with a mirror of '*'. */
  mirrorAll: boolean;
  /** Cargo only: the name of the registry in cargo's config (--registry-name). */
  registryName?: string;
}

/** Where the tools look for their files: their environment overrides and the home directory. */
export interface ConfigHome {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homeDir: string;
}

/** One config file of a tool and the pure function that writes the login into it. */
export interface ConfigFileWriter {
  /** The file the tool reads, found the way the tool itself finds it. */
  locate(home: ConfigHome): string;
  /** The current text (undefined when there is no file) in, the new text out; everything else in it is kept. */
  render(current: string | undefined, input: LoginInput): string;
}

/** Thrown by a writer when the existing file cannot be understood; login then writes nothing. */
export class ConfigSyntaxError extends ValidationError {
  constructor(readonly problem: string) {
    super(`The existing file ${problem}.`, { hint: 'Fix the file or move it away, then run login again; nothing was written.' });
  }
}
