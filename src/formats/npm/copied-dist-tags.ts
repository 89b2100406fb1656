/**
 * copy-package-versions takes npm dist-tags along as CodeArtifact does: every tag that names a
 * copied version in the source names it in the destination too, replacing the destination's tag
 * of that name. Pure on the records, so the copy operation calls it through the format's rules.
 */
import type { PackageRecord } from '../../core/model.js';

/** Adds the source's tags of the copied versions to `destination`. */
export function copyDistTags(destination: PackageRecord, copied: readonly string[], sources: readonly PackageRecord[]): void {
  const tags = distTagsOf(destination);
  let changed = false;
  for (const version of copied) {
    const from = sources.find((record) => Object.hasOwn(record.versions, version));
    for (const [tag, aliased] of Object.entries(from ? distTagsOf(from) : {})) {
      if (aliased !== version || tags[tag] === version) continue;
      setOwn(tags, tag, version);
      changed = true;
    }
  }
  if (changed) destination.formatMetadata = { ...destination.formatMetadata, 'dist-tags': tags, modified: new Date().toISOString() };
}

/** An npm package's dist-tags, as its record keeps them (a fresh copy). */
function distTagsOf(record: PackageRecord): Record<string, string> {
  const tags: Record<string, string> = {};
  const stored = record.formatMetadata?.['dist-tags'];
  if (stored && typeof stored === 'object') for (const [tag, version] of Object.entries(stored)) if (typeof version === 'string') setOwn(tags, tag, version);
  return tags;
}

/** A tag named "__proto__" is kept like any other. */
function setOwn(tags: Record<string, string>, tag: string, version: string): void {
  Object.defineProperty(tags, tag, { value: version, enumerable: true, writable: true, configurable: true });
}
