/** Serving the registration hive (index, pages, leaves) and the catalog entries its leaves name. */
import { ResourceNotFoundError } from '../../errors.js';
import { RenderedBody, sendRendered } from '../../server/respond.js';
import type { RequestContext } from '../../server/route.js';
import { loadPackage, packageNotFound, type LoadedPackage } from './package-loader.js';
import { findVersion, type OfferedVersion, type PackageView } from './package-view.js';
import { registrationPages, renderCatalogEntry, renderRegistrationIndex, renderRegistrationLeaf, renderRegistrationPage } from './registration.js';
import { renderCachedJson } from './render-cache.js';
import { nameFromSegment, versionFromSegment } from './url-segments.js';
import { NuGetUrls } from './urls.js';

async function requireView(context: RequestContext, rawId: string): Promise<LoadedPackage & { view: PackageView }> {
  const name = nameFromSegment(rawId);
  if (!name) throw new ResourceNotFoundError('Not a valid NuGet package id.');
  const loaded = await loadPackage(context, name, 'registration');
  if (!loaded.view) throw packageNotFound(context, name);
  return { ...loaded, view: loaded.view };
}

async function requireEntry(context: RequestContext, rawId: string, rawVersion: string): Promise<{ view: PackageView; entry: OfferedVersion }> {
  const { view } = await requireView(context, rawId);
  const key = versionFromSegment(rawVersion);
  const entry = key === undefined ? undefined : findVersion(view, key);
  if (!entry) throw packageNotFound(context, view.name, key ?? rawVersion);
  return { view, entry };
}

export async function handleRegistrationIndex(context: RequestContext, match: RegExpExecArray): Promise<void> {
  const { view, parts } = await requireView(context, match[1]);
  const body = renderCachedJson(parts, `registration ${context.endpoint}`, () => renderRegistrationIndex(view, new NuGetUrls(context.endpoint)));
  sendRendered(context.req, context.res, body);
}

export async function handleRegistrationPage(context: RequestContext, match: RegExpExecArray): Promise<void> {
  const { view, parts } = await requireView(context, match[1]);
  const lower = versionFromSegment(match[2]);
  const upper = versionFromSegment(match[3]);
  const page = registrationPages(view).find((candidate) => candidate.lower === lower && candidate.upper === upper);
  if (!page) throw new ResourceNotFoundError(`${view.name} has no registration page from ${match[2]} to ${match[3]}; read the registration index again.`);
  const body = renderCachedJson(parts, `page ${page.lower} ${page.upper} ${context.endpoint}`, () =>
    renderRegistrationPage(view, page, new NuGetUrls(context.endpoint), false),
  );
  sendRendered(context.req, context.res, body);
}

export async function handleRegistrationLeaf(context: RequestContext, match: RegExpExecArray): Promise<void> {
  const { view, entry } = await requireEntry(context, match[1], match[2]);
  sendRendered(context.req, context.res, RenderedBody.json(renderRegistrationLeaf(view, entry, new NuGetUrls(context.endpoint))));
}

export async function handleCatalogEntry(context: RequestContext, match: RegExpExecArray): Promise<void> {
  const { view, entry } = await requireEntry(context, match[1], match[2]);
  sendRendered(context.req, context.res, RenderedBody.json(renderCatalogEntry(view, entry, new NuGetUrls(context.endpoint))));
}
