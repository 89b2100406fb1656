/** The request handler: routes /<domain>/<format>/<repo>/..., checks tokens, maps errors. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { validateDomainName, validateRepositoryName } from '../core/names.js';
import type { RepositoryRecord } from '../core/model.js';
import {
  AccessDeniedError,
  ArtifactError,
  PayloadTooLargeError,
  ResourceNotFoundError,
  StoreUnavailableError,
  UnauthorizedError,
  ValidationError,
  toArtifactError,
} from '../errors.js';
import type { RepositoryAction } from '../core/policy-actions.js';
import type { Format } from '../formats/format.js';
import { hashToken, redactRequestPath, verifyToken, type TokenIdentity } from '../operations/tokens.js';
import { packageScope } from '../store/change-marker.js';
import { isApiPath } from '../api/api-path.js';
import { hasDotSegment } from './dot-segments.js';
import { AUTH_CHALLENGES, extractToken, hasApiKeyHeader } from './auth.js';
import { endAfterBody } from './answer-before-body.js';
import { refuseDeclaredLength } from './body.js';
import { logStoreFailure } from './store-failure-log.js';
import { actionOf, authorizeRequest, reasonPhraseOf, type PolicyCheck } from './policy.js';
import { sendBlob, sendJson, sendKeptBlob, sendRendered } from './respond.js';
import { DoorMemo } from './door-memo.js';
import { scrubForClient } from './scrub-paths.js';
import { ResponseMemo, type MemoEntry, type ReusableResponse } from './response-memo.js';
import type { HttpMethod, RequestContext, Route, ServerDeps } from './route.js';
import type { WebInterface } from './web/web-handler.js';

const MAX_PASSES_PER_ANSWER = 64;
const METHODS = new Set<HttpMethod>(['GET', 'HEAD', 'PUT', 'POST', 'DELETE', 'PATCH']);
const SAFE_HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/** Returns a promise only when the answer takes asynchronous work. */
export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

export interface ServerHandler {
  /** Answers a request. */
  handle: RequestHandler;
  /** For a request waiting for 100 Continue: false when it was refused before its body. */
  beforeBody: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
}

interface Mounted {
  format: Format;
  routes: Route[];
}

