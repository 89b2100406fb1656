/** The frame every page shares: head, top bar with search and sign-in state, breadcrumbs. */
import { ASSETS } from './assets.js';
import { html, uiPath, type Html } from './html.js';

export interface Viewer {
  /** Signed in: the session's domain and the token's principal. */
  session?: { domain: string; principal: string };
  /** The server lets anyone read (serve --allow-anonymous-read). */
  anonymousReads: boolean;
}

export interface PageFrame {
  title: string;
  viewer: Viewer;
  /** The domain the top bar searches. */
  domain?: string;
  query?: string;
  crumbs?: { label: string; href?: string }[];
  body: Html;
}

export function renderPage(frame: PageFrame): string {
  const { viewer } = frame;
  const search = frame.domain
    ? html`<form class="top-search" role="search" method="get" action="${uiPath(['domains', frame.domain, 'search'])}">
<label for="top-search-input" class="visually-hidden">Search packages in ${frame.domain}</label>
<input id="top-search-input" name="q" type="search" autocomplete="off" placeholder="Search packages in ${frame.domain} (press /)" value="${frame.query ?? ''}">
<button type="submit">Search</button></form>`
    : '';
  const who = viewer.session
    ? html`<span>Signed in to <strong>${viewer.session.domain}</strong> as <strong>${viewer.session.principal}</strong></span>
<form method="post" action="/-/ui/sign-out"><button class="quiet" type="submit">Sign out</button></form>`
    : html`<span>${viewer.anonymousReads ? 'Anonymous reads' : ''}</span><a href="/-/ui/sign-in">Sign in</a>`;
  const crumbs = frame.crumbs?.length
    ? html`<nav class="crumbs" aria-label="Breadcrumb"><ol>${frame.crumbs.map((crumb, i) =>
        crumb.href && i < frame.crumbs!.length - 1
          ? html`<li><a href="${crumb.href}">${crumb.label}</a></li>`
          : html`<li aria-current="page">${crumb.label}</li>`,
      )}</ol></nav>`
    : '';
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${frame.title} · artifact-cli</title>
<link rel="icon" type="image/svg+xml" href="${ASSETS.icon.path}">
<link rel="stylesheet" href="${ASSETS.style.path}">
<script src="${ASSETS.script.path}" defer></script>
</head><body>
<a class="skip" href="#main">Skip to content</a>
<header class="top"><div class="top-inner">
<a class="brand" href="/"><img src="${ASSETS.icon.path}" alt="" width="22" height="22">artifact-cli</a>
${search}
<div class="who">${who}</div>
</div></header>
<main id="main" tabindex="-1">${crumbs}${frame.body}</main>
<div id="live-status" class="visually-hidden" role="status" aria-live="polite"></div>
</body></html>
`.text;
}
