/**
 * Web sessions: signing in with a token gives the browser a random session id in an HttpOnly,
 * SameSite=Strict cookie. The server keeps, per SHA-256 of that id, only the domain and the
 * SHA-256 of the token, and asks the domain's token file on every request, so a session ends
 * when its token expires or is removed. Sessions live in this process's memory: a restart signs
 * everyone out, which is the safe way to lose them.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const SESSION_COOKIE = 'artifact_cli_session';
const MAX_SESSIONS = 10_000;

export interface WebSession {
  domain: string;
  tokenHash: string;
  expiresAt: number;
}

export class SessionTable {
  private readonly sessions = new Map<string, WebSession>();

  /** A new session id, to be sent once as a cookie and never kept. */
  open(session: WebSession): string {
    this.prune(Date.now());
    const id = randomBytes(32).toString('base64url');
    this.sessions.set(digest(id), session);
    return id;
  }

  find(req: IncomingMessage, now = Date.now()): WebSession | undefined {
    const id = sessionIdOf(req);
    if (!id) return undefined;
    const key = digest(id);
    const session = this.sessions.get(key);
    if (session && session.expiresAt <= now) {
      this.sessions.delete(key);
      return undefined;
    }
    return session;
  }

  close(req: IncomingMessage): void {
    const id = sessionIdOf(req);
    if (id) this.sessions.delete(digest(id));
  }

  private prune(now: number): void {
    for (const [key, session] of this.sessions) if (session.expiresAt <= now) this.sessions.delete(key);
    // Bounded: the oldest sessions go first when a flood of sign-ins would fill memory.
    while (this.sessions.size >= MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value as string);
  }
}

function digest(id: string): string {
  return createHash('sha256').update(id).digest('hex');
}

function sessionIdOf(req: IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) {
      const value = part.slice(eq + 1).trim();
      return /^[A-Za-z0-9_-]{43}$/.test(value) ? value : undefined;
    }
  }
  return undefined;
}

export function sessionCookie(id: string, expiresAt: number, now = Date.now()): string {
  const maxAge = Math.max(0, Math.floor((expiresAt - now) / 1000));
  return `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}; Expires=${new Date(expiresAt).toUTCString()}`;
}

export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT`;
}