export function createHandler(deps: ServerDeps, formats: Map<string, Format>): ServerHandler {
  const mounted = new Map<string, Mounted>();
  for (const [name, format] of formats) mounted.set(name, { format, routes: format.routes() });
  const memo = new ResponseMemo();
  const doors = new DoorMemo();
  let web: Promise<WebInterface> | undefined;
  const formatNames = new Set(mounted.keys());
  // The CodeArtifact API (src/api) is loaded with its first call.
  let api: Promise<typeof import('../api/api-handler.js')> | undefined;

  // Repeated reads are answered synchronously, without a promise in sight: the index check,
  // the remembered answer and the remembered pass through the door are all in memory.
  const handle: RequestHandler = (req, res) => {
    const requestUrl = req.url;
    if (requestUrl !== undefined && hasDotSegment(requestUrl)) {
      sendError(deps, req, res, undefined, dotSegmentRefused(res));
      return;
    }
    if (requestUrl !== undefined && isApiPath(requestUrl, formatNames)) {
      // The API's reads trust what is cached while nothing changed, as the formats' do; its
      // DescribeDomain keeps the domain's asset sizes by it (operations/domain-asset-size.ts).
      deps.store.changes.sampleThisTurn();
      api ??= import('../api/api-handler.js');
      return api.then(({ handleApiRequest }) => handleApiRequest(deps, req, res, baseUrlFor(deps, req)));
    }
    let epoch: number | undefined;
    let remembered: MemoEntry | undefined;
    try {
      // Index files read from here on are known fresh unless this finds a change (at most one
      // look per event-loop turn; change-marker.ts says why that is as fresh as one per request).
      const changes = deps.store.changes;
      changes.sampleThisTurn();
      // Remembered answers and passes die with the shared epoch; an answer also dies when its
      // own package changes (response-memo.ts).
      epoch = changes.sharedEpoch;
      const now = Date.now();
      remembered = memo.find(req, epoch, now, changes);
      if (remembered && admitted(remembered, credentialOf(req), epoch, now)) {
        const sending = sendReusable(deps, req, res, remembered.response);
        const format = remembered.format;
        if (sending) return sending.catch((error: unknown) => sendError(deps, req, res, format, error));
        return;
      }
    } catch (error) {
      sendError(deps, req, res, remembered?.format, error);
      return;
    }
    return handleRequest(req, res, epoch, deps.store.changes.epoch, remembered);
  };
  return { handle, beforeBody };

  /**
   * Where a request goes: its format, repository and route. Throws the 404 or 400 the client
   * gets when there is no such place; `onFormat` hears the format as soon as it is known, so
   * that the refusal can take that format's shape.
   */
  function locate(rawPath: string, req: IncomingMessage, onFormat: (format: Format) => void): Target {
    const match = /^\/([^/]*)\/([^/]*)\/([^/]*)(?:\/(.*))?$/s.exec(rawPath);
    if (!match) throw new ResourceNotFoundError('Not found. Repository URLs look like /<domain>/<format>/<repository>/.');
    const [, domain, formatName, repositoryName, rest = ''] = match;
    const entry = mounted.get(formatName);
    if (!entry) throw new ResourceNotFoundError(`This server has no ${JSON.stringify(decodeSafe(formatName))} endpoint.`);
    onFormat(entry.format);
    validateName(validateDomainName, domain);
    validateName(validateRepositoryName, repositoryName);

    const method = (req.method ?? 'GET').toUpperCase() as HttpMethod;
    if (!METHODS.has(method)) throw new ValidationError(`Method ${method} is not supported.`);
    const found = findRoute(entry.routes, method, rest);
    if (!found) throw new ResourceNotFoundError('Not found.');
    return { domain, formatName, repositoryName, rest, method, found, action: actionOf(found.route, found.match), entry };
  }

  /** The door: a valid token, the policies' consent, then a repository that exists. */
  async function enter(
    req: IncomingMessage,
    res: ServerResponse,
    epoch: number | undefined,
    target: Target,
  ): Promise<{ identity: TokenIdentity | undefined; repository: RepositoryRecord }> {
    const { domain, repositoryName, found, action } = target;
    const identity = await checkAccess(deps, doors, epoch, req, res, domain, repositoryName, found.route.access, action);
    const repository = await deps.store.index.getRepository(domain, repositoryName);
    if (!repository) {
      throw new ResourceNotFoundError(`Repository ${repositoryName} does not exist in domain ${domain}.`, { resourceType: 'repository' });
    }
    return { identity, repository };
  }

  /**
   * For a request that waits for 100 Continue before it sends its body: the checks the body
   * plays no part in (the route, the door, the declared length against the route's limit), as
   * the request itself would meet them. Answers the refusal and resolves false when one fails,
   * having read none of the body; resolves true when the body should come. The request is then
   * handled from the start, the door included (docs/server.md#uploads-refused-before-their-body).
   */
  async function beforeBody(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    let format: Format | undefined;
    try {
      const requestUrl = req.url ?? '/';
      if (hasDotSegment(requestUrl)) throw dotSegmentRefused(res);
      // The API and the web interface have doors of their own, met once the body is in.
      if (isApiPath(requestUrl, formatNames)) return true;
      const rawPath = new URL(requestUrl, 'http://localhost').pathname;
      if (isWebPath(rawPath, req) || isHealthPath(rawPath)) return true;
      const target = locate(rawPath, req, (located) => (format = located));
      const changes = deps.store.changes;
      changes.sampleThisTurn();
      await enter(req, res, changes.sharedEpoch, target);
      (target.found.route.refuseDeclaredLength ?? refuseDeclaredLength)(req, deps.config.server.maxUploadBytes);
      return true;
    } catch (error) {
      // The client sends nothing more on this connection: it waits for 100 Continue or a final answer.
      res.setHeader('connection', 'close');
      // twine and Maven show the reason phrase: a 413 goes there as the 403 does (authorizeWithReason).
      if (error instanceof PayloadTooLargeError) res.statusMessage = reasonPhraseOf(error.message);
      sendError(deps, req, res, format, error);
      return false;
    }
  }

  /** The door memo's answer for a remembered answer, kept on the entry for the next time. */
  function admitted(entry: MemoEntry, credential: string, epoch: number | undefined, now: number): boolean {
    const until = entry.passes?.get(credential);
    if (until !== undefined && now < until) return true;
    const expiresAt = doors.passUntil(entry.domain, entry.repository, entry.action, credential, epoch, now);
    if (expiresAt === undefined) return false;
    // Bounded like any memo: a flood of distinct tokens starts the list afresh.
    if (!entry.passes || entry.passes.size >= MAX_PASSES_PER_ANSWER) entry.passes = new Map();
    entry.passes.set(credential, expiresAt);
    return true;
  }

  /** `epoch`: the shared epoch the request began in; `startedIn`: the full one (change-marker.ts). */
  async function handleRequest(
    req: IncomingMessage,
    res: ServerResponse,
    epoch: number | undefined,
    startedIn: number | undefined,
    remembered: MemoEntry | undefined,
  ): Promise<void> {
    let format: Format | undefined;
    try {
      if (remembered) {
        format = remembered.format;
        await checkAccess(deps, doors, epoch, req, res, remembered.domain, remembered.repository, 'read', remembered.action);
        await sendReusable(deps, req, res, remembered.response);
        return;
      }
      const url = new URL(req.url ?? '/', 'http://localhost');
      const rawPath = url.pathname;
      // The web interface: the root for browsers, and /-/ui/..., which no domain can shadow
      // (domain names start with a letter). Other clients get the health document at the root.
      if (isWebPath(rawPath, req)) {
        web ??= import('./web/web-handler.js').then((module) => module.createWebInterface(deps));
        await (await web).handle(req, res, url);
        return;
      }
      if (isHealthPath(rawPath)) {
        sendJson(req, res, 200, { status: 'ok', formats: [...mounted.keys()] });
        return;
      }
      const target = locate(rawPath, req, (located) => (format = located));
      const { domain, formatName, repositoryName, rest, method, found, action, entry } = target;
      const { identity, repository } = await enter(req, res, epoch, target);
      const baseUrl = baseUrlFor(deps, req);
      const context: RequestContext = {
        req,
        res,
        method,
        rawPath: rest,
        query: url.searchParams,
        domain,
        repository,
        endpoint: `${baseUrl}/${domain}/${formatName}/${repositoryName}/`,
        identity,
        deps,
        freshness: { validUntil: Number.POSITIVE_INFINITY },
        reuse(response: ReusableResponse, about?: { namespace?: string; name: string }) {
          if (found.route.access !== 'read' || startedIn === undefined) return;
          const reusable: MemoEntry = {
            format: entry.format,
            domain,
            repository: repositoryName,
            action,
            response,
            validUntil: context.freshness.validUntil,
            // No package's scope is empty (packageScope), so no package's change ends an answer about none.
            about: about ? packageScope({ domain, format: formatName, namespace: about.namespace, name: about.name }) : '',
            madeIn: startedIn,
          };
          if (reusable.validUntil > Date.now()) memo.remember(req, epoch, reusable, deps.store.changes);
        },
        async renewAnswers(path, about, rework) {
          // The URL as a client asks for it: this request's own up to the endpoint, then `path`.
          const own = (req.url ?? '').split('?')[0];
          if (startedIn === undefined || !own.endsWith(rest)) return;
          const url = `${own.slice(0, own.length - rest.length)}${path}`;
          const changes = deps.store.changes;
          changes.sampleThisTurn();
          const scope = packageScope({ domain, format: formatName, namespace: about.namespace, name: about.name });
          if (!memo.outdatedByChange(url, scope, Date.now(), changes)) return;
          const renewedIn = changes.sharedEpoch;
          const madeIn = changes.epoch;
          if (madeIn === undefined) return;
          const freshness = { validUntil: Number.POSITIVE_INFINITY };
          const response = await rework({ ...context, freshness }).catch(() => undefined);
          if (response && freshness.validUntil > Date.now()) memo.renew(url, scope, renewedIn, { response, validUntil: freshness.validUntil, madeIn });
        },
        beginAfresh() {
          epoch = deps.store.changes.sharedEpoch;
          startedIn = deps.store.changes.epoch;
          // Upstream metadata read so far no longer goes into the answer either.
          context.freshness.validUntil = Number.POSITIVE_INFINITY;
        },
        authorize: (extra) => authorizeWithReason(deps, res, { domain, repository: repositoryName, principal: identity?.principal, action: extra }),
        may: (extra) =>
          authorizeRequest(deps, { domain, repository: repositoryName, principal: identity?.principal, action: extra }).then(
            () => true,
            (error: unknown) => {
              if (error instanceof AccessDeniedError) return false;
              throw error;
            },
          ),
      };
      await found.route.handle(context, found.match);
    } catch (error) {
      sendError(deps, req, res, format, error);
    }
  }
}

