/**
 * `cargo search`: GET api/v1/crates?q=&per_page= over the crates stored in this repository
 * (not its upstreams or the external index, as for npm search). Yanked-only crates are left out;
 * max_version is the highest version that is not yanked. A server keeps each crate's search
 * document and reads again only the crates that changed (kept-summaries.ts).
 */
import type { PackageRecord } from '../../core/model.js';
import { ValidationError } from '../../errors.js';
import { sendJson } from '../../server/respond.js';
import type { RequestContext } from '../../server/route.js';
import { KeptDocuments } from '../../store/kept-summaries.js';
import { buildCrateView } from './crate-view.js';

const DEFAULT_PER_PAGE = 10;
const MAX_PER_PAGE = 100;
const MAX_SCANNED = 10_000;
const MAX_QUERY = 256;

export async function handleSearch(context: RequestContext): Promise<void> {
  const query = (context.query.get('q') ?? '').trim().toLowerCase();
  if (query.length > MAX_QUERY) throw new ValidationError(`The search text is limited to ${MAX_QUERY} characters.`);
  const perPageRaw = context.query.get('per_page');
  const perPage = perPageRaw === null ? DEFAULT_PER_PAGE : Number(perPageRaw);
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > MAX_PER_PAGE)
    throw new ValidationError(`per_page must be a whole number from 1 to ${MAX_PER_PAGE}.`);
  const terms = query.split(/\s+/).filter(Boolean);
  const { store } = context.deps;
  const repository = context.repository.name;
  const all = await documents.read(
    store,
    { domain: context.domain, repository, format: 'cargo', kind: 'cargo-search-v1', maxPackages: MAX_SCANNED },
    (record) => searchDocument(record, repository),
  );
  const found = all.filter((document) => terms.every((term) => document.haystack.includes(term))).map((document) => document.crate);
  found.sort((a, b) => rank(a.name, query) - rank(b.name, query) || (a.name < b.name ? -1 : 1));
  sendJson(context.req, context.res, 200, { crates: found.slice(0, perPage), meta: { total: found.length } });
}

interface CrateDocument {
  crate: { name: string; max_version: string; description: string | null };
  haystack: string;
}

// Repositories whose documents a server keeps; past this the least recently asked goes.
const documents = new KeptDocuments<CrateDocument>(64);

/** The crate's newest version that is not yanked, as search shows it; undefined when there is none. */
function searchDocument(record: PackageRecord, repository: string): CrateDocument | undefined {
  const newest = buildCrateView([{ repository, record }])
    .filter((entry) => !entry.yanked)
    .at(-1);
  if (!newest) return undefined;
  const description = newest.stored?.record.summary ?? null;
  const keywords = newest.stored?.record.formatMetadata?.keywords;
  return {
    crate: { name: newest.line.name, max_version: newest.line.vers, description },
    haystack: [newest.line.name, description ?? '', ...(Array.isArray(keywords) ? (keywords as unknown[]) : [])].join(' ').toLowerCase(),
  };
}

/** Exact names first, then names that start with the query, then the rest. */
function rank(name: string, query: string): number {
  const lower = name.toLowerCase();
  if (lower === query) return 0;
  return lower.startsWith(query) ? 1 : 2;
}
