/**
 * The Python package index protocol: the Simple Repository API that pip and uv install from
 * (PEP 503/691/592/658/700) and the legacy upload API that twine publishes with.
 *
 *   GET  simple/                               project list
 *   GET  simple/<project>/                     project page (HTML or JSON by Accept)
 *   GET  simple/<project>/<version>/<file>     a distribution file, and <file>.metadata
 *   POST /  or  legacy/                        upload (multipart, :action=file_upload)
 */
import type { Route } from '../../server/route.js';
import type { Format } from '../format.js';
import { handleDownload } from './download.js';
import { renderPypiError } from './error-response.js';
import { handleIndexPage, handleProjectPage } from './simple-routes.js';
import { handleUpload } from './upload.js';
import { refuseOversizeUpload } from './upload-form.js';

const routes: Route[] = [
  { method: 'GET', path: /^simple\/?$/, access: 'read', handle: (context) => handleIndexPage(context) },
  { method: 'GET', path: /^simple\/([^/]+)(\/)?$/, access: 'read', handle: handleProjectPage },
  { method: 'GET', path: /^simple\/([^/]+)\/([^/]+)\/([^/]+)$/, access: 'read', handle: handleDownload },
  // twine posts to the exact URL it was given and refuses redirects, so every spelling is served.
  { method: 'POST', path: /^(?:legacy\/?)?$/, access: 'write', refuseDeclaredLength: refuseOversizeUpload, handle: (context) => handleUpload(context) },
];

export const pypiFormat: Format = {
  name: 'pypi',
  storeFailureInReasonPhrase: true,
  routes: () => routes,
  renderError: renderPypiError,
};