/** What locate finds: where a request goes. */
interface Target {
  domain: string;
  formatName: string;
  repositoryName: string;
  /** The path after the repository, still percent-encoded. */
  rest: string;
  method: HttpMethod;
  found: { route: Route; match: RegExpExecArray };
  action: RepositoryAction;
  entry: Mounted;
}

/** The root for browsers, and /-/ui/..., which no domain can shadow (domain names start with a letter). */
function isWebPath(rawPath: string, req: IncomingMessage): boolean {
  return (rawPath === '/' && wantsHtml(req)) || rawPath.startsWith('/-/ui/') || rawPath === '/-/ui';
}

/** Other clients get the health document at the root. */
function isHealthPath(rawPath: string): boolean {
  return rawPath === '/' || rawPath === '/health';
}

/** A browser asking for a page; curl, health checks and package clients do not say text/html. */
function wantsHtml(req: IncomingMessage): boolean {
  return /\btext\/html\b/i.test(String(req.headers.accept ?? ''));
}

function findRoute(routes: Route[], method: HttpMethod, rest: string): { route: Route; match: RegExpExecArray } | undefined {
  for (const route of routes) {
    if (route.method !== method && !(method === 'HEAD' && route.method === 'GET')) continue;
    const match = route.path.exec(rest);
    if (match) return { route, match };
  }
  return undefined;
}

