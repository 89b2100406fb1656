/**
 * The web interface's requests (docs/web.md): the root page for browsers, and everything under
 * /-/ui/, a prefix no domain can take (domain names start with a letter). Loaded by the
 * server's handler on the first such request, so neither the CLI nor the package endpoints
 * carry it. Every answer gets the same strict headers: a CSP with no inline script and no other
 * origin, nosniff, no framing, no referrer to other sites.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import type { PackageKey } from '../../core/model.js';
import { validateDomainName, validatePackagePart, validateRepositoryName } from '../../core/names.js';
import { AccessDeniedError, ArtifactError, ResourceNotFoundError, StoreUnavailableError, UpstreamError, ValidationError } from '../../errors.js';
import { formatRules, isPackageFormat } from '../../formats/registry.js';
import { getPackageVersionAsset } from '../../operations/package-version-asset.js';
import { listPackageVersionAssets } from '../../operations/package-version-details.js';
import { hashToken, verifyToken, verifyTokenHash } from '../../operations/tokens.js';
import { readBody } from '../body.js';
import { authorizeRequest } from '../policy.js';
import { scrubForClient } from '../scrub-paths.js';
import { logStoreFailure } from '../store-failure-log.js';
import type { ServerDeps } from '../route.js';
import { sendAsset } from './assets.js';
import type { Viewer } from './layout.js';
import { domainPage, errorPage, homePage, notFound, packagePage, repositoryPage, searchPage, signInPage, type PageResult, type WebContext } from './pages.js';
import { clearedSessionCookie, SessionTable, sessionCookie } from './session.js';
import { ViewCache } from './view-cache.js';
import { endAfterBody } from '../answer-before-body.js';

export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  // same-origin, not no-referrer: with no-referrer Chromium sends "Origin: null" on our own forms.
  'referrer-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

const SAFE_HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;
const MAX_FORM_BYTES = 8 * 1024;
const READ_ACTION = 'codeartifact:ReadFromRepository';

export interface WebInterface {
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
}

export function createWebInterface(deps: ServerDeps): WebInterface {
  const sessions = new SessionTable();
  const views = new ViewCache(deps.store);

  async function viewerOf(req: IncomingMessage): Promise<Viewer> {
    const anonymousReads = deps.config.server.allowAnonymousRead;
    const session = sessions.find(req);
    if (!session) return { anonymousReads };
    const identity = await verifyTokenHash(deps.store, session.domain, session.tokenHash);
    if (!identity) {
      sessions.close(req);
      return { anonymousReads };
    }
    return { anonymousReads, session: { domain: session.domain, principal: identity.principal } };
  }

  function contextFor(req: IncomingMessage, url: URL, viewer: Viewer): WebContext {
    const decided = new Map<string, boolean>();
    const principalIn = (domain: string): { principal?: string } | undefined => {
      if (viewer.session?.domain === domain) return { principal: viewer.session.principal };
      return viewer.anonymousReads ? {} : undefined;
    };
    return {
      deps,
      views,
      viewer,
      url,
      baseUrl: baseUrlOf(deps, req),
      mayEnter: (domain) => principalIn(domain) !== undefined,
      async mayRead(domain, repository) {
        const key = `${domain}\u0000${repository}`;
        const known = decided.get(key);
        if (known !== undefined) return known;
        const who = principalIn(domain);
        let allowed = false;
        if (who) {
          allowed = await authorizeRequest(deps, { domain, repository, principal: who.principal, action: READ_ACTION }).then(
            () => true,
            (error: unknown) => {
              if (error instanceof AccessDeniedError) return false;
              throw error;
            },
          );
        }
        decided.set(key, allowed);
        return allowed;
      },
    };
  }

  async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const path = url.pathname;
    if (path.startsWith('/-/ui/assets/')) {
      if ((method === 'GET' || method === 'HEAD') && sendAsset(req, res, path, SECURITY_HEADERS)) return;
      sendPage(req, res, { status: 404, body: 'Not found.' }, 'text/plain; charset=utf-8');
      return;
    }
    const viewer = await viewerOf(req);
    const context = contextFor(req, url, viewer);
    try {
      const segments = path === '/' ? [] : splitPath(path.slice('/-/ui'.length));
      if (segments[0] === 'sign-in' && segments.length === 1) {
        if (method === 'POST') return await signIn(req, res, context);
        requireMethod(method, 'GET');
        return sendPage(req, res, signInPage(context, 200, undefined, url.searchParams.get('domain') ?? undefined));
      }
      if (segments[0] === 'sign-out' && segments.length === 1) {
        requireMethod(method, 'POST');
        checkSameOrigin(req);
        sessions.close(req);
        return redirect(res, '/', clearedSessionCookie());
      }
      requireMethod(method, 'GET');
      if (segments.length === 0) return sendPage(req, res, await homePage(context));
      if (segments[0] !== 'domains' || segments.length < 2) throw notFound();
      const domain = segments[1];
      checkDomainName(domain);
      // A domain the viewer cannot enter: a sign-in form for it, not a hint about what it holds.
      if (!context.mayEnter(domain)) return sendPage(req, res, signInPage(context, 401, `Sign in with a token of domain ${domain} to see it.`, domain));
      if (segments.length === 2) return sendPage(req, res, await domainPage(context, domain));
      if (segments.length === 3 && segments[2] === 'search') return sendPage(req, res, await searchPage(context, domain));
      if (segments[2] !== 'repositories' || segments.length < 4) throw notFound();
      const repository = segments[3];
      checkName(() => validateRepositoryName(repository));
      if (segments.length === 4) return sendPage(req, res, await repositoryPage(context, domain, repository));
      if (segments.length === 7 && segments[4] === 'packages')
        return sendPage(req, res, await packagePage(context, domain, repository, segments[5], segments[6]));
      if (segments.length === 7 && segments[4] === 'download') return await download(res, context, domain, repository, segments[5], segments[6]);
      throw notFound();
    } catch (error) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (error instanceof MethodNotAllowed) {
        sendPage(req, res, errorPage(context, 405, error.message));
        return;
      }
      if (error instanceof ResourceNotFoundError) {
        // The same words whether it is missing or hidden from this viewer.
        sendPage(req, res, errorPage(context, 404, 'This page does not exist, or you may not read it.'));
        return;
      }
      if (error instanceof ArtifactError) {
        // A damaged index's message names its file: the operator's log gets it, the page does not.
        if (error instanceof StoreUnavailableError) logStoreFailure(deps.log, `on ${method} ${path}`, error);
        else if (error.httpStatus >= 500 && !(error instanceof UpstreamError)) deps.log(`error in the web interface on ${method} ${path}: ${error.message}`);
        sendPage(req, res, errorPage(context, error.httpStatus, scrubForClient(error.message, deps.store.root, error)));
        return;
      }
      deps.log(`internal error in the web interface on ${method} ${path}: ${(error as Error)?.stack ?? String(error)}`);
      sendPage(req, res, errorPage(context, 500, 'The server failed to show this page; its log says why.'));
    }
  }

  async function signIn(req: IncomingMessage, res: ServerResponse, context: WebContext): Promise<void> {
    checkSameOrigin(req);
    if (!/^application\/x-www-form-urlencoded\b/i.test(String(req.headers['content-type'] ?? '')))
      throw new ValidationError('The sign-in form must be sent as a form.');
    const form = new URLSearchParams((await readBody(req, MAX_FORM_BYTES)).toString('utf8'));
    const domain = (form.get('domain') ?? '').trim();
    const token = (form.get('token') ?? '').trim();
    const domainOk = domain !== '' && isDomainName(domain) && (await deps.store.index.getDomain(domain)) !== undefined;
    const identity = domainOk && token ? await verifyToken(deps.store, domain, token) : undefined;
    if (!identity) {
      sendPage(
        req,
        res,
        signInPage(
          context,
          401,
          domainOk ? `That token is not valid for domain ${domain}, or it has expired.` : 'There is no such domain, or you may not sign in to it.',
          domainOk ? domain : undefined,
        ),
      );
      return;
    }
    const expiresAt = Date.parse(identity.expiration);
    const id = sessions.open({ domain, tokenHash: hashToken(token), expiresAt });
    redirect(res, `/-/ui/domains/${domain}`, sessionCookie(id, expiresAt));
  }

  async function download(res: ServerResponse, context: WebContext, domain: string, repository: string, format: string, name: string): Promise<void> {
    if (!isPackageFormat(format) || !(await context.deps.store.index.getRepository(domain, repository)) || !(await context.mayRead(domain, repository)))
      throw notFound();
    const params = context.url.searchParams;
    const key: PackageKey = { domain, repository, format, namespace: params.get('namespace') || undefined, name };
    const version = params.get('version') ?? '';
    const assetName = params.get('asset') ?? '';
    checkName(() => [
      validatePackagePart('package', name),
      key.namespace && validatePackagePart('namespace', key.namespace),
      validatePackagePart('version', version),
    ]);
    const listed = await listPackageVersionAssets(deps.store, key, version, { maxResults: 1000 });
    const asset = listed.assets.find((entry) => entry.name === assetName);
    if (!asset) throw new ResourceNotFoundError('No such asset.');
    const headers: Record<string, string | number> = {
      ...SECURITY_HEADERS,
      'content-type': 'application/octet-stream',
      // npm lists its tarball as package.tgz; saved under that name, every download would collide.
      'content-disposition': attachment(formatRules(key.format).downloadFileName(name, listed.version, asset)),
      'content-length': asset.size,
      'cache-control': 'private, no-store',
    };
    // Headers go out with the first bytes, so a refusal found before them is still an error page.
    const out = new Writable({
      write(chunk: Buffer, _encoding, done) {
        if (!res.headersSent) res.writeHead(200, headers);
        if (res.write(chunk)) done();
        else res.once('drain', () => done());
      },
    });
    // A browser that goes away mid-download must not leave the copy waiting for a drain forever.
    res.once('close', () => {
      if (!res.writableFinished) out.destroy(new Error('The browser closed the download.'));
    });
    await getPackageVersionAsset(deps.store, key, { version, asset: asset.name, outfile: out });
    if (!res.headersSent) res.writeHead(200, headers);
    res.end();
  }

  return { handle };
}

function sendPage(req: IncomingMessage, res: ServerResponse, page: PageResult, contentType = 'text/html; charset=utf-8'): void {
  const headers: Record<string, string | number> = {
    ...SECURITY_HEADERS,
    'content-type': contentType,
    'cache-control': 'no-store',
    vary: 'cookie, accept-encoding',
  };
  let body = Buffer.from(page.body, 'utf8');
  if (body.length > 1024 && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
    body = gzipSync(body, { level: 6 });
    headers['content-encoding'] = 'gzip';
  }
  headers['content-length'] = body.length;
  res.writeHead(page.status, headers);
  endAfterBody(req, res, req.method === 'HEAD' ? undefined : body);
}

function redirect(res: ServerResponse, location: string, cookie: string): void {
  res.writeHead(303, { ...SECURITY_HEADERS, location, 'set-cookie': cookie, 'cache-control': 'no-store', 'content-length': 0 });
  res.end();
}

function requireMethod(method: string, wanted: 'GET' | 'POST'): void {
  if (method === wanted || (wanted === 'GET' && method === 'HEAD')) return;
  throw new MethodNotAllowed(`${method} is not supported here.`);
}

class MethodNotAllowed extends Error {}

/**
 * Forms that change the session are taken only from this server's own pages: the browser says
 * where a form came from (Origin, Sec-Fetch-Site), and a session cookie is SameSite=Strict too.
 */
