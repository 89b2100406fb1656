/**
 * Cargo's alternative-registry protocol, sparse index only (docs/formats/cargo.md), mounted at
 * /<domain>/cargo/<repo>/; users write `index = "sparse+<endpoint>"`.
 *
 *   GET  config.json                               dl, api, auth-required
 *   GET  1/a  2/ab  3/a/abc  se/rd/serde           index file of a crate, one JSON line per version
 *   GET  api/v1/crates/<crate>/<version>/download  the .crate (the `dl` template)
 *   PUT  api/v1/crates/new                         cargo publish
 *   DELETE api/v1/crates/<crate>/<version>/yank    cargo yank;  PUT .../unyank: cargo yank --undo
 *   GET  api/v1/crates/<crate>/owners              cargo owner --list
 *   GET  api/v1/crates?q=                          cargo search
 *
 * Cargo joins `api` and `/api/v1/...` itself; a doubled '/' is tolerated.
 */
import type { Route } from '../../server/route.js';
import type { Format } from '../format.js';
import { handleDownload } from './download.js';
import { renderCargoError } from './error-response.js';
import { handleConfig, handleIndexFile } from './index-routes.js';
import { handleOwnersChange, handleOwnersList } from './owners.js';
import { handlePublish } from './publish.js';
import { handleSearch } from './search.js';
import { handleYank } from './yank.js';

const SEGMENT = '([^/]+)';
const API = '/*api/v1/crates';
const STATUS_CHANGE = 'codeartifact:UpdatePackageVersionsStatus' as const;

const routes: Route[] = [
  { method: 'GET', path: /^config\.json$/, access: 'read', handle: (context) => handleConfig(context) },
  { method: 'GET', path: /^(?:[12]\/[^/]+|3\/[^/]+\/[^/]+|[^/]{2}\/[^/]{2}\/[^/]+)$/, access: 'read', handle: (context) => handleIndexFile(context) },
  { method: 'GET', path: new RegExp(`^${API}/${SEGMENT}/${SEGMENT}/download$`), access: 'read', handle: handleDownload },
  { method: 'PUT', path: new RegExp(`^${API}/new$`), access: 'write', handle: (context) => handlePublish(context) },
  {
    method: 'DELETE',
    path: new RegExp(`^${API}/${SEGMENT}/${SEGMENT}/yank$`),
    access: 'write',
    action: STATUS_CHANGE,
    handle: (context, match) => handleYank(context, match, true),
  },
  {
    method: 'PUT',
    path: new RegExp(`^${API}/${SEGMENT}/${SEGMENT}/unyank$`),
    access: 'write',
    action: STATUS_CHANGE,
    handle: (context, match) => handleYank(context, match, false),
  },
  { method: 'GET', path: new RegExp(`^${API}/${SEGMENT}/owners$`), access: 'read', handle: handleOwnersList },
  { method: 'PUT', path: new RegExp(`^${API}/${SEGMENT}/owners$`), access: 'write', handle: () => handleOwnersChange() },
  { method: 'DELETE', path: new RegExp(`^${API}/${SEGMENT}/owners$`), access: 'write', handle: () => handleOwnersChange() },
  { method: 'GET', path: new RegExp(`^${API}/?$`), access: 'read', handle: (context) => handleSearch(context) },
];

export const cargoFormat: Format = {
  name: 'cargo',
  routes: () => routes,
  renderError: renderCargoError,
};
