/**
 * The interface's pages: domains, a domain's repositories, a repository's packages, a package,
 * search, sign-in. Each reads through src/operations and shows only repositories the viewer
 * may read (`WebContext.mayRead`); everything else answers as if it did not exist.
 */
import { packageFlags, shellWord } from '../../core/command-line.js';
import type { PackageFormat, PackageKey, VersionRecord } from '../../core/model.js';
import { validatePackagePart } from '../../core/names.js';
import { ResourceNotFoundError } from '../../errors.js';
import { packageDisplayName } from '../../formats/package-names.js';
import { formatRules, isPackageFormat } from '../../formats/registry.js';
import {
  filterPackageItems,
  packageDetails,
  repositoryListing,
  searchPackageItems,
  upstreamSearchOrder,
  type PackageListItem,
  type RepositoryListing,
} from '../../operations/browse.js';
import { listDomains } from '../../operations/domains.js';
import { listPackageVersionAssets } from '../../operations/package-version-details.js';
import type { ServerDeps } from '../route.js';
import { upstreamGraphSvg } from './graph.js';
import { formatBytes, formatTime, html, trusted, uiPath, type Html } from './html.js';
import { installSnippets, loginSnippets, type Snippet } from './install-lines.js';
import { renderPage, type Viewer } from './layout.js';
import { renderMarkdown } from './markdown.js';
import type { ViewCache } from './view-cache.js';

export interface WebContext {
  deps: ServerDeps;
  viewer: Viewer;
  url: URL;
  /** The server's address as the browser reached it, for login lines. */
  baseUrl: string;
  /** Whether the viewer may open the domain at all (signed in to it, or anonymous reads). */
  mayEnter(domain: string): boolean;
  mayRead(domain: string, repository: string): Promise<boolean>;
  views: ViewCache;
}

export interface PageResult {
  status: number;
  body: string;
}

export const PACKAGES_PER_PAGE = 50;
const VERSIONS_PER_PAGE = 100;
/** npm keeps readmes to this size at publish; markdown-it renders it in well under a second. */
export const MAX_README_CHARS = 64 * 1024;

/** Thrown for anything the viewer may not see or that does not exist: both look the same. */
export function notFound(what = 'This page'): ResourceNotFoundError {
  return new ResourceNotFoundError(`${what} does not exist, or you may not read it.`);
}

export async function homePage(context: WebContext): Promise<PageResult> {
  const { domains } = await listDomains(context.deps.store, { maxResults: 1000 });
  const visible = domains.filter((domain) => context.mayEnter(domain.name));
  if (visible.length === 0 && !context.viewer.session && !context.viewer.anonymousReads) return signInPage(context, 200);
  const cards = await Promise.all(
    visible.map(async (domain) => {
      const repositories = await visibleRepositories(context, domain.name);
      return html`<li><h2><a href="${uiPath(['domains', domain.name])}">${domain.name}</a></h2>
<dl class="facts"><dt>Repositories</dt><dd>${repositories.length}</dd><dt>Created</dt><dd>${formatTime(domain.createdTime)}</dd></dl></li>`;
    }),
  );
  const body = html`<h1>Domains</h1>
${visible.length ? html`<ul class="cards">${cards}</ul>` : html`<p class="muted">There are no domains you can read. Create one with <code>artifact-cli create-domain --domain NAME</code>.</p>`}`;
  return { status: 200, body: renderPage({ title: 'Domains', viewer: context.viewer, body }) };
}

function listingOf(context: WebContext, domain: string, repository: string): Promise<RepositoryListing> {
  return context.views.get(`listing\u0000${domain}\u0000${repository}`, () => repositoryListing(context.deps.store, domain, repository));
}

async function visibleRepositories(context: WebContext, domain: string): Promise<string[]> {
  const names = await context.deps.store.index.listRepositories(domain);
  const allowed = await Promise.all(names.map((name) => context.mayRead(domain, name)));
  return names.filter((_, i) => allowed[i]);
}

