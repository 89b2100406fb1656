/** maxResults / nextToken over a sorted list of names, as every CodeArtifact List* call has. */
import { ValidationError } from '../errors.js';

export interface PageRequest {
  maxResults?: number;
  nextToken?: string;
}

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

/** The token names the last item returned, so pages stay right when items are added meanwhile. */
export function paginate<T>(items: readonly T[], keyOf: (item: T) => string, request: PageRequest): Page<T> {
  const max = request.maxResults ?? 1000;
  if (!Number.isInteger(max) || max < 1 || max > 1000) {
    throw new ValidationError(`--max-results must be a whole number from 1 to 1000; got ${request.maxResults}.`);
  }
  let start = 0;
  if (request.nextToken !== undefined) {
    const after = decodeToken(request.nextToken);
    start = items.findIndex((item) => keyOf(item) > after);
    if (start < 0) start = items.length;
  }
  const slice = items.slice(start, start + max);
  const more = start + max < items.length;
  return { items: slice, nextToken: more ? encodeToken(keyOf(slice[slice.length - 1])) : undefined };
}

function encodeToken(key: string): string {
  return Buffer.from(JSON.stringify({ after: key })).toString('base64url');
}

function decodeToken(token: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof parsed.after === 'string') return parsed.after;
  } catch {
    // fall through to the error below
  }
  throw new ValidationError('--next-token is not a token this command returned.', { hint: 'Pass the nextToken value of the previous page unchanged.' });
}
