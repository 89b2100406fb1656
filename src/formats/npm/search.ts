/**
 * `npm search`: /-/v1/search?text=&size=&from= over the npm packages stored in this
 * repository (not its upstreams). Bounded: a page is at most 250 results and at most
 * MAX_SCANNED package records are looked at per query.
 */
import { ValidationError } from '../../errors.js';
import { sendJson } from '../../server/respond.js';
import type { RequestContext } from '../../server/route.js';
import { npmFullName } from './package-name.js';
import { buildPackageView } from './package-view.js';

const DEFAULT_SIZE = 20;
const MAX_SIZE = 250;
const MAX_SCANNED = 10_000;
const MAX_TEXT = 256;

export async function searchPackages(context: RequestContext): Promise<void> {
  const text = (context.query.get('text') ?? '').trim().toLowerCase();
  if (text.length > MAX_TEXT) throw new ValidationError(`Search text is limited to ${MAX_TEXT} characters.`);
  const size = boundedInteger(context.query.get('size'), DEFAULT_SIZE, 1, MAX_SIZE, 'size');
  const from = boundedInteger(context.query.get('from'), 0, 0, MAX_SCANNED, 'from');
  const terms = text.split(/\s+/).filter(Boolean);

  const { store } = context.deps;
  const refs = (await store.index.listPackages(context.domain, context.repository.name, 'npm')).slice(0, MAX_SCANNED);
  const matches: Record<string, unknown>[] = [];
  for (const ref of refs) {
    const record = await store.index.getPackage({ domain: context.domain, repository: context.repository.name, ...ref });
    if (!record) continue;
    const view = buildPackageView([{ repository: context.repository.name, record }]);
    const latest = view.versions.get(view.distTags.latest)?.record;
    if (!latest) continue;
    const manifest = latest.formatMetadata ?? {};
    const keywords = Array.isArray(manifest.keywords) ? manifest.keywords.filter((word): word is string => typeof word === 'string') : [];
    const description = typeof manifest.description === 'string' ? manifest.description : '';
    const name = npmFullName(record);
    const haystack = [name, description, ...keywords].join(' ').toLowerCase();
    if (!terms.every((term) => haystack.includes(term))) continue;
    const publisher = (manifest._npmUser as { name?: unknown } | undefined)?.name;
    const maintainers = typeof publisher === 'string' ? [{ username: publisher }] : [];
    matches.push({
      package: {
        name,
        scope: record.namespace ?? 'unscoped',
        version: latest.version,
        description,
        keywords,
        date: latest.publishedTime,
        links: {},
        publisher: maintainers[0] ?? { username: '' },
        maintainers,
      },
      score: { final: 1, detail: { quality: 1, popularity: 1, maintenance: 1 } },
      searchScore: name.toLowerCase() === text ? 2 : 1,
    });
  }
  // Exact name matches first, then by name, as a person scanning the list expects.
  matches.sort(
    (a, b) =>
      (b.searchScore as number) - (a.searchScore as number) || String((a.package as { name: string }).name).localeCompare((b.package as { name: string }).name),
  );
  sendJson(context.req, context.res, 200, { objects: matches.slice(from, from + size), total: matches.length, time: new Date().toUTCString() });
}

function boundedInteger(raw: string | null, fallback: number, min: number, max: number, name: string): number {
  if (raw === null || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new ValidationError(`The search parameter ${name} must be a whole number of at least ${min}.`);
  return Math.min(value, max);
}
