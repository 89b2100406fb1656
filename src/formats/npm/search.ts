/**
 * `npm search`: /-/v1/search?text=&size=&from= over the npm packages stored in this
 * repository (not its upstreams). Bounded: a page is at most 250 results and at most
 * MAX_SCANNED packages are searched. A server keeps each package's search document and reads
 * again only the packages that changed (kept-summaries.ts), not every record on every query.
 */
import type { PackageRecord } from '../../core/model.js';
import { ValidationError } from '../../errors.js';
import { sendJson } from '../../server/respond.js';
import type { RequestContext } from '../../server/route.js';
import { KeptDocuments } from '../../store/kept-summaries.js';
import { npmFullName } from './package-name.js';
import { buildPackageView } from './package-view.js';

const DEFAULT_SIZE = 20;
const MAX_SIZE = 250;
const MAX_SCANNED = 10_000;
const MAX_TEXT = 256;

/** What a search needs of one package: its result, and the text terms are looked for in. */
interface SearchDocument {
  name: string;
  haystack: string;
  result: Record<string, unknown>;
}

// Repositories whose documents a server keeps; past this the least recently asked goes.
const documents = new KeptDocuments<SearchDocument>(64);

export async function searchPackages(context: RequestContext): Promise<void> {
  const text = (context.query.get('text') ?? '').trim().toLowerCase();
  if (text.length > MAX_TEXT) throw new ValidationError(`Search text is limited to ${MAX_TEXT} characters.`);
  const size = boundedInteger(context.query.get('size'), DEFAULT_SIZE, 1, MAX_SIZE, 'size');
  const from = boundedInteger(context.query.get('from'), 0, 0, MAX_SCANNED, 'from');
  const terms = text.split(/\s+/).filter(Boolean);

  const { store } = context.deps;
  const repository = context.repository.name;
  const all = await documents.read(store, { domain: context.domain, repository, format: 'npm', kind: 'npm-search-v1', maxPackages: MAX_SCANNED }, (record) =>
    searchDocument(record, repository),
  );
  const matches = all.filter((document) => terms.every((term) => document.haystack.includes(term)));
  // Exact name matches first, then by name, as a person scanning the list expects.
  const score = (document: SearchDocument) => (document.name.toLowerCase() === text ? 2 : 1);
  matches.sort((a, b) => score(b) - score(a) || a.name.localeCompare(b.name));
  const objects = matches.slice(from, from + size).map((document) => ({ ...document.result, searchScore: score(document) }));
  sendJson(context.req, context.res, 200, { objects, total: matches.length, time: new Date().toUTCString() });
}

/** The package's search document from its latest version; undefined for a package without one. */
function searchDocument(record: PackageRecord, repository: string): SearchDocument | undefined {
  const view = buildPackageView([{ repository, record }]);
  const latest = view.versions.get(view.distTags.latest)?.record;
  if (!latest) return undefined;
  const manifest = latest.formatMetadata ?? {};
  const keywords = Array.isArray(manifest.keywords) ? manifest.keywords.filter((word): word is string => typeof word === 'string') : [];
  const description = typeof manifest.description === 'string' ? manifest.description : '';
  const name = npmFullName(record);
  const publisher = (manifest._npmUser as { name?: unknown } | undefined)?.name;
  const maintainers = typeof publisher === 'string' ? [{ username: publisher }] : [];
  return {
    name,
    haystack: [name, description, ...keywords].join(' ').toLowerCase(),
    result: {
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
    },
  };
}

function boundedInteger(raw: string | null, fallback: number, min: number, max: number, name: string): number {
  if (raw === null || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new ValidationError(`The search parameter ${name} must be a whole number of at least ${min}.`);
  return Math.min(value, max);
}
