/**
 * The web interface over plain HTTP against the real `artifact-cli serve`: the root answers
 * browsers with a page and other clients with the health document, package endpoints are not
 * shadowed, every answer carries the strict headers, assets are cached by ETag, the sign-in
 * cookie is what it must be and the token appears nowhere, and hostile paths get a plain 404.
 */
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { startGuardedStore, type GuardedStore } from './guarded-store.js';

let store: GuardedStore;

beforeAll(async () => {
  store = await startGuardedStore();
}, 120_000);

const HTML = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

function get(path: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${store.server.url}${path}`, { headers, redirect: 'manual' });
}

function expectStrictHeaders(response: Response): void {
  const csp = response.headers.get('content-security-policy') ?? '';
  expect(csp).toContain("default-src 'none'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toContain('unsafe');
  expect(csp).not.toMatch(/https?:|\*/);
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  expect(response.headers.get('x-frame-options')).toBe('DENY');
}

async function signIn(token: string): Promise<string> {
  const response = await fetch(`${store.server.url}/-/ui/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: store.server.url },
    body: new URLSearchParams({ domain: 'acme', token }).toString(),
    redirect: 'manual',
  });
  expect(response.status).toBe(303);
  const cookie = response.headers.get('set-cookie') ?? '';
  return cookie.split(';')[0];
}