export async function domainPage(context: WebContext, domain: string): Promise<PageResult> {
  if (!context.mayEnter(domain) || !(await context.deps.store.index.getDomain(domain))) throw notFound('This domain');
  const repositories = await visibleRepositories(context, domain);
  const cards = await Promise.all(
    repositories.map(async (name) => {
      const { overview } = await listingOf(context, domain, name);
      const upstreams = await Promise.all(overview.upstreams.map(async (upstream) => ((await context.mayRead(domain, upstream)) ? upstream : undefined)));
      const shownUpstreams = upstreams.filter((upstream): upstream is string => upstream !== undefined);
      const hiddenCount = upstreams.length - shownUpstreams.length;
      return html`<li><h2><a href="${uiPath(['domains', domain, 'repositories', name])}">${name}</a></h2>
${overview.description ? html`<p class="muted">${overview.description}</p>` : ''}
<dl class="facts">
<dt>Packages</dt><dd>${overview.packageCount}</dd>
<dt>Formats</dt><dd>${overview.formats.length ? overview.formats.map((entry) => html`<span class="badge">${entry.format} ${entry.packages}</span> `) : html`<span class="muted">none yet</span>`}</dd>
<dt>Stored</dt><dd>${formatBytes(overview.assetSizeBytes)}</dd>
<dt>Upstreams</dt><dd>${shownUpstreams.length || hiddenCount ? html`${shownUpstreams.map((upstream, i) => html`${i ? ', ' : ''}<a href="${uiPath(['domains', domain, 'repositories', upstream])}">${upstream}</a>`)}${hiddenCount ? ` (+${hiddenCount} you may not read)` : ''}` : html`<span class="muted">none</span>`}</dd>
<dt>External</dt><dd>${overview.externalConnections.length ? overview.externalConnections.map((connection) => connection.name).join(', ') : html`<span class="muted">none</span>`}</dd>
</dl></li>`;
    }),
  );
  const body = html`<h1>Domain ${domain}</h1>
${repositories.length ? html`<ul class="cards">${cards}</ul>` : html`<p class="muted">No repositories you can read.</p>`}`;
  return {
    status: 200,
    body: renderPage({ title: `Domain ${domain}`, viewer: context.viewer, domain, crumbs: [{ label: 'Domains', href: '/' }, { label: domain }], body }),
  };
}

async function requireReadable(context: WebContext, domain: string, repository: string): Promise<void> {
  if (!context.mayEnter(domain) || !(await context.deps.store.index.getRepository(domain, repository)) || !(await context.mayRead(domain, repository))) {
    throw notFound('This repository');
  }
}

