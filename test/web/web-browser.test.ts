/**
 * The web interface in a real browser (Debian's Chromium through playwright-core), against the
 * real `artifact-cli serve` holding packages the real npm published: browsing from the root to
 * a package, its readme, a filter applied as you type, an install line copied, dependencies
 * linking, downloads; hostile stored text shown as text with no script run; axe-core finds no
 * serious or critical violation on any main page. Screenshots go to a temp directory.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { DOMAIN, findClient, REPOSITORY, setupNpmRegistry, type NpmRegistrySetup } from '../e2e/helpers/npm-clients.js';
import { findChromium, launchChromium, seriousAccessibilityViolations, watchForScript } from './browser.js';
import { startGuardedStore, type GuardedStore } from './guarded-store.js';
import { findPythonClients, setupPypiClients, type PypiClientsSetup } from '../helpers/pypi-clients.js';
import { buildWheel } from '../helpers/pypi-dist.js';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';

// A browser test does many steps; on a loaded 2-CPU CI machine they need more than the default minute.
const BROWSER_TEST_MS = 180_000;

const chromiumPath = findChromium();
const npm = chromiumPath ? findClient('npm') : undefined;

let screenshots: string | undefined;

/** Where screenshots go: ARTIFACT_CLI_WEB_SCREENSHOTS keeps them past the test run, else a temp directory. */
function screenshotDir(): string {
  if (!screenshots) {
    screenshots = process.env.ARTIFACT_CLI_WEB_SCREENSHOTS ?? makeTempDir('artifact-cli-web-screenshots-');
    mkdirSync(screenshots, { recursive: true });
    console.log(`web interface screenshots: ${screenshots}`);
  }
  return screenshots;
}

const HOSTILE_README = [
  '# Hostile readme',
  '',
  '<script>window.__pwned = "script"; alert("script")</script>',
  '',
  '<img src="x" onerror="window.__pwned = \'img\'; alert(\'img\')">',
  '',
  '[click me](javascript:alert("link"))',
  '',
  '[tabbed](java\tscript:alert("tab"))',
  '',
  '[svg data](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9ImFsZXJ0KDEpIi8+)',
  '',
  '<svg onload="alert(\'svg\')"><script>alert("svg script")</script></svg>',
  '',
  '![tracker](http://127.0.0.1:9/pixel.png)',
  '',
  '[a fine link](https://example.invalid/docs)',
].join('\n');

