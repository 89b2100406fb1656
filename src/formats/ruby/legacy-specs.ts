/**
 * The legacy spec lists `gem search -r`, `gem list -r`, `gem outdated` and `gem update` read
 * (docs/formats/ruby.md, "Spec lists"): gzip of a Marshal array of [name, Gem::Version,
 * platform] for every listed version (specs.4.8.gz), the newest release per name and platform
 * (latest_specs.4.8.gz), or the prereleases (prerelease_specs.4.8.gz). Installs still go through
 * the compact index.
 */
import { gzipSync } from 'node:zlib';
import type { RequestContext } from '../../server/route.js';
import type { VersionsLine } from './compact-index.js';
import { compareGemVersions } from './gem-version-order.js';
import { marshalDump, type MarshalValue } from './marshal-writer.js';

export type SpecList = 'specs' | 'latest_specs' | 'prerelease_specs';

const isPrerelease = (version: string) => /[A-Za-z]/.test(version);

export function specTuples(gems: readonly VersionsLine[], list: SpecList): [string, string, string][] {
  const tuples: [string, string, string][] = [];
  for (const gem of gems) {
    const listed = gem.entries.filter((entry) => entry.listed && isPrerelease(entry.version) === (list === 'prerelease_specs'));
    if (list !== 'latest_specs') {
      for (const entry of listed) tuples.push([gem.name, entry.version, entry.platform]);
      continue;
    }
    const newest = new Map<string, string>();
    for (const entry of listed) {
      const current = newest.get(entry.platform);
      if (!current || compareGemVersions(entry.version, current) > 0) newest.set(entry.platform, entry.version);
    }
    for (const [platform, version] of newest) tuples.push([gem.name, version, platform]);
  }
  return tuples;
}

export function renderSpecList(tuples: readonly [string, string, string][]): Buffer {
  const value: MarshalValue = tuples.map(([name, version, platform]) => [name, { kind: 'userMarshal', className: 'Gem::Version', data: [version] }, platform]);
  return gzipSync(marshalDump(value));
}

export function sendSpecList(context: RequestContext, body: Buffer): void {
  // gem unzips a .gz path itself: no Content-Encoding.
  context.res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length, 'cache-control': 'no-cache' });
  context.res.end(context.req.method === 'HEAD' ? undefined : body);
}
