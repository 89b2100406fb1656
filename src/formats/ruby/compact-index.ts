/**
 * The compact index bodies (docs/formats/ruby.md, "Compact index"). Both files are rebuilt from
 * the records on each change rather than appended to, so a yank simply drops lines; each body's
 * md5 is its ETag, and /versions names the md5 of the exact /info body this server sends.
 */
import { createHash } from 'node:crypto';
import { versionAndPlatform } from './gem-names.js';
import type { GemEntry } from './gem-view.js';
import { compactRequirement } from './requirements.js';

export interface CompactFile {
  body: Buffer;
  md5: string;
  /** The Repr-Digest header, worked out once: /versions runs to megabytes. */
  reprDigest?: string;
}

export function reprDigest(file: CompactFile): string {
  return (file.reprDigest ??= `sha-256=:${createHash('sha256').update(file.body).digest('base64')}:`);
}

export function compactFile(text: string): CompactFile {
  const body = Buffer.from(text);
  return { body, md5: createHash('md5').update(body).digest('hex') };
}

/** `/info/<gem>`: one line per listed version and platform. */
export function renderInfo(entries: readonly GemEntry[]): CompactFile {
  const lines = ['---'];
  for (const entry of entries) {
    if (!entry.listed) continue;
    const dependencies = entry.dependencies.map((dependency) => `${dependency.name}:${compactRequirement(dependency.requirement)}`).join(',');
    const requirements = [`checksum:${entry.sha256}`, `ruby:${compactRequirement(entry.ruby)}`, `rubygems:${compactRequirement(entry.rubygems)}`].join(',');
    lines.push(`${versionAndPlatform(entry.version, entry.platform)} ${dependencies}|${requirements}`);
  }
  return compactFile(`${lines.join('\n')}\n`);
}

/** What the lists need of a version and platform of a gem. */
export type ListedEntry = Pick<GemEntry, 'version' | 'platform' | 'listed'>;

export interface VersionsLine {
  name: string;
  entries: readonly ListedEntry[];
  infoMd5: string;
}

/**
 * `/versions`: one line per gem with listed versions, with the md5 of its /info body; `more`
 * are lines already written (`name versions md5`), the public registry's gems.
 */
export function renderVersions(gems: readonly VersionsLine[], createdAt: string, more: readonly string[] = []): CompactFile {
  const lines = [`created_at: ${createdAt}`, '---'];
  for (const gem of gems) {
    const versions = gem.entries.filter((entry) => entry.listed).map((entry) => versionAndPlatform(entry.version, entry.platform));
    if (versions.length) lines.push(`${gem.name} ${versions.join(',')} ${gem.infoMd5}`);
  }
  for (const line of more) lines.push(line);
  return compactFile(`${lines.join('\n')}\n`);
}

/** `/names`: every gem with a listed version. */
export function renderNames(names: readonly string[]): CompactFile {
  return compactFile(`---\n${names.map((name) => `${name}\n`).join('')}`);
}