describe.skipIf(!chromiumPath || !npm)('the web interface in Chromium (anonymous reads)', () => {
  let setup: NpmRegistrySetup;
  let browser: Browser;
  let context: BrowserContext;
  let shots: string;

  beforeAll(async () => {
    setup = await setupNpmRegistry(['--allow-anonymous-read']);
    await setup.runOk(npm as string, ['publish'], setup.fixtureCopy('left-pad-lite'));
    await setup.runOk(npm as string, ['publish'], setup.fixtureCopy('left-pad-lite', '1.1.0'));
    await setup.runOk(npm as string, ['publish'], setup.fixtureCopy('acme-util'));
    // A package whose readme and description are hostile, published like any other.
    const hostile = setup.fixtureCopy('left-pad-lite');
    writeFileSync(path.join(hostile, 'README.md'), HOSTILE_README);
    const manifest = JSON.parse(readFileSync(path.join(hostile, 'package.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(
      path.join(hostile, 'package.json'),
      JSON.stringify({ ...manifest, name: 'hostile-readme', description: '<img src=x onerror="alert(\'description\')"><b>bold?</b>' }),
    );
    await setup.runOk(npm as string, ['publish'], hostile);
    // A generic package whose name and namespace hold HTML.
    const asset = path.join(makeTempDir('web-asset-'), 'payload.html');
    const assetBytes = '<script>alert("asset")</script>';
    writeFileSync(asset, assetBytes);
    const sha256 = createHash('sha256').update(assetBytes).digest('hex');
    const published = await runCli(
      [
        'publish-package-version',
        '--domain',
        DOMAIN,
        '--repository',
        REPOSITORY,
        '--format',
        'generic',
        '--namespace',
        '<b>ns',
        '--package',
        'x"><script>alert(1)<',
        '--package-version',
        '1.0',
        '--asset-name',
        'payload.html',
        '--asset-content',
        asset,
        '--asset-sha256',
        sha256,
      ],
      { root: setup.root },
    );
    expect(published.code, published.stderr).toBe(0);
    browser = await launchChromium();
    context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'], acceptDownloads: true });
    shots = screenshotDir();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
  });

  async function open(url: string): Promise<{ page: Page; problems: string[] }> {
    const page = await context.newPage();
    const problems = watchForScript(page);
    await page.goto(url);
    return { page, problems };
  }

  it(
    'browses from the root to an npm package, renders its readme, and copies an install line',
    async () => {
      const { page, problems } = await open(`${setup.server.url}/`);
      await expect(page.title()).resolves.toContain('Domains');
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await page.screenshot({ path: path.join(shots, 'home.png'), fullPage: true });

      await page.getByRole('link', { name: DOMAIN, exact: true }).click();
      await page.waitForURL(/\/-\/ui\/domains\/acme$/);
      await expect(page.locator('main').innerText()).resolves.toMatch(/Packages\s+4/);
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await page.screenshot({ path: path.join(shots, 'domain.png'), fullPage: true });

      await page.getByRole('link', { name: REPOSITORY, exact: true }).click();
      await page.waitForURL(/repositories\/main$/);
      await expect(page.locator('#package-results').innerText()).resolves.toContain('4 packages');
      expect(await page.locator('.graph svg title').textContent()).toContain('main');
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await page.screenshot({ path: path.join(shots, 'repository.png'), fullPage: true });

      await page.getByRole('link', { name: '@acme/util' }).click();
      await page.waitForURL(/packages\/npm\/util\?namespace=acme/);
      // The dependency links to the package the repository holds.
      await page.getByRole('link', { name: 'left-pad-lite' }).first().click();
      await page.waitForURL(/packages\/npm\/left-pad-lite/);
      await expect(page.locator('h1').innerText()).resolves.toBe('left-pad-lite 1.1.0');
      // The readme is rendered Markdown: a heading and a code block.
      await expect(page.locator('.readme h3').innerText()).resolves.toBe('left-pad-lite');
      await expect(page.locator('.readme pre code').innerText()).resolves.toContain("require('left-pad-lite')");
      // Both versions, newest first, each published here.
      const versions = await page.locator('table:has(caption:text("Versions of")) tbody tr').allInnerTexts();
      expect(versions.map((row) => row.split('\t')[0].trim())).toEqual(['1.1.0', '1.0.0']);
      expect(versions[0]).toContain('published here');
      await expect(page.locator('aside').innerText()).resolves.toMatch(/latest\s+1\.1\.0/);
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await page.screenshot({ path: path.join(shots, 'package.png'), fullPage: true });

      await page.getByRole('button', { name: 'Copy npm', exact: true }).click();
      await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe('npm install left-pad-lite@1.1.0');
      await expect.poll(() => page.locator('#live-status').textContent()).toBe('Copied to the clipboard');
      await expect(page.getByRole('button', { name: 'Copied npm', exact: true }).isVisible()).resolves.toBe(true);

      // An older version by its link; its tarball downloads as an attachment.
      await page.getByRole('link', { name: '1.0.0', exact: true }).click();
      await page.waitForURL(/version=1\.0\.0/);
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'package.tgz' }).click()]);
      expect(download.suggestedFilename()).toBe('left-pad-lite-1.0.0.tgz');
      const saved = path.join(makeTempDir('web-download-'), 'a.tgz');
      await download.saveAs(saved);
      expect(readFileSync(saved).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
      expect(problems).toEqual([]);
    },
    BROWSER_TEST_MS,
  );

  it(
    'filters the package list as you type, and searches from the top bar',
    async () => {
      const { page, problems } = await open(`${setup.server.url}/-/ui/domains/${DOMAIN}/repositories/${REPOSITORY}`);
      await page.getByLabel('Name', { exact: true }).pressSequentially('pad');
      await expect.poll(() => page.locator('#package-results').innerText()).toContain('1 package match');
      expect(page.url()).toContain('name=pad');
      await expect(page.locator('#package-results tbody tr').count()).resolves.toBe(1);
      await page.getByLabel('Format').selectOption('generic');
      await expect.poll(() => page.locator('#package-results').innerText()).toContain('0 packages match');
      await page.getByLabel('Name', { exact: true }).fill('');
      await expect.poll(() => page.locator('#package-results').innerText()).toContain('1 package match');

      // "/" jumps to the search box; Enter searches the domain.
      await page.locator('h1').click();
      await page.keyboard.press('/');
      await page.keyboard.type('util');
      await page.keyboard.press('Enter');
      await page.waitForURL(/search\?q=util/);
      await expect(page.locator('main table tbody').innerText()).resolves.toContain('@acme/util');
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await page.screenshot({ path: path.join(shots, 'search.png'), fullPage: true });
      expect(problems).toEqual([]);
    },
    BROWSER_TEST_MS,
  );

  it(
    'is usable from the keyboard: a skip link first, then every link and control in order',
    async () => {
      const { page, problems } = await open(`${setup.server.url}/-/ui/domains/${DOMAIN}/repositories/${REPOSITORY}`);
      await page.keyboard.press('Tab');
      await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Skip to content');
      await page.keyboard.press('Enter');
      await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('main');
      // From the main content, Tab reaches the breadcrumbs, then the filters; Enter on a package link opens it.
      const reached: string[] = [];
      for (let i = 0; i < 12; i++) {
        await page.keyboard.press('Tab');
        reached.push(
          await page.evaluate(
            () => `${document.activeElement?.tagName} ${document.activeElement?.getAttribute('name') ?? document.activeElement?.textContent ?? ''}`,
          ),
        );
      }
      expect(reached.slice(0, 2)).toEqual(['A Domains', 'A acme']);
      expect(reached).toEqual(expect.arrayContaining(['INPUT name', 'INPUT namespace', 'SELECT format', 'SELECT sort', 'A @acme/util']));
      for (let i = 0; i < 40 && !(await page.evaluate(() => document.activeElement?.textContent === '@acme/util')); i++) await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await page.waitForURL(/packages\/npm\/util/);
      // The dark palette, at phone width, has no contrast or other serious problems either.
      await page.setViewportSize({ width: 390, height: 844 });
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.goto(`${setup.server.url}/-/ui/domains/${DOMAIN}/repositories/${REPOSITORY}`);
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await page.screenshot({ path: path.join(shots, 'repository-phone-dark.png'), fullPage: true });
      expect(problems).toEqual([]);
    },
    BROWSER_TEST_MS,
  );

  it(
    'shows hostile readmes, names and descriptions as text and runs none of their script',
    async () => {
      const { page, problems } = await open(`${setup.server.url}/-/ui/domains/${DOMAIN}/repositories/${REPOSITORY}/packages/npm/hostile-readme`);
      const readme = page.locator('.readme');
      await expect(readme.innerText()).resolves.toContain('<script>window.__pwned = "script"; alert("script")</script>');
      await expect(readme.innerText()).resolves.toContain('<img src="x" onerror=');
      expect(await readme.locator('script, img, svg, iframe').count()).toBe(0);
      const hrefs = await readme.locator('a').evaluateAll((links) => links.map((link) => [link.getAttribute('href'), link.getAttribute('rel')]));
      expect(hrefs.every(([href]) => href !== null && /^https?:/.test(href))).toBe(true);
      expect(hrefs).toContainEqual(['https://example.invalid/docs', 'noopener noreferrer']);
      await expect(page.locator('main > p').first().innerText()).resolves.toContain('<img src=x onerror="alert(\'description\')"><b>bold?</b>');
      await page.screenshot({ path: path.join(shots, 'hostile-readme.png'), fullPage: true });

      const list = await open(`${setup.server.url}/-/ui/domains/${DOMAIN}/repositories/${REPOSITORY}?format=generic`);
      await list.page.getByRole('link', { name: '<b>ns:x"><script>alert(1)<' }).click();
      await expect(list.page.locator('h1').innerText()).resolves.toBe('<b>ns:x"><script>alert(1)< 1.0');
      expect(await seriousAccessibilityViolations(list.page)).toEqual([]);
      expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
      expect(problems).toEqual([]);
      expect(list.problems).toEqual([]);
    },
    BROWSER_TEST_MS,
  );
});