/** The policies' check at the door and a route's second check (RequestContext.authorize). */
async function authorizeWithReason(deps: ServerDeps, res: ServerResponse, check: PolicyCheck): Promise<void> {
  await authorizeRequest(deps, check).catch((error: unknown) => {
    // twine and Maven show the reason phrase, not the body: the refusal goes there too (only
    // a refusal: another error's text may name a file of the store).
    if (error instanceof ArtifactError) res.statusMessage = reasonPhraseOf(error.message);
    throw error;
  });
}

/**
 * The door every request passes, remembered answer or not: a valid token, then the policies.
 * A read that passes is remembered for its credential, so the same request next time can be
 * answered without asking again (until an index changes or the token expires).
 */
async function checkAccess(
  deps: ServerDeps,
  doors: DoorMemo,
  epoch: number | undefined,
  req: IncomingMessage,
  res: ServerResponse,
  domain: string,
  repository: string,
  access: Route['access'],
  action: RepositoryAction,
): Promise<TokenIdentity | undefined> {
  const identity = await authenticate(deps, req, domain, access);
  await authorizeWithReason(deps, res, { domain, repository, principal: identity?.principal, action });
  if (access === 'read') {
    const expiresAt = identity ? Date.parse(identity.expiration) : Number.POSITIVE_INFINITY;
    doors.remember(domain, repository, action, credentialOf(req), epoch, expiresAt);
  }
  return identity;
}

// The Authorization header each keep-alive connection sent last, with its credential: clients
// send the same header on every request of a connection, and hashing it again costs more than
// the rest of a remembered answer. The comparison is in constant time all the same: a proxy
// in front of the server may carry several users' requests over one connection.
const lastCredentialOf = new WeakMap<Socket, { authorization: string; credential: string }>();

/** The request's credential as the door memo knows it: the token's SHA-256, or '' for none. */
function credentialOf(req: IncomingMessage): string {
  const authorization = req.headers.authorization;
  // With an API-key header as well, which one counts depends on both (extractToken).
  if (authorization === undefined || hasApiKeyHeader(req.headers)) return hashedTokenOf(req);
  const last = lastCredentialOf.get(req.socket);
  if (last !== undefined && sameInConstantTime(last.authorization, authorization)) return last.credential;
  const credential = hashedTokenOf(req);
  lastCredentialOf.set(req.socket, { authorization, credential });
  return credential;
}

function hashedTokenOf(req: IncomingMessage): string {
  const token = extractToken(req.headers);
  return token === undefined ? '' : hashToken(token);
}

/** a === b, taking as long for every pair of strings of one length (lengths are not secret). */
function sameInConstantTime(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}

