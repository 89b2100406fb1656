/**
 * The NuGet V3 protocol (dotnet, nuget.exe, Visual Studio), mounted at
 * /<domain>/nuget/<repo>/; clients are pointed at <endpoint>v3/index.json. URL shapes are in
 * urls.ts; route paths are matched against the still percent-encoded path, and tolerate the
 * doubled '/' some clients produce when they join a base URL and a path.
 */
import { ArtifactError } from '../../errors.js';
import { sendRendered } from '../../server/respond.js';
import type { RequestContext, Route } from '../../server/route.js';
import type { Format } from '../format.js';
import { handleNupkg, handleNuspec, handleVersionsIndex } from './flat-container.js';
import { handleRelist, handleUnlist } from './listing.js';
import { refuseOversizePush } from './multipart.js';
import { handlePush } from './push.js';
import { handleCatalogEntry, handleRegistrationIndex, handleRegistrationLeaf, handleRegistrationPage } from './registration-handlers.js';
import { handleAutocomplete, handleSearch } from './search-handlers.js';
import { serviceIndexBody } from './service-index.js';

/**
 * NuGet clients report a failed request by its status line ("409 (…)"), not its body, so the
 * error message goes into the reason phrase too, reduced to the characters a status line allows.
 */
function reasonPhrase(error: ArtifactError): string {
  const text = error.message.replace(/[^\x20-\x7e]+/g, ' ').trim();
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}

function withReasonPhrase(route: Route): Route {
  return {
    ...route,
    handle: async (context: RequestContext, match: RegExpExecArray) => {
      try {
        await route.handle(context, match);
      } catch (error) {
        if (error instanceof ArtifactError && !context.res.headersSent) context.res.statusMessage = reasonPhrase(error);
        throw error;
      }
    },
  };
}

/** Every restore starts here and waits for it: it depends on the endpoint alone, so it is remembered. */
function handleServiceIndex(context: RequestContext): void {
  const body = serviceIndexBody(context.endpoint);
  context.reuse({ rendered: body });
  sendRendered(context.req, context.res, body);
}

const ID = '([^/]+)';
const ROUTES: Route[] = [
  { method: 'GET', path: /^v3\/index\.json$/, access: 'read', handle: handleServiceIndex },
  { method: 'GET', path: new RegExp(`^v3/package/+${ID}/index\\.json$`), access: 'read', handle: handleVersionsIndex },
  { method: 'GET', path: new RegExp(`^v3/package/+${ID}/${ID}/${ID}\\.nupkg$`), access: 'read', handle: handleNupkg },
  { method: 'GET', path: new RegExp(`^v3/package/+${ID}/${ID}/${ID}\\.nuspec$`), access: 'read', handle: handleNuspec },
  { method: 'GET', path: new RegExp(`^v3/registration/+${ID}/index\\.json$`), access: 'read', handle: handleRegistrationIndex },
  { method: 'GET', path: new RegExp(`^v3/registration/+${ID}/page/${ID}/${ID}\\.json$`), access: 'read', handle: handleRegistrationPage },
  { method: 'GET', path: new RegExp(`^v3/registration/+${ID}/${ID}\\.json$`), access: 'read', handle: handleRegistrationLeaf },
  { method: 'GET', path: new RegExp(`^v3/catalog/+${ID}/${ID}\\.json$`), access: 'read', handle: handleCatalogEntry },
  { method: 'GET', path: /^v3\/search\/?$/, access: 'read', handle: handleSearch },
  { method: 'GET', path: /^v3\/autocomplete\/?$/, access: 'read', handle: handleAutocomplete },
  { method: 'PUT', path: /^api\/v2\/package\/?$/, access: 'write', refuseDeclaredLength: refuseOversizePush, handle: handlePush },
  {
    method: 'DELETE',
    path: new RegExp(`^api/v2/package/+${ID}/${ID}/?$`),
    access: 'write',
    action: 'codeartifact:UpdatePackageVersionsStatus',
    handle: handleUnlist,
  },
  {
    method: 'POST',
    path: new RegExp(`^api/v2/package/+${ID}/${ID}/?$`),
    access: 'write',
    action: 'codeartifact:UpdatePackageVersionsStatus',
    handle: handleRelist,
  },
];

export const nugetFormat: Format = {
  name: 'nuget',
  storeFailureInReasonPhrase: true,
  routes: () => ROUTES.map(withReasonPhrase),
  renderError: (error: ArtifactError) => ({
    contentType: 'application/json',
    body: JSON.stringify({ error: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) }),
  }),
};