export async function repositoryPage(context: WebContext, domain: string, repository: string): Promise<PageResult> {
  await requireReadable(context, domain, repository);
  const { store } = context.deps;
  const params = context.url.searchParams;
  const requestedFormat = params.get('format');
  const format = isPackageFormat(requestedFormat) ? requestedFormat : undefined;
  const namespace = params.get('namespace') ?? '';
  const name = params.get('name') ?? '';
  const sort = params.get('sort') === 'published' ? 'published' : 'name';
  const pageNumber = Math.max(1, Math.min(1_000_000, Number.parseInt(params.get('page') ?? '1', 10) || 1));
  const [{ overview, items }, order] = await Promise.all([listingOf(context, domain, repository), upstreamSearchOrder(store, domain, repository)]);
  const listing = filterPackageItems(items, { format, namespace, name, sort, offset: (pageNumber - 1) * PACKAGES_PER_PAGE, limit: PACKAGES_PER_PAGE });
  const rows = await Promise.all(
    order.map(async (entry) => {
      const visible = await context.mayRead(domain, entry.repository);
      return { ...entry, visible, href: uiPath(['domains', domain, 'repositories', entry.repository]) };
    }),
  );
  const pages = Math.max(1, Math.ceil(listing.total / PACKAGES_PER_PAGE));
  const here = uiPath(['domains', domain, 'repositories', repository]);
  const pageLink = (page: number) =>
    uiPath(['domains', domain, 'repositories', repository], {
      format,
      namespace,
      name,
      sort: sort === 'name' ? undefined : sort,
      page: page === 1 ? undefined : String(page),
    });
  const formats = [...new Set<PackageFormat>([...listing.formats, ...(format ? [format] : [])])];
  const results = html`<p data-count>${listing.total === 1 ? '1 package' : `${listing.total} packages`}${name || namespace || format ? ' match' : ''}${listing.total > PACKAGES_PER_PAGE ? `, page ${pageNumber} of ${pages}` : ''}</p>
${
  listing.items.length
    ? html`<div class="table-wrap"><table><caption class="visually-hidden">Packages in ${repository}</caption><thead><tr><th scope="col">Package</th><th scope="col">Format</th><th scope="col">Latest</th><th scope="col" class="hide-narrow">Versions</th><th scope="col" class="hide-narrow">Last published</th></tr></thead><tbody>
${listing.items.map((item) => packageRow(domain, repository, item))}</tbody></table></div>`
    : html`<p class="muted">No packages${name || namespace || format ? ' match these filters' : ' yet'}.</p>`
}
${
  pages > 1
    ? html`<nav class="pager" aria-label="Pages">${pageNumber > 1 ? html`<a href="${pageLink(pageNumber - 1)}" rel="prev">Previous page</a>` : ''}<span>Page ${pageNumber} of ${pages}</span>${pageNumber < pages ? html`<a href="${pageLink(pageNumber + 1)}" rel="next">Next page</a>` : ''}</nav>`
    : ''
}`;
  const body = html`<h1>Repository ${repository}</h1>
${overview.description ? html`<p>${overview.description}</p>` : ''}
<dl class="facts"><dt>Packages</dt><dd>${overview.packageCount}</dd><dt>Stored</dt><dd>${formatBytes(overview.assetSizeBytes)}</dd>
<dt>External connection</dt><dd>${overview.externalConnections.length ? overview.externalConnections.map((connection) => connection.name).join(', ') : 'none'}</dd></dl>
<h2 id="packages-heading">Packages</h2>
<form class="filters" method="get" action="${here}" data-live="package-results" aria-labelledby="packages-heading">
<label>Name<input name="name" type="search" autocomplete="off" value="${name}"></label>
<label>Namespace<input name="namespace" type="search" autocomplete="off" value="${namespace}"></label>
<label>Format<select name="format"><option value="">All formats</option>${formats.map((entry) => html`<option value="${entry}"${entry === format ? trusted(' selected') : ''}>${entry}</option>`)}</select></label>
<label>Sort by<select name="sort"><option value="name">Name</option><option value="published"${sort === 'published' ? trusted(' selected') : ''}>Last published</option></select></label>
<button type="submit">Filter</button>
</form>
<section id="package-results" aria-live="polite">${results}</section>
<h2>Upstream graph</h2>
<p class="muted">Requests for packages search these repositories in this order.</p>
<div class="graph">${upstreamGraphSvg(rows)}</div>`;
  return {
    status: 200,
    body: renderPage({
      title: `Repository ${repository}`,
      viewer: context.viewer,
      domain,
      crumbs: [{ label: 'Domains', href: '/' }, { label: domain, href: uiPath(['domains', domain]) }, { label: repository }],
      body,
    }),
  };
}

function packageHref(domain: string, repository: string, format: PackageFormat, namespace: string | undefined, name: string, version?: string): string {
  return uiPath(['domains', domain, 'repositories', repository, 'packages', format, name], { namespace, version });
}

function packageRow(domain: string, repository: string, item: PackageListItem, showRepository = false): Html {
  const display = packageDisplayName(item);
  return html`<tr><td class="name"><a href="${packageHref(domain, repository, item.format, item.namespace, item.name)}">${display}</a>${item.summary ? html`<br><span class="muted">${clip(item.summary, 140)}</span>` : ''}</td>
${showRepository ? html`<td>${repository}</td>` : ''}<td><span class="badge">${item.format}</span></td><td class="mono">${item.latestVersion ?? ''}</td><td class="num hide-narrow">${item.versionCount}</td><td class="hide-narrow">${formatTime(item.lastPublished)}</td></tr>`;
}

export async function searchPage(context: WebContext, domain: string): Promise<PageResult> {
  if (!context.mayEnter(domain) || !(await context.deps.store.index.getDomain(domain))) throw notFound('This domain');
  const query = (context.url.searchParams.get('q') ?? '').slice(0, 200);
  const repositories = await visibleRepositories(context, domain);
  const perRepository = await Promise.all(
    repositories.map(async (repository) => ({ repository, items: (await listingOf(context, domain, repository)).items })),
  );
  const { items, more } = searchPackageItems(perRepository, query);
  const body = html`<h1>Search ${domain}</h1>
${
  !query.trim()
    ? html`<p class="muted">Type part of a package name in the search box above.</p>`
    : items.length
      ? html`<p data-count>${items.length}${more ? '+' : ''} ${items.length === 1 ? 'package matches' : 'packages match'} “${query}”.</p>
<div class="table-wrap"><table><caption class="visually-hidden">Search results</caption><thead><tr><th scope="col">Package</th><th scope="col">Repository</th><th scope="col">Format</th><th scope="col">Latest</th><th scope="col" class="hide-narrow">Versions</th><th scope="col" class="hide-narrow">Last published</th></tr></thead>
<tbody>${items.map((item) => packageRow(domain, item.repository, item, true))}</tbody></table></div>`
      : html`<p>No package in the repositories you can read matches “${query}”.</p>`
}`;
  return {
    status: 200,
    body: renderPage({
      title: `Search ${domain}`,
      viewer: context.viewer,
      domain,
      query,
      crumbs: [{ label: 'Domains', href: '/' }, { label: domain, href: uiPath(['domains', domain]) }, { label: 'Search' }],
      body,
    }),
  };
}