function sendReusable(deps: ServerDeps, req: IncomingMessage, res: ServerResponse, response: ReusableResponse): Promise<void> | void {
  if ('blob' in response) return sendKeptBlob(req, res, deps.store.blobs, response.blob) ? undefined : sendBlob(req, res, deps.store.blobs, response.blob);
  sendRendered(req, res, response.rendered, response.options);
}

async function authenticate(deps: ServerDeps, req: IncomingMessage, domain: string, access: Route['access']): Promise<TokenIdentity | undefined> {
  const token = extractToken(req.headers);
  if (token) {
    const identity = await verifyToken(deps.store, domain, token);
    if (identity) return identity;
    throw new UnauthorizedError(`The token is not valid for domain ${domain}, or it has expired.`, {
      hint: `Get a new one with \`artifact-cli login\` or \`artifact-cli get-authorization-token --domain ${domain}\`.`,
    });
  }
  if (access === 'read' && deps.config.server.allowAnonymousRead) return undefined;
  throw new UnauthorizedError(`A token of domain ${domain} is required.`, {
    hint: `Run \`artifact-cli login --domain ${domain} ...\` to configure your client.`,
  });
}

/** The URL clients reach us by: the configured public URL, else the Host they used. */
function baseUrlFor(deps: ServerDeps, req: IncomingMessage): string {
  if (deps.config.server.publicUrl) return deps.baseUrl;
  const host = req.headers.host;
  return host && SAFE_HOST.test(host) ? `http://${host}` : deps.baseUrl;
}

function validateName(check: (name: string) => string, raw: string): void {
  check(decodeSafe(raw));
  if (raw !== decodeSafe(raw)) check(raw);
}

function decodeSafe(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/**
 * A client that hangs up before it is answered (mid-body, or while its upload is still being
 * stored) makes the request stream fail with its own error ("aborted"), whichever handler was
 * using it; that is the client's doing, not an internal failure.
 */
function isCutOffByClient(req: IncomingMessage, error: unknown): boolean {
  return !(error instanceof ArtifactError) && (!req.complete || req.destroyed) && (error as NodeJS.ErrnoException | undefined)?.code === 'ECONNRESET';
}

/** The 400 for a path with a dot segment; no format is known yet to word the body, so twine and mvn get it in the reason phrase. */
function dotSegmentRefused(res: ServerResponse): ValidationError {
  const refusal = new ValidationError("The request path has a '.' or '..' segment (perhaps percent-encoded); ask for the path it leads to instead.");
  res.statusMessage = reasonPhraseOf(refusal.message);
  return refusal;
}

function sendError(deps: ServerDeps, req: IncomingMessage, res: ServerResponse, format: Format | undefined, error: unknown): void {
  const cutOff = isCutOffByClient(req, error);
  const artifactError = cutOff
    ? new ValidationError('The client closed the connection before the request was answered.', { cause: error })
    : toArtifactError(error);
  const where = () => `${req.method} ${redactRequestPath(req.url?.split('?')[0] ?? '')}`;
  // The operator's log names the failed call and its file; the client's answer names neither.
  if (artifactError instanceof StoreUnavailableError) logStoreFailure(deps.log, `on ${where()}`, artifactError);
  else if (!(error instanceof ArtifactError) && !cutOff) deps.log(`internal error on ${where()}: ${(error as Error)?.stack ?? String(error)}`);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const headers: Record<string, string | string[]> = { 'cache-control': 'no-store' };
  // A store failure's words name no path: safe on the status line, for the clients that print only that.
  if (artifactError instanceof StoreUnavailableError && format?.storeFailureInReasonPhrase && res.statusMessage === undefined)
    res.statusMessage = reasonPhraseOf(artifactError.message);
  if (artifactError.httpStatus === 401) headers['www-authenticate'] = AUTH_CHALLENGES;
  const rendered = format
    ? format.renderError(artifactError)
    : { contentType: 'application/json', body: JSON.stringify({ error: artifactError.message, code: artifactError.code }) };
  const body = Buffer.from(scrubForClient(String(rendered.body), deps.store.root, error));
  res.writeHead(artifactError.httpStatus, { ...headers, ...rendered.headers, 'content-type': rendered.contentType, 'content-length': body.length });
  // The rest of a body still coming is drained before the response ends, or the client may read a reset, not this answer.
  endAfterBody(req, res, req.method === 'HEAD' ? undefined : body);
}
