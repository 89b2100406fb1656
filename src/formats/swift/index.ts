/**
 * The Swift package registry service (SE-0292 and SwiftPM's registry specification), mounted at
 * /<domain>/swift/<repo>/ for `swift package-registry set <endpoint>`: releases, release metadata,
 * manifests, source archives, lookup by repository URL, login, publish and the status of a
 * publish that goes on after its 202. Every answer carries
 * `Content-Version: 1` and every error is a problem+json document. docs/formats/swift.md has
 * what this relies on from the specification.
 */
import { UnauthorizedError, type ArtifactError } from '../../errors.js';
import type { RequestContext, Route } from '../../server/route.js';
import type { Format } from '../format.js';
import { handleIdentifiers } from './identifiers.js';
import { checkAccept } from './media-types.js';
import { renderProblem } from './problem.js';
import { handlePublish } from './publish.js';
import { refuseOversizePublish } from './publish-body.js';
import { handleManifest, handleReleaseList, handleReleaseMetadata, handleSourceArchive } from './read-handlers.js';
import { sendEmpty, setContentVersion } from './responses.js';
import { handleSubmissionStatus } from './submissions.js';

/**
 * POST /login: SwiftPM's `package-registry login <endpoint>login` checks its credentials here.
 * Given the registry URL itself (or none, taking the configured one), SwiftPM posts to that URL's
 * path instead, so the endpoint's root answers the same.
 */
function handleLogin(context: RequestContext): void {
  checkAccept(context.req, 'json');
  if (!context.identity) throw new UnauthorizedError('Log in with a token: `swift package-registry login` sends it as the password, or as a Bearer token.');
  sendEmpty(context, 200);
}

/** Answers from the routes carry Content-Version (errors carry it through renderError, the door's too). */
function withContentVersion(route: Route): Route {
  return {
    ...route,
    handle: async (context, match) => {
      setContentVersion(context);
      await route.handle(context, match);
    },
  };
}

const SEGMENT = '([^/]+)';
const ROUTES: Route[] = [
  { method: 'GET', path: /^identifiers\/?$/, access: 'read', handle: handleIdentifiers },
  { method: 'POST', path: /^login\/?$/, access: 'read', handle: handleLogin },
  { method: 'POST', path: /^$/, access: 'read', handle: handleLogin },
  { method: 'GET', path: /^submissions\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/, access: 'read', handle: handleSubmissionStatus },
  { method: 'GET', path: new RegExp(`^${SEGMENT}/${SEGMENT}/${SEGMENT}\\.zip$`), access: 'read', handle: handleSourceArchive },
  { method: 'GET', path: new RegExp(`^${SEGMENT}/${SEGMENT}/${SEGMENT}/Package\\.swift$`), access: 'read', handle: handleManifest },
  { method: 'GET', path: new RegExp(`^${SEGMENT}/${SEGMENT}/${SEGMENT}$`), access: 'read', handle: handleReleaseMetadata },
  { method: 'GET', path: new RegExp(`^${SEGMENT}/${SEGMENT}/?$`), access: 'read', handle: handleReleaseList },
  {
    method: 'PUT',
    path: new RegExp(`^${SEGMENT}/${SEGMENT}/${SEGMENT}$`),
    access: 'write',
    refuseDeclaredLength: refuseOversizePublish,
    handle: handlePublish,
  },
];

export const swiftFormat: Format = {
  name: 'swift',
  routes: () => ROUTES.map(withContentVersion),
  renderError: (error: ArtifactError) => renderProblem(error),
};