describe('the web interface over HTTP', () => {
  it('answers the root with a page for browsers and the health document for everything else', async () => {
    const page = await get('/', HTML);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expectStrictHeaders(page);
    // No anonymous reads on this server: the root is the sign-in form.
    expect(await page.text()).toContain('<h1>Sign in</h1>');

    const health = await get('/');
    expect(health.headers.get('content-type')).toBe('application/json');
    expect(await health.json()).toMatchObject({ status: 'ok' });
  });

  it('leaves the package endpoints alone, whatever the Accept header says', async () => {
    const simple = await get('/acme/pypi/main/simple/', { ...HTML, authorization: `Bearer ${store.adminToken}` });
    expect(simple.status).toBe(200);
    expect(simple.headers.get('content-security-policy')).toBeNull();
    expect(await simple.text()).not.toContain('artifact-cli</a>');
    const missing = await get('/acme/npm/main/no-such-package', { ...HTML, authorization: `Bearer ${store.adminToken}` });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/json');
  });

  it('serves assets from memory with long caching and ETags', async () => {
    const page = await (await get('/-/ui/sign-in', HTML)).text();
    const paths = [...page.matchAll(/(?:href|src)="(\/-\/ui\/assets\/[^"]+)"/g)].map((match) => match[1]);
    expect(paths.some((path) => path.endsWith('.css'))).toBe(true);
    expect(paths.some((path) => path.endsWith('.js'))).toBe(true);
    for (const path of new Set(paths)) {
      const response = await get(path, { 'accept-encoding': 'gzip' });
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expectStrictHeaders(response);
      const etag = response.headers.get('etag') ?? '';
      expect(etag).toMatch(/^"[0-9a-f]{16}"$/);
      expect(path).toContain(etag.slice(1, -1));
      const again = await get(path, { 'if-none-match': etag });
      expect(again.status).toBe(304);
    }
    expect((await get('/-/ui/assets/app.0000000000000000.js')).status).toBe(404);
  });

  it('signs in with an HttpOnly SameSite=Strict cookie that ends with the token, and never echoes the token', async () => {
    const wrong = await fetch(`${store.server.url}/-/ui/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: store.server.url },
      body: new URLSearchParams({ domain: 'acme', token: `${store.readerToken}x` }).toString(),
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    expect(await wrong.text()).not.toContain(store.readerToken);

    const response = await fetch(`${store.server.url}/-/ui/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: store.server.url },
      body: new URLSearchParams({ domain: 'acme', token: store.readerToken }).toString(),
      redirect: 'manual',
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/-/ui/domains/acme');
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^artifact_cli_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=(\d+);/);
    const maxAge = Number(/Max-Age=(\d+)/.exec(cookie)?.[1]);
    expect(Math.abs(maxAge - 43_200)).toBeLessThan(300);
    expect(cookie).not.toContain(store.readerToken.slice(5));

    const session = cookie.split(';')[0];
    const domain = await get('/-/ui/domains/acme', { ...HTML, cookie: session });
    expect(domain.status).toBe(200);
    const text = await domain.text();
    expect(text).toContain('as <strong>reader</strong>');
    expect(text).not.toContain('secret');
    // A made-up session is nobody.
    const forged = await get('/-/ui/domains/acme', { ...HTML, cookie: 'artifact_cli_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' });
    expect(forged.status).toBe(401);
    expect(store.server.output()).not.toContain(store.readerToken);
  });

  it('takes sign-in and sign-out forms only from its own pages', async () => {
    const body = new URLSearchParams({ domain: 'acme', token: store.readerToken }).toString();
    const foreignHeaders: Record<string, string>[] = [{ origin: 'http://attacker.invalid' }, { origin: 'null' }, { 'sec-fetch-site': 'cross-site' }];
    for (const headers of foreignHeaders) {
      const response = await fetch(`${store.server.url}/-/ui/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body,
        redirect: 'manual',
      });
      expect(response.status).toBe(403);
      expect(response.headers.get('set-cookie')).toBeNull();
    }
    const session = await signIn(store.readerToken);
    const foreign = await fetch(`${store.server.url}/-/ui/sign-out`, {
      method: 'POST',
      headers: { cookie: session, origin: 'http://attacker.invalid' },
      redirect: 'manual',
    });
    expect(foreign.status).toBe(403);
    expect((await get('/-/ui/domains/acme', { ...HTML, cookie: session })).status).toBe(200);
    const out = await fetch(`${store.server.url}/-/ui/sign-out`, {
      method: 'POST',
      headers: { cookie: session, origin: store.server.url },
      redirect: 'manual',
    });
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
    // The old cookie no longer opens anything, even if a browser kept it.
    expect((await get('/-/ui/domains/acme', { ...HTML, cookie: session })).status).toBe(401);
  });

  it('sends downloads as attachments, and only from repositories the principal may read', async () => {
    const session = await signIn(store.readerToken);
    const download = await get('/-/ui/domains/acme/repositories/main/download/generic/visible-tool?namespace=tools&version=1.0.0&asset=tool.txt', {
      cookie: session,
    });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/octet-stream');
    expect(download.headers.get('content-disposition')).toBe(`attachment; filename="tool.txt"; filename*=UTF-8''tool.txt`);
    expectStrictHeaders(download);
    expect(await download.text()).toBe('a tool\n');
    const hidden = await get('/-/ui/domains/acme/repositories/secret/download/generic/secret-tool?namespace=tools&version=1.0.0&asset=tool.txt', {
      cookie: session,
    });
    expect(hidden.status).toBe(404);
    expect(await hidden.text()).not.toContain('a tool');
    const admin = await signIn(store.adminToken);
    const allowed = await get('/-/ui/domains/acme/repositories/secret/download/generic/secret-tool?namespace=tools&version=1.0.0&asset=tool.txt', {
      cookie: admin,
    });
    expect(allowed.status).toBe(200);
  });

  it('answers hostile paths with a plain 404 that names no file of the server', async () => {
    const session = await signIn(store.adminToken);
    const paths = [
      '/-/ui/domains/..%2F..%2Fetc',
      '/-/ui/domains/acme/repositories/..%2Fsecret',
      '/-/ui/domains/acme/repositories/main/packages/generic/..%2F..%2F..%2Fpasswd?namespace=tools',
      '/-/ui/domains/acme/repositories/main/packages/generic/visible-tool?namespace=..%2F..',
      '/-/ui/domains/acme/repositories/main/packages/nope/visible-tool',
      '/-/ui/domains/acme/repositories/main/download/generic/visible-tool?namespace=tools&version=..%2F..&asset=..%2F..%2Fetc%2Fpasswd',
      '/-/ui/domains/acme/repositories/main/download/generic/visible-tool?namespace=tools&version=1.0.0&asset=..%2Ftool.txt',
      '/-/ui/domains/acme/repositories/main%00',
      '/-/ui/domains/acme/%E0%A4%A',
      '/-/ui/domains/ACME',
      '/-/ui/nowhere',
    ];
    for (const path of paths) {
      const response = await get(path, { ...HTML, cookie: session });
      expect(response.status, path).toBe(404);
      expectStrictHeaders(response);
      const text = await response.text();
      expect(text, path).toContain('does not exist, or you may not read it');
      expect(text).not.toContain(store.root);
      expect(text).not.toContain('/etc/');
    }
    const put = await fetch(`${store.server.url}/-/ui/domains/acme`, { method: 'PUT', headers: { cookie: session } });
    expect(put.status).toBe(405);
  });

  // The page used to print "The index file /the/store/root/domains/... is not valid JSON".
  it('names no server path when a damaged index breaks a page, and logs which file it was', async () => {
    const session = await signIn(store.adminToken);
    const file = path.join(store.root, 'domains/acme/repositories/main/packages/generic/tools/damaged-tool.json');
    writeFileSync(file, '{"broken');
    try {
      const response = await get('/-/ui/domains/acme/repositories/main/packages/generic/damaged-tool?namespace=tools', { ...HTML, cookie: session });
      expect(response.status).toBe(500);
      expectStrictHeaders(response);
      const text = await response.text();
      expect(text).toContain('is not valid JSON');
      expect(text).not.toContain(store.root);
      expect(text).not.toContain('damaged-tool.json');
      await expect.poll(() => store.server.output()).toContain('damaged-tool.json');
    } finally {
      rmSync(file);
    }
  });
});
