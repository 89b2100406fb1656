/**
 * The `metadata` part of a publish: a JSON object the registry keeps and serves back in the
 * release metadata. It is checked against the specification's schema (Appendix B of Registry.md)
 * as far as SwiftPM depends on it: SwiftPM decodes `author.name` and `author.organization.name`
 * as required strings, the other fields as optional strings, and `originalPublicationTime` as a
 * date, so one wrong field would make the release unreadable to every client; such a document is
 * refused with 422, as the specification asks for invalid metadata. repositoryURLs is what
 * `/identifiers?url=` looks up, so its URLs are compared in one normal form (scheme, user and
 * `.git` left out, host lowercased).
 */
import { UnprocessableError } from './problem.js';

export interface PackageMetadata {
  document: Record<string, unknown>;
  description?: string;
  licenseUrl?: string;
  repositoryUrls: string[];
}

const MAX_REPOSITORY_URLS = 100;
// The schema's `format: date-time`, in whole seconds: SwiftPM decodes it with Foundation's plain
// ISO 8601 strategy, which does not take fractional seconds, and a registry must not alter it.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:Z|[+-]\d{2}:\d{2})$/i;

function invalid(reason: string): UnprocessableError {
  return new UnprocessableError(`The metadata part is not valid: ${reason}.`, {
    hint: 'Send a JSON object such as {"description": "...", "repositoryURLs": ["https://example.invalid/owner/repo.git"], "author": {"name": "..."}}, or leave the part out.',
  });
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(document: JsonObject, field: string, where = ''): string | undefined {
  const value = document[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid(`"${where}${field}" must be a string`);
  return value;
}

/** An author or organization object: `name` required, the other fields strings. */
function checkParty(value: unknown, where: string, fields: string[]): void {
  if (value === undefined || value === null) return;
  if (!isObject(value)) throw invalid(`"${where}" must be an object`);
  if (typeof value.name !== 'string') throw invalid(`"${where}.name" is required and must be a string`);
  for (const field of fields) optionalString(value, field, `${where}.`);
}

export function parsePackageMetadata(bytes: Buffer | undefined): PackageMetadata {
  if (bytes === undefined || bytes.length === 0) return { document: {}, repositoryUrls: [] };
  let document: unknown;
  try {
    document = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw invalid('it is not JSON');
  }
  if (!isObject(document)) throw invalid('it is not a JSON object');
  const record = document;
  const urls = record.repositoryURLs;
  if (urls !== undefined && urls !== null && (!Array.isArray(urls) || urls.some((url) => typeof url !== 'string')))
    throw invalid('"repositoryURLs" must be an array of strings');
  const repositoryUrls = (urls as string[] | undefined | null) ?? [];
  if (repositoryUrls.length > MAX_REPOSITORY_URLS)
    throw invalid(`"repositoryURLs" lists ${repositoryUrls.length} URLs; at most ${MAX_REPOSITORY_URLS} are accepted`);
  checkParty(record.author, 'author', ['email', 'description', 'url']);
  if (isObject(record.author)) checkParty(record.author.organization, 'author.organization', ['email', 'description', 'url']);
  const description = optionalString(record, 'description');
  const licenseUrl = optionalString(record, 'licenseURL');
  optionalString(record, 'readmeURL');
  const published = optionalString(record, 'originalPublicationTime');
  if (published !== undefined && !DATE_TIME.test(published))
    throw invalid('"originalPublicationTime" must be an ISO 8601 date and time in whole seconds, such as 2024-05-01T12:00:00Z');
  return { document: record, repositoryUrls, ...(description !== undefined ? { description } : {}), ...(licenseUrl !== undefined ? { licenseUrl } : {}) };
}

/**
 * One form for the ways a repository URL is written: `https://host/owner/repo.git`,
 * `git@host:owner/repo`, `ssh://git@host/owner/repo` all become `host/owner/repo`.
 */
export function normalizeRepositoryUrl(raw: string): string | undefined {
  let text = raw.trim();
  const scp = /^(?:[^@/\s]+@)?([^:/\s]+):(?!\/\/)(.+)$/.exec(text);
  let host: string;
  let pathname: string;
  if (scp && !/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    [, host, pathname] = scp;
  } else {
    try {
      const url = new URL(text);
      host = url.host;
      pathname = decodeURIComponent(url.pathname);
    } catch {
      return undefined;
    }
  }
  text = pathname.replace(/^\/+|\/+$/g, '').replace(/\.git$/i, '');
  if (!host || !text) return undefined;
  return `${host.toLowerCase()}/${text}`.toLowerCase();
}
