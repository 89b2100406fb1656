/** The one error hierarchy: every expected failure is an ArtifactError with a stable code. */

export type ErrorCode =
  | 'Validation'
  | 'Unauthorized'
  | 'AccessDenied'
  | 'ResourceNotFound'
  | 'Conflict'
  | 'ServiceQuotaExceeded'
  | 'UpstreamUnavailable'
  | 'PayloadTooLarge'
  | 'IntegrityCheckFailed'
  | 'Internal';

export type ResourceType = 'domain' | 'repository' | 'package' | 'package-version' | 'asset' | 'file' | 'token';

export interface ErrorDetails {
  hint?: string;
  cause?: unknown;
  resourceType?: ResourceType;
  resourceId?: string;
}

/** Base class: code, one-sentence message, optional hint, and the exit/HTTP mappings. */
export abstract class ArtifactError extends Error {
  abstract readonly code: ErrorCode;
  abstract readonly exitCode: number;
  abstract readonly httpStatus: number;
  readonly hint?: string;
  readonly resourceType?: ResourceType;
  readonly resourceId?: string;

  constructor(message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.hint = details.hint;
    this.resourceType = details.resourceType;
    this.resourceId = details.resourceId;
  }
}

export class ValidationError extends ArtifactError {
  readonly code = 'Validation';
  readonly exitCode = 2;
  readonly httpStatus = 400;
}

export class UnauthorizedError extends ArtifactError {
  readonly code = 'Unauthorized';
  readonly exitCode = 3;
  readonly httpStatus = 401;
}

export class AccessDeniedError extends ArtifactError {
  readonly code = 'AccessDenied';
  readonly exitCode = 4;
  readonly httpStatus = 403;
}

export class ResourceNotFoundError extends ArtifactError {
  readonly code = 'ResourceNotFound';
  readonly exitCode = 5;
  readonly httpStatus = 404;
}

export class ConflictError extends ArtifactError {
  readonly code = 'Conflict';
  readonly exitCode = 6;
  readonly httpStatus = 409;
}

export class QuotaExceededError extends ArtifactError {
  readonly code = 'ServiceQuotaExceeded';
  readonly exitCode = 7;
  readonly httpStatus = 402;
}

export class UpstreamError extends ArtifactError {
  readonly code = 'UpstreamUnavailable';
  readonly exitCode = 8;
  readonly httpStatus = 502;
}

export class PayloadTooLargeError extends ArtifactError {
  readonly code = 'PayloadTooLarge';
  readonly exitCode = 9;
  readonly httpStatus = 413;
}

/** Stored bytes or indexes are damaged: `verify` found problems, or a blob no longer matches its digest. */
export class IntegrityError extends ArtifactError {
  readonly code = 'IntegrityCheckFailed';
  readonly exitCode = 10;
  readonly httpStatus = 500;
}

export class InternalError extends ArtifactError {
  readonly code = 'Internal';
  readonly exitCode = 1;
  readonly httpStatus = 500;
}

/** Every concrete class, so tests and docs can check codes and exit statuses stay unique. */
export const ERROR_CLASSES = [
  ValidationError,
  UnauthorizedError,
  AccessDeniedError,
  ResourceNotFoundError,
  ConflictError,
  QuotaExceededError,
  UpstreamError,
  PayloadTooLargeError,
  IntegrityError,
  InternalError,
] as const;

/** Anything foreign becomes an InternalError that keeps the original as its cause. */
export function toArtifactError(error: unknown): ArtifactError {
  if (error instanceof ArtifactError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new InternalError(`Unexpected failure: ${message}`, {
    cause: error,
    hint: 'Run again with --debug for the stack trace, and report it if it repeats.',
  });
}