function checkSameOrigin(req: IncomingMessage): void {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') throw new AccessDeniedError('Forms are taken only from this server’s own pages.');
  const origin = req.headers.origin;
  if (origin === undefined || origin === 'null') {
    if (origin === 'null') throw new AccessDeniedError('Forms are taken only from this server’s own pages.');
    return;
  }
  const host = req.headers.host ?? '';
  if (!SAFE_HOST.test(host) || (origin !== `http://${host}` && origin !== `https://${host}`))
    throw new AccessDeniedError('Forms are taken only from this server’s own pages.');
}

function splitPath(rest: string): string[] {
  const trimmed = rest.replace(/^\/+/, '').replace(/\/+$/, '');
  if (trimmed === '') return [];
  return trimmed.split('/').map((segment) => {
    try {
      return decodeURIComponent(segment);
    } catch {
      throw notFound();
    }
  });
}

function isDomainName(name: string): boolean {
  try {
    validateDomainName(name);
    return true;
  } catch {
    return false;
  }
}

function checkDomainName(name: string): void {
  if (!isDomainName(name)) throw notFound('This domain');
}

/** A name that breaks the naming rules is a page that does not exist, like any other. */
export function checkName(check: () => unknown): void {
  try {
    check();
  } catch {
    throw notFound();
  }
}

/** `attachment; filename="..."` with an ASCII fallback and the exact name in RFC 5987 form. */
function attachment(name: string): string {
  const base = name.split('/').pop() ?? name;
  const ascii = base.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(base)}`;
}

function baseUrlOf(deps: ServerDeps, req: IncomingMessage): string {
  if (deps.config.server.publicUrl) return deps.baseUrl;
  const host = req.headers.host;
  return host && SAFE_HOST.test(host) ? `http://${host}` : deps.baseUrl;
}
