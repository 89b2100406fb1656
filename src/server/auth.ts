/** Finds the token in a request, in every form the clients send it. */
import type { IncomingHttpHeaders } from 'node:http';

/** Headers some clients use for an API key instead of Authorization (NuGet). */
const API_KEY_HEADERS = ['x-nuget-apikey'];

/** True when the request carries an API-key header, which may decide the token (extractToken). */
export function hasApiKeyHeader(headers: IncomingHttpHeaders): boolean {
  return API_KEY_HEADERS.some((name) => headers[name] !== undefined);
}

export const AUTH_CHALLENGES = ['Basic realm="artifact-cli"', 'Bearer realm="artifact-cli"'];

/**
 * Bearer, Basic with any user name and the token as password, the bare token in
 * Authorization (as Cargo sends it), or a format's API-key header.
 */
export function extractToken(headers: IncomingHttpHeaders): string | undefined {
  const authorization = headers.authorization?.trim();
  if (authorization) {
    const space = authorization.indexOf(' ');
    const scheme = space < 0 ? '' : authorization.slice(0, space).toLowerCase();
    const value = space < 0 ? authorization : authorization.slice(space + 1).trim();
    if (scheme === 'bearer' || scheme === 'token') return value;
    if (scheme === 'basic') {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      return colon < 0 ? decoded : decoded.slice(colon + 1);
    }
    if (space < 0) return value;
  }
  for (const name of API_KEY_HEADERS) {
    const value = headers[name];
    if (typeof value === 'string' && value) return value.trim();
  }
  return undefined;
}
