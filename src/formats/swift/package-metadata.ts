/**
 * The `metadata` part of a publish: a JSON object the registry keeps and serves back in the
 * release metadata. The specification names author, description, licenseURL, readmeURL,
 * originalPublicationTime and repositoryURLs; repositoryURLs is what `/identifiers?url=` looks
 * up, so its URLs are compared in one normal form (scheme, user and `.git` left out, host
 * lowercased), the way SwiftPM itself matches a git URL to a registry identity.
 */
import { ValidationError } from '../../errors.js';

export interface PackageMetadata {
  document: Record<string, unknown>;
  description?: string;
  licenseUrl?: string;
  repositoryUrls: string[];
}

const MAX_REPOSITORY_URLS = 100;

function invalid(reason: string): ValidationError {
  return new ValidationError(`The metadata part is not valid: ${reason}.`, {
    hint: 'Send a JSON object such as {"description": "...", "repositoryURLs": ["https://example.invalid/owner/repo.git"]}, or leave the part out.',
  });
}

function optionalString(document: Record<string, unknown>, field: string): string | undefined {
  const value = document[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid(`"${field}" must be a string`);
  return value;
}

export function parsePackageMetadata(bytes: Buffer | undefined): PackageMetadata {
  if (bytes === undefined || bytes.length === 0) return { document: {}, repositoryUrls: [] };
  let document: unknown;
  try {
    document = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw invalid('it is not JSON');
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) throw invalid('it is not a JSON object');
  const record = document as Record<string, unknown>;
  const urls = record.repositoryURLs;
  if (urls !== undefined && (!Array.isArray(urls) || urls.some((url) => typeof url !== 'string'))) throw invalid('"repositoryURLs" must be an array of strings');
  const repositoryUrls = (urls as string[] | undefined) ?? [];
  if (repositoryUrls.length > MAX_REPOSITORY_URLS) throw invalid(`"repositoryURLs" lists ${repositoryUrls.length} URLs; at most ${MAX_REPOSITORY_URLS} are accepted`);
  const author = record.author;
  if (author !== undefined && (typeof author !== 'object' || author === null || Array.isArray(author))) throw invalid('"author" must be an object');
  const description = optionalString(record, 'description');
  const licenseUrl = optionalString(record, 'licenseURL');
  optionalString(record, 'readmeURL');
  optionalString(record, 'originalPublicationTime');
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
