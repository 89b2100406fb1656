/**
 * Pieces of artifact-cli command lines for hints, written so that a user can paste them into a
 * POSIX shell as they are: every flag a command needs, every value quoted where the shell would
 * otherwise change it.
 */
import type { PackageKey } from './model.js';

// Characters no POSIX shell treats specially in a word.
const PLAIN_WORD = /^[A-Za-z0-9@%+=:,./_-]+$/;

/** The value as one shell word: as it is when that is safe, else in single quotes. */
export function shellWord(value: string): string {
  if (PLAIN_WORD.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** `--domain D --repository R --format F [--namespace N] --package P`, as the package commands take them. */
export function packageFlags(key: PackageKey): string {
  const namespace = key.namespace === undefined ? '' : ` --namespace ${shellWord(key.namespace)}`;
  return `--domain ${shellWord(key.domain)} --repository ${shellWord(key.repository)} --format ${key.format}${namespace} --package ${shellWord(key.name)}`;
}
