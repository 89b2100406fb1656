/**
 * Rendered packuments kept in memory. The store hands out the same frozen record object until
 * its file changes, so keying by the record objects makes invalidation automatic: a publish
 * writes a new file, the store returns a new object, and the old entry is never found again
 * (and is collected with its record).
 */
import type { PackageRecord } from '../../core/model.js';
import { RenderedBody } from '../../server/respond.js';
import type { PackageSource } from '../../upstream/resolve.js';
import type { NpmPackageName } from './package-name.js';
import { buildPackageView, buildPackageViewInSlices } from './package-view.js';
import { Slicer, stringifyInSlices } from '../../upstream/slices.js';
import { ABBREVIATED_CONTENT_TYPE, renderPackument, renderPackumentInSlices } from './packument.js';

// Above this many versions a packument is rendered in slices.
const SLICED_VERSIONS = 2000;

interface Entry {
  /** Every record the body was built from, nearest first; the first is the WeakMap key. */
  records: readonly PackageRecord[];
  body: RenderedBody;
}

// Variants per record: full/abbreviated times the Host names clients use. A few is normal;
// the cap keeps a client that invents Host headers from growing memory.
const MAX_VARIANTS_PER_RECORD = 8;

const cache = new WeakMap<PackageRecord, Map<string, Entry>>();

export async function renderCachedPackument(
  name: NpmPackageName,
  sources: readonly PackageSource[],
  abbreviated: boolean,
  endpoint: string,
): Promise<RenderedBody> {
  const records = sources.map((source) => source.record);
  const variant = `${abbreviated ? 'abbreviated' : 'full'} ${endpoint}`;
  const cacheable = records.every((record) => Object.isFrozen(record));
  const variants = cacheable ? cache.get(records[0]) : undefined;
  const hit = variants?.get(variant);
  if (hit && sameRecords(hit.records, records)) return hit.body;

  const contentType = abbreviated ? ABBREVIATED_CONTENT_TYPE : 'application/json';
  const size = sources.reduce((sum, source) => sum + Object.keys(source.record.versions).length, 0);
  let body: RenderedBody;
  if (size <= SLICED_VERSIONS) {
    body = RenderedBody.json(renderPackument(name, buildPackageView(sources), { abbreviated, endpoint }), contentType);
  } else {
    // Big packages are sorted, rendered and serialized in slices, so other requests get their turns.
    const slicer = new Slicer();
    const view = await buildPackageViewInSlices(sources, slicer);
    const document = await renderPackumentInSlices(name, view, { abbreviated, endpoint }, slicer);
    body = new RenderedBody(contentType, Buffer.from(await stringifyInSlices(document, slicer)));
  }
  if (cacheable) {
    const map = variants ?? new Map<string, Entry>();
    if (!map.has(variant) && map.size >= MAX_VARIANTS_PER_RECORD) map.delete(map.keys().next().value as string);
    map.set(variant, { records, body });
    if (!variants) cache.set(records[0], map);
  }
  return body;
}

function sameRecords(a: readonly PackageRecord[], b: readonly PackageRecord[]): boolean {
  return a.length === b.length && a.every((record, index) => record === b[index]);
}
