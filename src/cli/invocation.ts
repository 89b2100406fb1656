/**
 * How to run this CLI from any directory, for lines printed to paste: `artifact-cli` when that
 * name on PATH is this very install (after `npm link` or `npm install -g`), else `node` with the
 * absolute path of the script (a checkout where `npm install` put no command on PATH).
 */
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';

export function cliCommand(env: NodeJS.ProcessEnv = process.env, script: string | undefined = process.argv[1]): string {
  const self = script ? realOrNothing(script) : undefined;
  if (!self) return 'artifact-cli';
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, 'artifact-cli');
    if (existsSync(candidate) && realOrNothing(candidate) === self) return 'artifact-cli';
  }
  return `node ${shellQuote(self)}`;
}

function realOrNothing(file: string): string | undefined {
  try {
    return realpathSync(file);
  } catch {
    return undefined;
  }
}

/** Single quotes when the path holds anything a POSIX shell would split or expand. */
export function shellQuote(text: string): string {
  return /^[\w./@%+=:,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