describe.skipIf(!chromiumPath)('the web interface in Chromium (tokens required)', () => {
  let store: GuardedStore;
  let browser: Browser;

  beforeAll(async () => {
    store = await startGuardedStore();
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  it(
    'signs in with a token, shows only what its principal may read, and signs out',
    async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      const problems = watchForScript(page);
      await page.goto(`${store.server.url}/`);
      await expect(page.locator('main h1').innerText()).resolves.toBe('Sign in');
      expect(await seriousAccessibilityViolations(page)).toEqual([]);

      // A wrong token: the form says so, and keeps nothing of it.
      await page.getByLabel('Domain').fill('acme');
      await page.getByLabel('Token').fill(`${store.readerToken.slice(0, -4)}AAAA`);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page.getByRole('alert').innerText()).resolves.toContain('not valid for domain acme');
      expect(await page.content()).not.toContain(store.readerToken.slice(0, -4));

      await page.getByLabel('Token').fill(store.readerToken);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(/\/-\/ui\/domains\/acme$/);
      await expect(page.locator('header').innerText()).resolves.toContain('Signed in to acme as reader');
      const repositories = await page.locator('main .cards h2').allInnerTexts();
      expect(repositories).toEqual(['main']);
      expect(await page.content()).not.toContain('secret');
      expect(await page.content()).not.toContain(store.readerToken);

      const [cookie, ...others] = await context.cookies();
      expect(others).toEqual([]);
      expect(cookie).toMatchObject({ name: 'artifact_cli_session', httpOnly: true, sameSite: 'Strict', path: '/' });
      expect(cookie.value).not.toContain(store.readerToken.slice(8, 30));
      // The cookie ends with the token (12 hours by default), give or take the test's own time.
      expect(Math.abs(cookie.expires - (Date.now() / 1000 + 43_200))).toBeLessThan(300);

      // The repository it may not read does not exist as far as this principal can tell.
      const hidden = await page.goto(`${store.server.url}/-/ui/domains/acme/repositories/secret`);
      expect(hidden?.status()).toBe(404);
      await page.goto(`${store.server.url}/-/ui/domains/acme/search?q=tool`);
      await expect(page.locator('main').innerText()).resolves.toContain('visible-tool');
      expect(await page.locator('main').innerText()).not.toContain('secret-tool');

      await page.goto(`${store.server.url}/-/ui/domains/acme/repositories/main`);
      await page.getByRole('link', { name: 'tools:visible-tool' }).click();
      await expect(page.locator('main h1').innerText()).resolves.toBe('tools:visible-tool 1.0.0');

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL(`${store.server.url}/`);
      await expect(page.locator('main h1').innerText()).resolves.toBe('Sign in');
      expect(await context.cookies()).toEqual([]);
      const after = await page.goto(`${store.server.url}/-/ui/domains/acme/repositories/main`);
      expect(after?.status()).toBe(401);
      expect(problems.filter((problem) => !/status of 40[14]/.test(problem))).toEqual([]);
      expect(store.server.output()).not.toContain(store.readerToken);
      await context.close();
    },
    BROWSER_TEST_MS,
  );
});