export async function packagePage(context: WebContext, domain: string, repository: string, format: string, name: string): Promise<PageResult> {
  await requireReadable(context, domain, repository);
  if (!isPackageFormat(format)) throw notFound('This package');
  const params = context.url.searchParams;
  const namespace = params.get('namespace') || undefined;
  try {
    validatePackagePart('package', name);
    if (namespace) validatePackagePart('namespace', namespace);
  } catch {
    throw notFound('This package');
  }
  const key: PackageKey = { domain, repository, format, namespace, name };
  const { store } = context.deps;
  const details = await packageDetails(store, key).catch((error: unknown) => {
    if (error instanceof ResourceNotFoundError) throw notFound('This package');
    throw error;
  });
  const wanted = params.get('version') ?? details.defaultVersion;
  const chosen = details.versions.find((version) => version.version === wanted);
  if (wanted !== undefined && !chosen) throw notFound('This version');
  const display = packageDisplayName(key);
  const versionPage = Math.max(1, Number.parseInt(params.get('versions-page') ?? '1', 10) || 1);
  const versionPages = Math.max(1, Math.ceil(details.versions.length / VERSIONS_PER_PAGE));
  const shownVersions = details.versions.slice((versionPage - 1) * VERSIONS_PER_PAGE, versionPage * VERSIONS_PER_PAGE);
  const href = (version: string) => packageHref(domain, repository, format, namespace, name, version);
  const versionsPageLink = (page: number) =>
    uiPath(['domains', domain, 'repositories', repository, 'packages', format, name], { namespace, version: chosen?.version, 'versions-page': String(page) });

  const versionSection = chosen ? await versionDetails(context, key, chosen) : html`<p class="muted">This package has no versions.</p>`;
  const versionsTable = html`<h2 id="versions">Versions <span class="muted">(${details.versions.length})</span></h2>
<div class="table-wrap"><table><caption class="visually-hidden">Versions of ${display}</caption><thead><tr><th scope="col">Version</th><th scope="col">Status</th><th scope="col" class="hide-narrow">Published</th><th scope="col">Origin</th></tr></thead><tbody>
${shownVersions.map(
  (
    version,
  ) => html`<tr${version.version === chosen?.version ? trusted(' class="current"') : ''}><td class="mono"><a href="${href(version.version)}"${version.version === chosen?.version ? trusted(' aria-current="page"') : ''}>${version.version}</a></td>
<td class="status-${version.status}">${version.status}</td><td class="hide-narrow">${formatTime(version.publishedTime)}</td><td>${originText(version, repository)}</td></tr>`,
)}</tbody></table></div>
${versionPages > 1 ? html`<nav class="pager" aria-label="Version pages">${versionPage > 1 ? html`<a href="${versionsPageLink(versionPage - 1)}">Newer versions</a>` : ''}<span>Page ${versionPage} of ${versionPages}</span>${versionPage < versionPages ? html`<a href="${versionsPageLink(versionPage + 1)}">Older versions</a>` : ''}</nav>` : ''}`;

  const tags = Object.entries(details.distTags);
  const restrictions = details.originConfiguration.restrictions;
  const aside = html`<aside aria-label="Package facts">
${tags.length ? html`<section class="panel"><h2>Dist-tags</h2><dl class="facts">${tags.map(([tag, version]) => html`<dt>${tag}</dt><dd class="mono"><a href="${href(version)}">${version}</a></dd>`)}</dl></section>` : ''}
<section class="panel"><h2>Origin configuration</h2><dl class="facts"><dt>Publish</dt><dd>${restrictions.publish}</dd><dt>Upstream</dt><dd>${restrictions.upstream}</dd></dl></section>
<section class="panel"><h2>Package group</h2><p class="mono">${details.packageGroup.pattern}</p><p class="muted">${details.packageGroup.associationType} association</p>
<dl class="facts">${Object.entries(details.packageGroup.originRestrictions).map(([type, mode]) => html`<dt>${type}</dt><dd>${mode}</dd>`)}</dl></section>
</aside>`;
  const body = html`<h1>${display}${chosen ? html` <span class="muted mono">${chosen.version}</span>` : ''}</h1>
<p><span class="badge">${format}</span> in repository <a href="${uiPath(['domains', domain, 'repositories', repository])}">${repository}</a>${chosen?.summary ? html` · ${chosen.summary}` : ''}</p>
<div class="layout"><div>${versionSection}${versionsTable}</div>${aside}</div>`;
  return {
    status: 200,
    body: renderPage({
      title: `${display} ${chosen?.version ?? ''}`.trim(),
      viewer: context.viewer,
      domain,
      crumbs: [
        { label: 'Domains', href: '/' },
        { label: domain, href: uiPath(['domains', domain]) },
        { label: repository, href: uiPath(['domains', domain, 'repositories', repository]) },
        { label: display },
      ],
      body,
    }),
  };
}

