/** Authorization tokens: issued per domain, stored only as SHA-256 hashes, checked in constant time. */
import * as crypto from 'node:crypto';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import os from 'node:os';
import { ValidationError } from '../errors.js';
import type { TokenRecord, TokensFile } from '../store/index-store.js';
import type { Store } from '../store/store.js';
import { requireDomain } from './domains.js';

export const DEFAULT_TOKEN_SECONDS = 43_200;
const MIN_TOKEN_SECONDS = 900;
const TOKEN_PREFIX = 'acat_';
// A token as it may appear in a URL: the prefix (its '_' perhaps percent-encoded) and base64url.
const TOKEN_IN_TEXT = /acat(?:_|%5[fF])[A-Za-z0-9_%-]+/g;
// IAM's user name characters, so a permissions policy can name the principal.
const PRINCIPAL_NAME = /^[\w+=,.@-]{1,64}$/;

const oneShotHash = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;

export interface AuthorizationToken {
  authorizationToken: string;
  expiration: string;
}

/**
 * CodeArtifact takes 0 or 900-43200 seconds. 0 means "as long as the caller's role session";
 * there is no session here, so 0 gets the default of 12 hours.
 */
export function checkDuration(durationSeconds: number | undefined): number {
  if (durationSeconds === undefined || durationSeconds === 0) return DEFAULT_TOKEN_SECONDS;
  if (!Number.isInteger(durationSeconds) || durationSeconds < MIN_TOKEN_SECONDS || durationSeconds > DEFAULT_TOKEN_SECONDS) {
    throw new ValidationError(`--duration-seconds must be 0 or a whole number from ${MIN_TOKEN_SECONDS} to ${DEFAULT_TOKEN_SECONDS}; got ${durationSeconds}.`);
  }
  return durationSeconds;
}

/**
 * Text with every token in it masked, for log lines built from request URLs: npm logout sends
 * the token it revokes in the path, and a misconfigured client may put one anywhere.
 */
export function redactTokens(text: string): string {
  return text.replace(TOKEN_IN_TEXT, `${TOKEN_PREFIX}***`);
}

/**
 * A request path for the log, with every token masked even when the client percent-encoded
 * it, wholly or in part, or more than once: the path is matched after decoding. A segment that
 * held a token is logged decoded and masked (its spaces and control characters re-encoded, so
 * the line stays one line); the rest as it came.
 */
export function redactRequestPath(pathOnly: string): string {
  if (!pathOnly.includes('%')) return pathOnly.includes('acat') ? redactTokens(pathOnly) : pathOnly;
  return pathOnly
    .split('/')
    .map((segment) => {
      let decoded = segment;
      // Tokens are ASCII, so decoding ASCII escapes is enough to reveal one; a few rounds undo double encoding.
      for (let round = 0; round < 4 && ASCII_ESCAPE.test(decoded); round++)
        decoded = decoded.replace(ASCII_ESCAPES, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)));
      const masked = redactTokens(decoded);
      return masked === decoded ? segment : masked.replace(/[^\x21-\x7e]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
    })
    .join('/');
}

const ASCII_ESCAPE = /%[0-7][0-9a-fA-F]/;
const ASCII_ESCAPES = /%([0-7][0-9a-fA-F])/g;

export function hashToken(token: string): string {
  // The one-shot form (Node 20.12+) skips building a Hash object on every request.
  return oneShotHash ? oneShotHash('sha256', token, 'hex') : createHash('sha256').update(token).digest('hex');
}

export async function getAuthorizationToken(
  store: Store,
  input: { domain: string; durationSeconds?: number; principal?: string; now?: Date },
): Promise<AuthorizationToken> {
  const seconds = checkDuration(input.durationSeconds);
  if (input.principal !== undefined && !PRINCIPAL_NAME.test(input.principal)) {
    throw new ValidationError(`--principal ${JSON.stringify(input.principal.slice(0, 80))} is not a principal name: use 1 to 64 letters, digits and +=,.@_-.`);
  }
  await requireDomain(store, input.domain);
  const now = input.now ?? new Date();
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const expiration = new Date(now.getTime() + seconds * 1000).toISOString();
  const record: TokenRecord = {
    hash: hashToken(token),
    principal: input.principal ?? localUserName(),
    createdTime: now.toISOString(),
    expiration,
  };
  await store.index.updateTokens(input.domain, (current) => ({
    // Expired tokens are dropped on every issue so the file does not grow without end.
    tokens: [...current.tokens.filter((entry) => Date.parse(entry.expiration) > now.getTime()), record],
  }));
  return { authorizationToken: token, expiration };
}

function localUserName(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'local';
  }
}

export interface TokenIdentity {
  principal: string;
  expiration: string;
}

interface KnownToken {
  hash: Buffer;
  expiresAt: number;
  identity: TokenIdentity;
}

// One lookup table per loaded tokens file; the store hands out the same frozen object until the
// file changes. What every request needs (digest bytes, expiry, identity) is worked out once.
const tables = new WeakMap<TokensFile, Map<string, KnownToken>>();

function tableOf(file: TokensFile): Map<string, KnownToken> {
  let table = tables.get(file);
  if (!table) {
    table = new Map(
      file.tokens.map((entry) => [
        entry.hash,
        {
          hash: Buffer.from(entry.hash, 'hex'),
          expiresAt: Date.parse(entry.expiration),
          identity: Object.freeze({ principal: entry.principal, expiration: entry.expiration }),
        },
      ]),
    );
    if (Object.isFrozen(file)) tables.set(file, table);
  }
  return table;
}

/** The identity a token speaks for in a domain, or undefined when it is unknown or expired. */
export async function verifyToken(store: Store, domain: string, token: string, now = Date.now()): Promise<TokenIdentity | undefined> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return undefined;
  const table = tableOf(await store.index.getTokens(domain));
  const hash = hashToken(token);
  // The table is keyed by a hash of the secret, so lookup timing says nothing useful about the
  // token; the final comparison of the full digests is constant-time all the same.
  const known = table.get(hash);
  if (!known || !timingSafeEqual(known.hash, Buffer.from(hash, 'hex'))) return undefined;
  if (known.expiresAt <= now) return undefined;
  return known.identity;
}

/**
 * The identity behind a token known only by its SHA-256 (hex), as a web session keeps it:
 * undefined once the token expires or is gone from the domain's file.
 */
export async function verifyTokenHash(store: Store, domain: string, hash: string, now = Date.now()): Promise<TokenIdentity | undefined> {
  if (!/^[0-9a-f]{64}$/.test(hash)) return undefined;
  const known = tableOf(await store.index.getTokens(domain)).get(hash);
  if (!known || !timingSafeEqual(known.hash, Buffer.from(hash, 'hex'))) return undefined;
  if (known.expiresAt <= now) return undefined;
  return known.identity;
}
