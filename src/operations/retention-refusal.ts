/**
 * A retention that origin controls or a package group refuse while the file is on its way ends in
 * AccessDeniedError; a block set before the request hides the version, so the client gets 404.
 * Formats that answer both timings alike turn the late refusal into that same 404, its words kept.
 */
import { AccessDeniedError, ResourceNotFoundError } from '../errors.js';

export function refusalAsNotFound(error: unknown): never {
  if (!(error instanceof AccessDeniedError)) throw error;
  throw new ResourceNotFoundError(error.message, { hint: error.hint, resourceType: error.resourceType, resourceId: error.resourceId, cause: error });
}
