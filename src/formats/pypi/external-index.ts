/**
 * The public index behind a `public:pypi` connection, read through its PEP 691 JSON project
 * page, or the PEP 503 HTML one where the index serves only that, and cached with MetadataCache. The page is validated as it is parsed: only files whose
 * name is a plain distribution file name of this project and that come with a SHA-256 are kept,
 * since every byte fetched later is checked against that digest.
 */
import type { PackageRecord, RepositoryRecord } from '../../core/model.js';
import type { RequestContext } from '../../server/route.js';
import { findExternalSource, type ExternalSource } from '../../upstream/external.js';
import { metadataCacheFor, type CachedDocument } from '../../upstream/metadata-cache.js';
import { readHtmlProjectPage } from './html-project-page.js';
import { parseDistributionFile } from './project-name.js';

export const SIMPLE_JSON = 'application/vnd.pypi.simple.v1+json';
// JSON preferred; HTML from an index that has nothing else (PEP 691's own recommendation).
const PAGE_ACCEPT = `${SIMPLE_JSON}, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01`;
const SHA256_HEX = /^[0-9a-f]{64}$/;
// PEP 700's ISO 8601 form (PyPI writes yyyy-mm-ddThh:mm:ss.ffffffZ); a client that parses it may reject the whole page over another.
const UPLOAD_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

function isUploadTime(value: unknown): value is string {
  return typeof value === 'string' && UPLOAD_TIME.test(value) && !Number.isNaN(Date.parse(value));
}

export interface ExternalFile {
  fileName: string;
  /** Absolute URL of the file on the public index. */
  url: string;
  version: string;
  sha256: string;
  size?: number;
  requiresPython?: string;
  yanked?: true | string;
  uploadTime?: string;
  coreMetadataSha256?: string;
}

export interface ExternalProject {
  source: ExternalSource;
  /** The cached document; the same object while the cache entry is unchanged. */
  document: CachedDocument;
  files: ExternalFile[];
}

/** The index's URL for one project page: the configured URL is the index root or its /simple/ page. */
function projectPageUrl(indexUrl: string, project: string): string {
  const base = /\/simple\/$/.test(indexUrl) ? indexUrl : `${indexUrl}simple/`;
  return `${base}${encodeURIComponent(project)}/`;
}

/**
 * The project as the public index has it, or undefined when no repository on the chain has a
 * PyPI connection, when the connection's repository blocks upstream versions of it, or when
 * the index does not know it.
 */
export async function loadExternalProject(
  context: RequestContext,
  project: string,
  connectionRecord: (repository: RepositoryRecord) => Promise<PackageRecord | undefined>,
): Promise<ExternalProject | undefined> {
  const { store, config } = context.deps;
  // Given the package, the walk passes over repositories (and groups) that block its upstream versions.
  const source = await findExternalSource(store, config, context.domain, context.repository, 'pypi', { name: project });
  if (!source) return undefined;
  const held = await connectionRecord(source.repository);
  if (held?.originConfiguration.restrictions.upstream === 'BLOCK') return undefined;
  const url = projectPageUrl(source.url, project);
  const document = await metadataCacheFor(context.deps).get({
    key: { domain: context.domain, repository: source.repository.name, format: 'pypi', name: project },
    url,
    accept: PAGE_ACCEPT,
    parse: (text, contentType) => parseProjectPage(text, contentType, url, project),
  });
  if (!document) return undefined;
  return { source, document, files: document.document as ExternalFile[] };
}

/** Parses and validates a PEP 691 or PEP 503 project page into the files we can serve. */
function parseProjectPage(text: string, contentType: string | undefined, pageUrl: string, project: string): ExternalFile[] {
  const entries = isHtml(text, contentType) ? readHtmlProjectPage(text, pageUrl) : readJsonFiles(text);
  const files: ExternalFile[] = [];
  for (const entry of entries) {
    const file = readFileEntry(entry, pageUrl, project);
    if (file) files.push(file);
  }
  return files;
}

/** HTML by its media type; with none (or a generic one), by its first character. */
function isHtml(text: string, contentType: string | undefined): boolean {
  const type = contentType?.split(';')[0].trim().toLowerCase() ?? '';
  if (type === 'text/html' || type === 'application/vnd.pypi.simple.v1+html') return true;
  if (type.endsWith('json')) return false;
  return text.trimStart().startsWith('<');
}

function readJsonFiles(text: string): Record<string, unknown>[] {
  const page = JSON.parse(text) as { meta?: { 'api-version'?: unknown }; files?: unknown };
  if (!page || typeof page !== 'object' || !Array.isArray(page.files)) throw new Error('not a PEP 691 project page (no files list)');
  const apiVersion = page.meta?.['api-version'];
  if (typeof apiVersion !== 'string' || !apiVersion.startsWith('1.')) throw new Error(`unsupported simple API version ${JSON.stringify(apiVersion)}`);
  return page.files as Record<string, unknown>[];
}

function readFileEntry(entry: Record<string, unknown>, pageUrl: string, project: string): ExternalFile | undefined {
  if (!entry || typeof entry !== 'object') return undefined;
  const { filename, url } = entry;
  const sha256 = (entry.hashes as Record<string, unknown> | undefined)?.sha256;
  if (typeof filename !== 'string' || typeof url !== 'string' || typeof sha256 !== 'string') return undefined;
  if (!SHA256_HEX.test(sha256.toLowerCase()) || /[/\\\0]/.test(filename) || filename.length > 255) return undefined;
  const parsed = parseDistributionFile(filename, project);
  if (!parsed || parsed.project !== project) return undefined;
  let absolute: URL;
  try {
    absolute = new URL(url, pageUrl);
  } catch {
    return undefined;
  }
  if (absolute.protocol !== 'http:' && absolute.protocol !== 'https:') return undefined;
  absolute.hash = '';
  const file: ExternalFile = { fileName: filename, url: absolute.toString(), version: parsed.version, sha256: sha256.toLowerCase() };
  if (Number.isSafeInteger(entry.size) && (entry.size as number) >= 0) file.size = entry.size as number;
  if (typeof entry['requires-python'] === 'string') file.requiresPython = entry['requires-python'];
  if (entry.yanked === true || (typeof entry.yanked === 'string' && entry.yanked !== '')) file.yanked = entry.yanked;
  else if (typeof entry.yanked === 'string') file.yanked = true;
  if (isUploadTime(entry['upload-time'])) file.uploadTime = entry['upload-time'];
  const metadata = (entry['core-metadata'] ?? entry['dist-info-metadata']) as Record<string, unknown> | undefined;
  const metadataSha = metadata && typeof metadata === 'object' ? metadata.sha256 : undefined;
  if (typeof metadataSha === 'string' && SHA256_HEX.test(metadataSha.toLowerCase())) file.coreMetadataSha256 = metadataSha.toLowerCase();
  return file;
}
