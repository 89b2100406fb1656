/**
 * The RubyGems protocol (gem, Bundler), mounted at /<domain>/ruby/<repo>/, which clients use as
 * their source URL (docs/formats/ruby.md):
 *
 *   HEAD/GET  (root)                             200, so `gem` picks the compact index
 *   GET  versions, info/<gem>, names             the compact index
 *   GET  gems/<file>.gem                         a gem file
 *   GET  quick/Marshal.4.8/<file>.gemspec.rz     its Marshal gemspec (gem 3.3 asks for it)
 *   GET  specs.4.8.gz, latest_specs…, prerelease_specs…   legacy lists (gem search/list/update)
 *   POST api/v1/gems                             gem push (raw .gem)
 *   DELETE api/v1/gems/yank                      gem yank
 *
 * A leading '/' more is tolerated: `gem push --host <url>/` joins it into `//api/v1/gems`.
 */
import type { Route } from '../../server/route.js';
import type { Format } from '../format.js';
import { handleInfo, handleNames, handleRoot, handleSpecList, handleVersions } from './compact-routes.js';
import { handleDependencyApi, handleGemDownload, handleMarshalSpec } from './download.js';
import { renderRubyError } from './error-response.js';
import { handlePush, refuseOversizeGem } from './push.js';
import { handleYank } from './yank.js';

const routes: Route[] = [
  { method: 'GET', path: /^$/, access: 'read', handle: handleRoot },
  { method: 'GET', path: /^\/*versions$/, access: 'read', handle: handleVersions },
  { method: 'GET', path: /^\/*names$/, access: 'read', handle: handleNames },
  { method: 'GET', path: /^\/*info\/([^/]+)$/, access: 'read', handle: handleInfo },
  { method: 'GET', path: /^\/*gems\/([^/]+)\.gem$/, access: 'read', handle: handleGemDownload },
  { method: 'GET', path: /^\/*quick\/Marshal\.4\.8\/([^/]+)\.gemspec\.rz$/, access: 'read', handle: handleMarshalSpec },
  { method: 'GET', path: /^\/*(specs|latest_specs|prerelease_specs)\.4\.8\.gz$/, access: 'read', handle: handleSpecList },
  { method: 'GET', path: /^\/*api\/v1\/dependencies$/, access: 'read', handle: handleDependencyApi },
  { method: 'POST', path: /^\/*api\/v1\/gems\/?$/, access: 'write', refuseDeclaredLength: refuseOversizeGem, handle: handlePush },
  { method: 'DELETE', path: /^\/*api\/v1\/gems\/yank\/?$/, access: 'write', action: 'codeartifact:UpdatePackageVersionsStatus', handle: handleYank },
];

export const rubyFormat: Format = {
  name: 'ruby',
  routes: () => routes,
  renderError: renderRubyError,
};
