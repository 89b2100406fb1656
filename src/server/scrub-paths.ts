/**
 * The last line of defence between an error message and an HTTP client: where the store lives
 * (and the server's home, working and temp directories) is nobody's business but the operator's.
 * Messages are written not to name server paths; this catches one that still does (a file
 * system error's text, say) before it leaves.
 */
import { realpathSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const SHOWN_INSTEAD = '<server path>';

const byRoot = new Map<string, string[]>();

/** The directories never named to a client, longest first so that the most specific wins. */
export function privateDirectories(storeRoot: string): string[] {
  const known = byRoot.get(storeRoot);
  if (known) return known;
  const directories = findPrivateDirectories(storeRoot);
  byRoot.set(storeRoot, directories);
  return directories;
}

function findPrivateDirectories(storeRoot: string): string[] {
  const candidates = [storeRoot, safeRealpath(storeRoot), os.tmpdir(), safeRealpath(os.tmpdir()), os.homedir(), process.cwd()];
  const unique = new Set(candidates.filter((dir): dir is string => typeof dir === 'string' && dir.length > 1).map((dir) => path.resolve(dir)));
  return [...unique].sort((a, b) => b.length - a.length);
}

/** An error body or reason phrase as it may leave the server of the store at `storeRoot`. */
export function scrubForClient(text: string, storeRoot: string, error?: unknown): string {
  return scrubServerPaths(text, privateDirectories(storeRoot), error);
}

/** `text` with every path under one of `directories` (and the paths `error` names) replaced. */
export function scrubServerPaths(text: string, directories: readonly string[], error?: unknown): string {
  let scrubbed = text;
  const errno = error as { path?: unknown; dest?: unknown } | undefined;
  for (const named of [errno?.path, errno?.dest]) {
    if (typeof named === 'string' && named.length > 1 && named.startsWith('/')) scrubbed = scrubbed.split(named).join(SHOWN_INSTEAD);
  }
  for (const dir of directories) {
    if (!scrubbed.includes(dir)) continue;
    // The directory and whatever path follows it, up to a quote, space or the end.
    const pattern = new RegExp(`${escapeRegExp(dir)}(?=[/\\s"'<>:,;)]|$)(?:/[^\\s"'<>]*)?`, 'g');
    scrubbed = scrubbed.replace(pattern, SHOWN_INSTEAD);
  }
  return scrubbed;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function safeRealpath(dir: string): string | undefined {
  try {
    return realpathSync(dir);
  } catch {
    return undefined;
  }
}
