/**
 * A store's failure told twice: to the client in words that name no path (StoreUnavailableError's
 * message), and here to the operator's log with the failed call and its file.
 */
import { describeCause, toArtifactError, StoreUnavailableError, type ArtifactError } from '../errors.js';
import type { RequestContext } from './route.js';

/** `where`: "on GET /path" or "in SomeOperation". */
export function logStoreFailure(log: (line: string) => void, where: string, error: StoreUnavailableError): void {
  log(`store failure ${where}: ${describeCause(error)}`);
}

/**
 * What a format's own error answer may tell: one of our errors, or a store's failure (logged
 * here). Anything else is thrown on, for the server's handler to answer as a 500.
 */
export function errorToTell(context: RequestContext, error: unknown): ArtifactError {
  const artifactError = toArtifactError(error);
  if (artifactError instanceof StoreUnavailableError) logStoreFailure(context.deps.log, `on ${context.req.method} ${context.endpoint}`, artifactError);
  else if (artifactError !== error) throw error;
  return artifactError;
}