function originText(version: VersionRecord, repository: string): string {
  const entry = version.origin.domainEntryPoint;
  if (entry.externalConnectionName) return `from ${entry.externalConnectionName}`;
  if (entry.repositoryName && entry.repositoryName !== repository) return `from upstream ${entry.repositoryName}`;
  if (version.origin.originType === 'INTERNAL') return 'published here';
  return version.origin.originType.toLowerCase();
}

function snippetBlock(snippet: Snippet, index: number): Html {
  const id = `snippet-${index + 1}`;
  return html`<div class="snippet"><div class="label"><span>${snippet.label}</span><button type="button" class="quiet copy" data-copy="${id}" hidden>Copy<span class="visually-hidden"> ${snippet.label}</span></button></div><pre id="${id}"><code>${snippet.text}</code></pre></div>`;
}

async function versionDetails(context: WebContext, key: PackageKey, version: VersionRecord): Promise<Html> {
  const { store } = context.deps;
  const { domain, repository } = key;
  const { assets } = await listPackageVersionAssets(store, key, version.version, { maxResults: 1000 });
  const downloadable = version.status === 'Published' || version.status === 'Unlisted';
  const install = installSnippets(key, version.version, assets[0]?.name);
  const login = loginSnippets(key, context.baseUrl);
  const readme = await readmeHtml(key, version.version, version.readme);
  const dependencies = await Promise.all(
    (version.dependencies ?? []).map(async (dependency) => {
      const target = await findDependency(context, key, dependency.namespace, dependency.package);
      const label = packageDisplayName({ format: key.format, namespace: dependency.namespace, name: dependency.package });
      return html`<tr><td class="name">${target ? html`<a href="${target}">${label}</a>` : label}</td><td class="mono">${dependency.versionRequirement ?? ''}</td><td>${dependency.dependencyType ?? ''}</td></tr>`;
    }),
  );
  const facts: Html[] = [];
  facts.push(
    html`<dt>Status</dt><dd class="status-${version.status}">${version.status}</dd><dt>Published</dt><dd>${formatTime(version.publishedTime)}</dd><dt>Origin</dt><dd>${originText(version, repository)}</dd>`,
  );
  if (version.licenses?.length) facts.push(html`<dt>License</dt><dd>${version.licenses.map((license) => license.name ?? license.url ?? '').join(', ')}</dd>`);
  if (version.homePage) facts.push(html`<dt>Home page</dt><dd>${externalLink(version.homePage)}</dd>`);
  if (version.sourceCodeRepository) facts.push(html`<dt>Source</dt><dd>${externalLink(version.sourceCodeRepository)}</dd>`);
  return html`<dl class="facts">${facts}</dl>
<h2>Install</h2>
${install.map((snippet, i) => snippetBlock(snippet, i))}
${login.length ? html`<details><summary>Set up the client first (<code>artifact-cli login</code>)</summary>${login.map((snippet, i) => snippetBlock(snippet, install.length + i))}</details>` : ''}
<h2>Readme</h2>
${readme}
<h2>Dependencies</h2>
${dependencies.length ? html`<div class="table-wrap"><table><caption class="visually-hidden">Dependencies</caption><thead><tr><th scope="col">Package</th><th scope="col">Requirement</th><th scope="col">Type</th></tr></thead><tbody>${dependencies}</tbody></table></div>` : html`<p class="muted">None.</p>`}
<h2>Assets</h2>
${
  assets.length
    ? html`<div class="table-wrap"><table><caption class="visually-hidden">Assets</caption><thead><tr><th scope="col">File</th><th scope="col" class="num">Size</th><th scope="col" class="hide-narrow">SHA-256</th></tr></thead><tbody>
${assets.map(
  (asset) =>
    html`<tr><td class="name">${
      downloadable
        ? html`<a href="${uiPath(['domains', domain, 'repositories', repository, 'download', key.format, key.name], { namespace: key.namespace, version: version.version, asset: asset.name })}" download>${asset.name}</a>`
        : asset.name
    }</td><td class="num">${formatBytes(asset.size)}</td><td class="hash hide-narrow">${asset.hashes['SHA-256']}</td></tr>`,
)}</tbody></table></div>`
    : html`<p class="muted">None.</p>`
}`;
}