const pythonClients = chromiumPath ? findPythonClients() : { python: false, twine: false };

describe.skipIf(!chromiumPath || !pythonClients.twine)('the web interface in Chromium (a package twine uploaded)', () => {
  let setup: PypiClientsSetup;
  let browser: Browser;

  beforeAll(async () => {
    setup = await setupPypiClients();
    const wheel = buildWheel({
      name: 'Web-Demo',
      version: '2.0.1',
      summary: 'Shown in the browser',
      requiresDist: ['requests>=2'],
      description: '# Web demo\n\nA wheel uploaded with **twine**.\n',
    });
    await setup.runOk('twine', ['upload', '--non-interactive', '--repository', 'codeartifact', ...setup.writeDists(wheel)]);
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await setup?.index.close();
  });

  it(
    'signs in, then shows the wheel with its pip line, its readme and the upstream graph',
    async () => {
      const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
      const page = await context.newPage();
      const problems = watchForScript(page);
      const { authorizationToken } = JSON.parse((await setup.cli(['get-authorization-token', '--domain', 'acme'])).stdout) as { authorizationToken: string };
      await page.goto(`${setup.server.url}/`);
      await page.getByLabel('Domain').fill('acme');
      await page.getByLabel('Token').fill(authorizationToken);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('link', { name: 'app', exact: true }).click();
      await page.waitForURL(/repositories\/app$/);
      // app reads team, which reads pypi-store and its external connection: the graph shows that order.
      await expect(page.locator('.graph svg title').textContent()).resolves.toBe('Upstream graph: app, then team, then pypi-store');
      await expect(page.locator('.graph svg').textContent()).resolves.toContain('public:pypi');
      await page.getByRole('link', { name: 'web-demo' }).click();
      await expect(page.locator('main h1').innerText()).resolves.toBe('web-demo 2.0.1');
      await expect(page.locator('.readme strong').innerText()).resolves.toBe('twine');
      await expect(page.locator('main').innerText()).resolves.toContain('requests');
      await page.getByRole('button', { name: 'Copy pip', exact: true }).click();
      await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe('pip install web-demo==2.0.1');
      await page.getByText('Set up the client first').click();
      await expect(page.locator('main').innerText()).resolves.toContain(
        `artifact-cli login --tool pip --domain acme --repository app --endpoint-url ${setup.server.url}`,
      );
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      // A phone's width, in the dark: the same page, still without violations.
      await page.setViewportSize({ width: 390, height: 844 });
      await page.emulateMedia({ colorScheme: 'dark' });
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await page.screenshot({ path: path.join(screenshotDir(), 'pypi-package-phone-dark.png'), fullPage: true });
      expect(problems).toEqual([]);
      await context.close();
    },
    BROWSER_TEST_MS,
  );
});
