/** The registry-wide /-/ endpoints npm calls besides packages: ping, whoami, audit, login, logout. */
import { AccessDeniedError, UnauthorizedError, ValidationError } from '../../errors.js';
import { hashToken } from '../../operations/tokens.js';
import { drainBody, refuseDeclaredLength } from '../../server/body.js';
import { sendJson } from '../../server/respond.js';
import type { RequestContext, Route } from '../../server/route.js';
import { searchPackages } from './search.js';

// The dependency tree of an audit: a few MB for the largest projects.
const MAX_AUDIT_BODY_BYTES = 32 * 1024 * 1024;

export function serviceRoutes(): Route[] {
  return [
    { method: 'GET', path: /^-\/ping$/, access: 'read', handle: ({ req, res }) => sendJson(req, res, 200, {}) },
    { method: 'GET', path: /^-\/whoami$/, access: 'read', handle: whoami },
    { method: 'GET', path: /^-\/v1\/search$/, access: 'read', handle: searchPackages },
    // Installs post their tree here; "no advisories" keeps them quiet. Reads, not writes.
    {
      method: 'POST',
      path: /^-\/npm\/v1\/security\/(?:advisories\/bulk|audits\/quick)$/,
      access: 'read',
      refuseDeclaredLength: (req) => refuseDeclaredLength(req, MAX_AUDIT_BODY_BYTES),
      handle: noAdvisories,
    },
    { method: 'PUT', path: /^-\/user\/org\.couchdb\.user:[^/]+$/, access: 'read', handle: refusePasswordLogin },
    // A token always needs one, but ending a token is not publishing: a read-only token must
    // be able to `npm logout` (npm keeps the token in .npmrc when this fails).
    {
      method: 'DELETE',
      path: /^-\/user\/token\/([^/]+)$/,
      access: 'write',
      action: 'codeartifact:ReadFromRepository',
      handle: (context, match) => revokeToken(context, match[1]),
    },
  ];
}

function whoami(context: RequestContext): void {
  if (!context.identity) throw new UnauthorizedError('This request carried no token, so there is no user to name.');
  sendJson(context.req, context.res, 200, { username: context.identity.principal });
}

async function noAdvisories(context: RequestContext): Promise<void> {
  // The body is drained, never kept, so the client never sees its upload cut short.
  await drainBody(context.req, MAX_AUDIT_BODY_BYTES);
  sendJson(context.req, context.res, 200, {});
}

/** `npm logout`: the token in the URL stops working now instead of at its expiry. */
async function revokeToken(context: RequestContext, rawToken: string): Promise<void> {
  let token: string;
  try {
    token = decodeURIComponent(rawToken);
  } catch {
    throw new ValidationError('The token in the URL is not correctly percent-encoded.');
  }
  const hash = hashToken(token);
  await context.deps.store.index.updateTokens(context.domain, (current) => ({ tokens: current.tokens.filter((entry) => entry.hash !== hash) }));
  sendJson(context.req, context.res, 200, { ok: true });
}

/** Tokens come from get-authorization-token; this registry keeps no users or passwords. */
function refusePasswordLogin(context: RequestContext): void {
  context.req.resume();
  const { domain, repository } = context;
  throw new AccessDeniedError(
    `This registry has no user accounts: run \`artifact-cli login --tool npm --domain ${domain} --repository ${repository.name}\` to configure npm with a token (tokens come from \`artifact-cli get-authorization-token\`).`,
  );
}