/** Links only to http(s) addresses; anything else is shown as text. */
function externalLink(url: string): Html {
  return /^https?:\/\//i.test(url) ? html`<a href="${url}" rel="noopener noreferrer">${url}</a>` : html`${url}`;
}

async function readmeHtml(key: PackageKey, version: string, readme: string | undefined): Promise<Html> {
  if (!readme?.trim()) return html`<p class="muted">This version has no readme.</p>`;
  // Rendering runs on the server's only thread: a readme of megabytes (PyPI takes 4 MiB) would
  // hold every client's request for seconds on each view, so the page shows the first part only.
  const shown = readme.length > MAX_README_CHARS ? readme.slice(0, MAX_README_CHARS) : readme;
  const cut =
    shown === readme
      ? ''
      : html`<p class="muted">The readme is longer than this page shows (${formatBytes(Buffer.byteLength(readme))}); the whole of it: <code>${readmeCommand(key, version)}</code></p>`;
  if (formatRules(key.format).readmeIsPlainText(readme)) return html`<div class="readme"><pre class="plain">${shown}</pre></div>${cut}`;
  return html`<div class="readme">${trusted(await renderMarkdown(shown))}</div>${cut}`;
}

function readmeCommand(key: PackageKey, version: string): string {
  return `artifact-cli get-package-version-readme ${packageFlags(key)} --package-version ${shellWord(version)}`;
}

/** The page of a dependency in this repository or one it reads through, when the viewer may read it. */
async function findDependency(context: WebContext, key: PackageKey, namespace: string | undefined, name: string): Promise<string | undefined> {
  const { store } = context.deps;
  for (const { repository } of await upstreamSearchOrder(store, key.domain, key.repository)) {
    if (!(await context.mayRead(key.domain, repository))) continue;
    if (await store.index.getPackage({ domain: key.domain, repository, format: key.format, namespace, name }))
      return packageHref(key.domain, repository, key.format, namespace, name);
  }
  return undefined;
}

export function signInPage(context: WebContext, status: number, message?: string, domain?: string): PageResult {
  const body = html`<h1>Sign in</h1>
<div class="signin panel">
${message ? html`<p class="error" role="alert">${message}</p>` : ''}
<p>Paste a token of the domain, for example the one <code>artifact-cli get-authorization-token --domain DOMAIN --query authorizationToken --output text</code> prints. The server keeps only a hash of it; the browser keeps a session cookie that ends when the token expires.</p>
<form method="post" action="/-/ui/sign-in">
<label for="sign-in-domain">Domain</label><input id="sign-in-domain" name="domain" required autocomplete="off" value="${domain ?? ''}">
<label for="sign-in-token">Token</label><input id="sign-in-token" name="token" type="password" required autocomplete="off">
<button type="submit">Sign in</button>
</form></div>`;
  return { status, body: renderPage({ title: 'Sign in', viewer: context.viewer, body }) };
}

export function errorPage(context: WebContext, status: number, message: string): PageResult {
  const heading = status === 404 ? 'Not found' : status === 400 ? 'Bad request' : status === 401 ? 'Sign-in needed' : 'Something went wrong';
  const body = html`<h1>${heading}</h1><p class="error">${message}</p><p><a href="/">Back to the domains</a></p>`;
  return { status, body: renderPage({ title: heading, viewer: context.viewer, body }) };
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
