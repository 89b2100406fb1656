/**
 * The Simple Repository API pages: HTML (PEP 503) or JSON (PEP 691), chosen from Accept, with
 * PEP 592 yanks, PEP 658/714 core-metadata attributes and PEP 700's versions, sizes and upload
 * times. File URLs are relative to the project page (`<version>/<file name>`), so a page does
 * not depend on the host name a client used and can be cached as it is.
 */
import { RenderedBody } from '../../server/respond.js';
import { SIMPLE_JSON } from './external-index.js';
import type { ProjectView, ViewFile } from './project-view.js';

const SIMPLE_HTML = 'application/vnd.pypi.simple.v1+html';
export type PageType = typeof SIMPLE_JSON | typeof SIMPLE_HTML | 'text/html';

const OFFERED: Readonly<Record<string, PageType>> = {
  [SIMPLE_JSON]: SIMPLE_JSON,
  'application/vnd.pypi.simple.latest+json': SIMPLE_JSON,
  [SIMPLE_HTML]: SIMPLE_HTML,
  'application/vnd.pypi.simple.latest+html': SIMPLE_HTML,
  'text/html': 'text/html',
};

/**
 * The type with the highest q the client accepts (ties go to the order it listed them);
 * `?format=` overrides, and no Accept, `* / *` or nothing we offer gets plain HTML, which
 * every client reads.
 */
export function choosePageType(accept: string | undefined, format: string | null): PageType {
  if (format && Object.hasOwn(OFFERED, format)) return OFFERED[format];
  let best: { type: PageType; q: number } | undefined;
  for (const part of (accept ?? '').split(',')) {
    const [rawType, ...parameters] = part.split(';');
    const type = rawType.trim().toLowerCase();
    const qParameter = parameters.map((parameter) => parameter.trim()).find((parameter) => parameter.startsWith('q='));
    const q = qParameter ? Number(qParameter.slice(2)) : 1;
    if (!Object.hasOwn(OFFERED, type) || !(q > 0)) continue;
    if (!best || q > best.q) best = { type: OFFERED[type], q };
  }
  return best?.type ?? 'text/html';
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function fileHref(file: Pick<ViewFile, 'version' | 'fileName'>): string {
  return `${encodeURIComponent(file.version)}/${encodeURIComponent(file.fileName)}`;
}

export function renderProjectPage(view: ProjectView, type: PageType): RenderedBody {
  return type === SIMPLE_JSON ? renderProjectJson(view) : renderProjectHtml(view, type);
}

function renderProjectHtml(view: ProjectView, type: PageType): RenderedBody {
  const title = `Links for ${escapeHtml(view.project)}`;
  const links = view.files.map((file) => {
    const attributes = [`href="${escapeHtml(`${fileHref(file)}#sha256=${file.sha256}`)}"`];
    if (file.requiresPython) attributes.push(`data-requires-python="${escapeHtml(file.requiresPython)}"`);
    if (file.yanked !== undefined) attributes.push(`data-yanked="${file.yanked === true ? '' : escapeHtml(file.yanked)}"`);
    // Both names in HTML: older pip reads only data-dist-info-metadata, and there it is a string.
    if (file.coreMetadataSha256) {
      attributes.push(`data-core-metadata="sha256=${file.coreMetadataSha256}"`, `data-dist-info-metadata="sha256=${file.coreMetadataSha256}"`);
    }
    return `<a ${attributes.join(' ')}>${escapeHtml(file.fileName)}</a><br>`;
  });
  const html = [
    '<!DOCTYPE html>',
    `<html><head><meta name="pypi:repository-version" content="1.1"><title>${title}</title></head>`,
    `<body><h1>${title}</h1>`,
    ...links,
    '</body></html>',
    '',
  ].join('\n');
  return new RenderedBody(type === 'text/html' ? 'text/html; charset=utf-8' : SIMPLE_HTML, Buffer.from(html));
}

function renderProjectJson(view: ProjectView): RenderedBody {
  // API 1.1 requires a size for every file; an upstream that gave none makes the page 1.0.
  const complete = view.files.every((file) => file.size !== undefined);
  const files = view.files.map((file) => {
    const entry: Record<string, unknown> = { filename: file.fileName, url: fileHref(file), hashes: { sha256: file.sha256 } };
    if (file.requiresPython) entry['requires-python'] = file.requiresPython;
    if (file.size !== undefined) entry.size = file.size;
    if (file.uploadTime) entry['upload-time'] = file.uploadTime;
    entry.yanked = file.yanked ?? false;
    // Only the PEP 714 key: pip before 23.1 crashes on `dist-info-metadata` as an object (docs/pypi-simple-api.md).
    if (file.coreMetadataSha256) entry['core-metadata'] = { sha256: file.coreMetadataSha256 };
    return entry;
  });
  return RenderedBody.json({ meta: { 'api-version': complete ? '1.1' : '1.0' }, name: view.project, versions: view.versions, files }, SIMPLE_JSON);
}

/** The root page: one link per project, relative to /simple/. */
export function renderIndexPage(projects: readonly string[], type: PageType): RenderedBody {
  if (type === SIMPLE_JSON) {
    return RenderedBody.json({ meta: { 'api-version': '1.1' }, projects: projects.map((name) => ({ name })) }, SIMPLE_JSON);
  }
  const links = projects.map((name) => `<a href="${escapeHtml(encodeURIComponent(name))}/">${escapeHtml(name)}</a><br>`);
  const html = [
    '<!DOCTYPE html>',
    '<html><head><meta name="pypi:repository-version" content="1.1"><title>Simple index</title></head><body>',
    ...links,
    '</body></html>',
    '',
  ].join('\n');
  return new RenderedBody(type === 'text/html' ? 'text/html; charset=utf-8' : SIMPLE_HTML, Buffer.from(html));
}
